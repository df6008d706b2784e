// `stsx assume --write-profile NAME` against the project's STS server, read back by real
// consumers (AWS CLI v2, the JS SDK's fromIni), and the hostile credentials files it must refuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { spawnCollect } from '../support/spawn-collect.ts';
import { errorLines, ROOT, runStsx, sandbox } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

const OTHER = '# hand-kept, with comments\r\n[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n; keep me\r\n[other]\r\nregion = eu-west-1\r\n';

function world(name: string): { env: Record<string, string>; role: string; box: ReturnType<typeof sandbox>; file: string } {
  const w = userWorld(sts, { name, role: true });
  return { env: w.env, role: w.role, box: w, file: w.env.AWS_SHARED_CREDENTIALS_FILE ?? '' };
}

const assumes = (role: string): number => sts.requests.filter((r) => r.action === 'AssumeRole' && r.params.RoleArn === role).length;

test('--write-profile writes [NAME] atomically, 0600, nothing on stdout; the AWS CLI and fromIni see the role; unset removes it', { timeout: 120_000 }, async () => {
  const w = world('wp');
  w.box.writeCredentials(OTHER);
  // Real session tokens end in base64 padding; ini would quote it, which no AWS reader undoes.
  sts.setSessionTokenSuffix('==');
  const r = await runStsx(['assume', '--role-arn', w.role, '--role-session-name', 'written', '--write-profile', 'dev'], { env: w.env });
  sts.setSessionTokenSuffix('');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`assumed arn:aws:sts::111122223333:assumed-role/wp-role/written via 127\\.0\\.0\\.1:\\d+, expires .*; wrote profile \\[dev\\] to ${w.file.replaceAll('/', '\\/')}`));
  const text = readFileSync(w.file, 'utf8');
  assert.ok(text.startsWith(OTHER), 'every other line kept byte for byte');
  assert.match(text.slice(OTHER.length), /^\r\n\[dev\]\r\naws_access_key_id = ASIA\w+\r\naws_secret_access_key = \S+\r\naws_session_token = \S+==\r\nx_stsx_expiration = \d{4}-\d\d-\d\dT[\d:.]+Z\r\n$/);
  assert.equal(statSync(w.file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(path.dirname(w.file)).filter((n) => n.endsWith('.tmp')), []);

  // Only the file: no key in the environment.
  const consumerEnv: Record<string, string> = { PATH: w.env.PATH ?? '', HOME: w.box.home, AWS_SHARED_CREDENTIALS_FILE: w.file, AWS_CONFIG_FILE: w.env.AWS_CONFIG_FILE ?? '', AWS_PROFILE: 'dev', AWS_REGION: 'eu-central-1', AWS_EC2_METADATA_DISABLED: 'true' };
  const cli = await spawnCollect('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'], { env: consumerEnv, timeoutMs: 60_000 });
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((JSON.parse(cli.stdout) as { Arn: string }).Arn, 'arn:aws:sts::111122223333:assumed-role/wp-role/written');
  const script = `import { fromIni } from '@aws-sdk/credential-providers';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const client = new STSClient({ region: 'eu-central-1', endpoint: ${JSON.stringify(sts.url)}, credentials: fromIni({ profile: 'dev' }) });
process.stdout.write((await client.send(new GetCallerIdentityCommand({}))).Arn);`;
  const sdk = await spawnCollect(process.execPath, ['--input-type=module', '-e', script], { env: consumerEnv, cwd: ROOT, timeoutMs: 60_000 });
  assert.equal(sdk.code, 0, sdk.stderr);
  assert.equal(sdk.stdout, 'arn:aws:sts::111122223333:assumed-role/wp-role/written');

  // Again: the section is replaced in place (a cache hit), the rest untouched.
  const again = await runStsx(['assume', '--role-arn', w.role, '--role-session-name', 'written', '--write-profile', 'dev'], { env: w.env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(w.file, 'utf8'), text);

  const unset = await runStsx(['unset', '--write-profile', 'dev'], { env: w.env });
  assert.equal(unset.code, 0, unset.stderr);
  assert.equal(unset.stdout, '');
  assert.match(unset.stderr, /removed profile \[dev\]/);
  assert.equal(readFileSync(w.file, 'utf8'), OTHER, 'write then unset gives back the file byte for byte');
});

