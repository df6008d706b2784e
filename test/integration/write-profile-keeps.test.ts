// `--write-profile` and `unset --write-profile` against the project's STS server: stsx touches
// only its own lines, parallel writers all land, a dangling symlink stays a link, names the JS SDK
// cannot read are refused, and the README's example works with the AWS CLI as written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { spawnCollect } from '../support/spawn-collect.ts';
import { errorLines, ROOT, runStsx, sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

function world(name: string): { env: Record<string, string>; role: string; box: ReturnType<typeof sandbox>; file: string; config: string } {
  const u = sts.addUser({ account: '111122223333', userName: name });
  const role = `arn:aws:iam::111122223333:role/${name}-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url });
  return { env: box.env, role, box, file: box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', config: box.env.AWS_CONFIG_FILE ?? '' };
}

test('unset never removes a section with a line stsx cannot classify (`aws_access_key_id: AKIA...`, read by the AWS CLI) unless --force', async () => {
  const w = world('wpcolon');
  const text = '[prod]\naws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
  w.box.writeCredentials(text);
  const r = await runStsx(['unset', '--write-profile', 'prod'], { env: w.env });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(errorLines(r.stderr)[0], `stsx: profile [prod] in ${w.file} holds line 2, which is not a \`name = value\` setting stsx can tell from its own; stsx does not remove it`);
  assert.doesNotMatch(r.stderr, /AKIA|wJalr/);
  assert.equal(readFileSync(w.file, 'utf8'), text);
  const write = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'prod'], { env: w.env });
  assert.equal(write.code, 3, write.stderr);
  assert.equal(readFileSync(w.file, 'utf8'), text);
  const forced = await runStsx(['unset', '--write-profile', 'prod', '--force'], { env: w.env });
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(w.file, 'utf8'), '');
});

test('eight parallel --write-profile w1..w8 all land in the file', { timeout: 180_000 }, async () => {
  const w = world('wppar');
  w.box.writeCredentials('# mine\n');
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => runStsx(['assume', '--role-arn', w.role, '--role-session-name', `s${i + 1}`, '--write-profile', `w${i + 1}`, '--no-cache'], { env: w.env, timeoutMs: 120_000 })));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(w.file, 'utf8');
  for (let i = 1; i <= 8; i++) assert.match(text, new RegExp(`^\\[w${i}\\]$`, 'm'), text);
  assert.ok(text.startsWith('# mine\n'));
  assert.deepEqual(readdirSync(path.dirname(w.file)).filter((n) => n.includes('stsx')), [], 'no lock or temp file left behind');
  for (let i = 1; i <= 8; i++) {
    const u = await runStsx(['unset', '--write-profile', `w${i}`], { env: w.env });
    assert.equal(u.code, 0, u.stderr);
  }
  assert.equal(readFileSync(w.file, 'utf8'), '# mine\n');
});

test('settings a user adds to a section stsx wrote survive the next write and the unset; write then unset is byte for byte', { timeout: 60_000 }, async () => {
  const w = world('wpkeep');
  // No final newline, CRLF: both stay.
  const original = '[default]\r\nregion = eu-west-1';
  w.box.writeCredentials(original);
  const args = ['assume', '--role-arn', w.role, '--write-profile', 'dev'];
  assert.equal((await runStsx(args, { env: w.env })).code, 0);
  const written = readFileSync(w.file, 'utf8');
  assert.ok(!written.endsWith('\n'), JSON.stringify(written.slice(-20)));
  assert.equal((await runStsx(['unset', '--write-profile', 'dev'], { env: w.env })).code, 0);
  assert.equal(readFileSync(w.file, 'utf8'), original);

  // A trailing blank line stays too.
  w.box.writeCredentials('[default]\nregion = eu-west-1\n\n');
  assert.equal((await runStsx(args, { env: w.env })).code, 0);
  const first = readFileSync(w.file, 'utf8');
  assert.equal((await runStsx(['unset', '--write-profile', 'dev'], { env: w.env })).code, 0);
  assert.equal(readFileSync(w.file, 'utf8'), '[default]\nregion = eu-west-1\n\n');

  // The user adds a comment, a region and an mfa_serial to [dev]: the next write and the unset keep them.
  writeFileSync(w.file, first.replace('[dev]\n', '[dev]\n# work account\nregion = eu-west-1\n') + 'mfa_serial = arn:aws:iam::111122223333:mfa/me\n');
  const again = await runStsx([...args, '--no-cache'], { env: w.env });
  assert.equal(again.code, 0, again.stderr);
  const rewritten = readFileSync(w.file, 'utf8');
  assert.match(rewritten, /\[dev\]\n# work account\nregion = eu-west-1\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\nx_stsx_expiration = \S+\nmfa_serial = arn:aws:iam::111122223333:mfa\/me\n$/);
  assert.notEqual(rewritten, first);
  const unset = await runStsx(['unset', '--write-profile', 'dev'], { env: w.env });
  assert.equal(unset.code, 0, unset.stderr);
  assert.equal(readFileSync(w.file, 'utf8'), '[default]\nregion = eu-west-1\n\n\n[dev]\n# work account\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n');
});

test('a credentials path that is a dangling symlink stays a link: the target is created, 0600', async () => {
  const w = world('wpdangle');
  const target = path.join(w.box.home, 'dotfiles', 'aws-credentials');
  const link = path.join(w.box.home, 'linked');
  symlinkSync(target, link);
  const env = { ...w.env, AWS_SHARED_CREDENTIALS_FILE: link };
  const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'dev'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readlinkSync(link), target);
  assert.match(readFileSync(target, 'utf8'), /^\[dev\]\naws_access_key_id = ASIA/);
  assert.equal(statSync(target).mode & 0o777, 0o600);
  const u = await runStsx(['unset', '--write-profile', 'dev'], { env });
  assert.equal(u.code, 0, u.stderr);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(target, 'utf8'), '');
});