test('a section with long-term keys or settings of its own is refused before any STS call (exit 3) unless --force', async () => {
  const w = world('wplong');
  w.box.writeCredentials(OTHER);
  for (const name of ['default', 'other']) {
    const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', name], { env: w.env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', new RegExp(`^stsx: profile \\[${name}\\] in .* (holds long-term keys|holds settings stsx did not write \\(region\\)); stsx does not overwrite it$`));
    assert.match(r.stderr, /hint: .*--force/);
  }
  assert.equal(assumes(w.role), 0, 'no STS call for a refused write');
  assert.equal(readFileSync(w.file, 'utf8'), OTHER);
  const unset = await runStsx(['unset', '--write-profile', 'default'], { env: w.env });
  assert.equal(unset.code, 3);
  assert.match(unset.stderr, /holds long-term keys; stsx does not remove it/);
  const forced = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'default', '--force'], { env: w.env });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(w.file, 'utf8'), /^# hand-kept, with comments\r\n\[default\]\r\naws_access_key_id = ASIA/);
});

test('hostile names and files: usage errors before STS, FIFO/directory/huge refused at once, a symlink is followed', { timeout: 60_000 }, async () => {
  const w = world('wphostile');
  for (const name of ['a]b', 'x\n[default]', '__proto__']) {
    const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', name], { env: w.env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(errorLines(r.stderr).length, 2, r.stderr);
  }
  const withFormat = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'dev', '--format', 'json'], { env: w.env });
  assert.equal(withFormat.code, 2);
  const fifo = path.join(w.box.home, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const dir = path.join(w.box.home, 'dir');
  mkdirSync(dir);
  const huge = path.join(w.box.home, 'huge');
  writeFileSync(huge, `[big]\n${'x = y\n'.repeat(400_000)}`);
  for (const [file, why] of [[fifo, 'it is a FIFO'], [dir, 'it is a directory'], [huge, 'it is 2400006 bytes, more than 1048576']] as const) {
    const started = Date.now();
    const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'dev'], { env: { ...w.env, AWS_SHARED_CREDENTIALS_FILE: file } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(errorLines(r.stderr)[0], `stsx: cannot write the credentials file ${file}: ${why}`);
    assert.ok(Date.now() - started < 10_000);
  }
  assert.equal(assumes(w.role), 0);
  // A symlinked credentials file (dotfiles): the target is replaced, the link stays a link.
  const real = path.join(w.box.home, 'dotfiles-credentials');
  writeFileSync(real, '[keep]\nregion = x\n');
  chmodSync(real, 0o644);
  const link = path.join(w.box.home, 'linked-credentials');
  symlinkSync(real, link);
  const r = await runStsx(['assume', '--role-arn', w.role, '--write-profile', 'dev'], { env: { ...w.env, AWS_SHARED_CREDENTIALS_FILE: link } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.match(readFileSync(real, 'utf8'), /^\[keep\]\nregion = x\n\n\[dev\]\naws_access_key_id = ASIA/);
  assert.equal(statSync(real).mode & 0o777, 0o600);
});

test('session-token --write-profile writes the session the same way', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'wpst' });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url });
  const r = await runStsx(['session-token', '--write-profile', 'st'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(readFileSync(box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8'), /^\[st\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\nx_stsx_expiration = \S+Z\n$/);
  const noForce = await runStsx(['session-token', '--force'], { env: box.env });
  assert.equal(noForce.code, 2, noForce.stderr);
  assert.match(noForce.stderr, /--force only goes with --write-profile/);
});