test('--write-profile constructor (toString, hasOwnProperty) is refused: the JS SDK cannot read such a section, the AWS CLI can', { timeout: 120_000 }, async () => {
  const w = world('wpproto');
  for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
    const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', name], { env: w.env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(errorLines(r.stderr)[0], `stsx: --write-profile ${name} is a name the AWS SDK for JavaScript cannot read back (every JavaScript object has a ${name})`);
  }
  assert.equal(readFileSync(w.file, 'utf8'), '');
  // Why: the same credentials as [constructor], written by hand, read by both.
  const ok = await runStsx(['assume', '--role-arn', w.role, '--format', 'json'], { env: w.env });
  const c = JSON.parse(ok.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  w.box.writeCredentials(`[constructor]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\naws_session_token = ${c.SessionToken}\n`);
  const env = { PATH: w.env.PATH ?? '', HOME: w.box.home, AWS_SHARED_CREDENTIALS_FILE: w.file, AWS_CONFIG_FILE: w.config, AWS_PROFILE: 'constructor', AWS_REGION: 'eu-central-1', AWS_EC2_METADATA_DISABLED: 'true' };
  const cli = await spawnCollect('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--query', 'Arn', '--output', 'text'], { env, timeoutMs: 60_000 });
  assert.equal(cli.code, 0, cli.stderr);
  const script = `import { fromIni } from '@aws-sdk/credential-providers';
try { await fromIni({ profile: 'constructor' })(); process.stdout.write('read'); } catch (e) { process.stdout.write('failed: ' + e.message); }`;
  const sdk = await spawnCollect(process.execPath, ['--input-type=module', '-e', script], { env, cwd: ROOT, timeoutMs: 60_000 });
  assert.match(sdk.stdout, /^failed: /, 'the JS SDK does not find [constructor]');
});

test('the README example works as written: the region of the source profile goes to [profile dev] of the config file for the AWS CLI; unset takes it away', { timeout: 120_000 }, async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'wpreadme' });
  const role = 'arn:aws:iam::111122223333:role/wpreadme-admin';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  const config = `[profile base]\nregion = eu-central-1\n\n[profile admin]\nrole_arn = ${role}\nsource_profile = base\n`;
  box.writeConfig(config);
  box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  const r = await runStsx(['assume', '--profile', 'admin', '--write-profile', 'dev'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`wrote profile \\[dev\\] to .*, region eu-central-1 to ${(box.env.AWS_CONFIG_FILE ?? '').replaceAll('/', '\\/')}`));
  assert.equal(readFileSync(box.env.AWS_CONFIG_FILE ?? '', 'utf8'), `${config}\n[profile dev]\nregion = eu-central-1\nx_stsx_region = eu-central-1\n`);
  // As in the README: no region in the environment.
  const env = { PATH: box.env.PATH ?? '', HOME: box.home, AWS_SHARED_CREDENTIALS_FILE: box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', AWS_CONFIG_FILE: box.env.AWS_CONFIG_FILE ?? '', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_STS: sts.url, AWS_PROFILE: 'dev' };
  // --endpoint-url only reaches the test server; the region is what the CLI must find itself.
  const cli = await spawnCollect('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--query', 'Arn', '--output', 'text'], { env, timeoutMs: 60_000 });
  assert.equal(cli.code, 0, `${cli.stderr}${cli.stdout}`);
  assert.match(cli.stdout, /^arn:aws:sts::111122223333:assumed-role\/wpreadme-admin\//);
  const unset = await runStsx(['unset', '--write-profile', 'dev'], { env: box.env });
  assert.equal(unset.code, 0, unset.stderr);
  assert.match(unset.stderr, /removed profile \[dev\] from .* and its region from /);
  assert.equal(readFileSync(box.env.AWS_CONFIG_FILE ?? '', 'utf8'), config);
});

test('a writer that holds the credentials file\'s lock too long: one clear line, exit 3, nothing written', { timeout: 60_000 }, async () => {
  const w = world('wplocked');
  w.box.writeCredentials('[keep]\nregion = x\n');
  // This test process, alive and named by its real start time, holds the lock beside the file.
  const lock = path.join(path.dirname(w.file), `.${path.basename(w.file)}.stsx-lock`);
  mkdirSync(lock, { mode: 0o700 });
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const start = process.platform === 'linux' ? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] : '-';
  const boot = process.platform === 'linux' ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '-';
  const ns = process.platform === 'linux' ? readlinkSync('/proc/self/ns/pid') : '-';
  writeFileSync(path.join(lock, 'owner'), `${process.pid} ${hostname()} ${start} ${boot} ${ns}\n`, { mode: 0o600 });
  const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'dev'], { env: w.env });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(errorLines(r.stderr)[0], `stsx: another stsx kept ${w.file} locked for 10s; nothing was written`);
  assert.match(r.stderr, new RegExp(`hint: try again; if no stsx is running, remove ${lock.replaceAll('.', '\\.')}`));
  assert.equal(readFileSync(w.file, 'utf8'), '[keep]\nregion = x\n');
  rmSync(lock, { recursive: true });
});
