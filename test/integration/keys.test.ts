// `stsx keys`: keys out of the plaintext credentials file, into the encrypted file (everywhere) and
// the Secret Service (gnome-keyring-daemon in a private D-Bus session), used by stsx directly and
// by the AWS CLI v2, the JS SDK and boto3 through stsx's credential_process line. The STS
// stand-in checks SigV4, so an answer proves the right secret was stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, ROOT, runStsx, sandbox, STSX_ARGV } from '../support/run-cli.ts';

const run = promisify(execFile);
let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

const PASS = 'correct horse battery staple';

function world(name: string): { env: Record<string, string>; home: string; creds: string; user: { accessKeyId: string; secretAccessKey: string; arn: string } } {
  const user = sts.addUser({ account: '111122223333', userName: name });
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, STSX_FILE_PASSPHRASE: PASS });
  return { env: box.env, home: box.home, creds: box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', user };
}

/** Every file under the home, for "no plaintext copy anywhere". */
function allText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out += readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return out;
}

test('keys add --stdin (file backend): checked with GetCallerIdentity, stored, and the profile works for stsx, the AWS CLI, the JS SDK and boto3', async () => {
  const w = world('adder');
  const r = await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`stored the keys of ${w.user.arn.replace(/[/]/g, '\\/')} \\(AKIA\\*\\*\\*\\*`));
  assert.ok(sts.requests.some((q) => q.action === 'GetCallerIdentity' && q.accessKeyId === w.user.accessKeyId), 'the keys were checked');
  const creds = readFileSync(w.creds, 'utf8');
  assert.match(creds, /^\[dev\]\ncredential_process = .* keys get dev --backend file\n$/);
  assert.ok(!allText(w.home).includes(w.user.secretAccessKey), 'the secret is in no file in plain text');

  const who = await runStsx(['whoami', '--profile', 'dev', '--query', 'Arn'], { env: w.env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), w.user.arn);

  // Other keys in ~/.aws: every consumer must still act as the stored user of profile dev.
  const other = sts.addUser({ account: '444455556666', userName: 'someone-else' });
  writeFileSync(w.creds, `[default]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n\n${creds}`);
  const env = { ...w.env, AWS_PROFILE: 'dev' };
  const cli = await run('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--query', 'Arn', '--output', 'text'], { env });
  assert.equal(cli.stdout.trim(), w.user.arn);
  const js = await run(process.execPath, ['--input-type=module', '-e', `
    import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
    const c = new STSClient({ region: 'eu-west-1', endpoint: process.env.AWS_ENDPOINT_URL_STS });
    process.stdout.write((await c.send(new GetCallerIdentityCommand({}))).Arn);`], { env, cwd: ROOT });
  assert.equal(js.stdout, w.user.arn);
  const py = await run('python3', ['-c', `import boto3\nprint(boto3.Session().client('sts', endpoint_url='${sts.url}', region_name='eu-west-1').get_caller_identity()['Arn'])`], { env });
  assert.equal(py.stdout.trim(), w.user.arn);
});

test('stsx reads its own credential_process line directly (no second process)', async () => {
  const w = world('direct');
  assert.equal((await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` })).code, 0);
  // A line whose program cannot run: only a direct read of the store can answer.
  writeFileSync(w.creds, '[dev]\ncredential_process = /nonexistent/bin/stsx keys get dev --backend file\n');
  const who = await runStsx(['whoami', '--profile', 'dev', '--query', 'Arn'], { env: w.env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), w.user.arn);
  const listed = await runStsx(['profiles', '--output', 'json'], { env: w.env });
  assert.match(listed.stdout, /"kind": ?"keys"/);
});

test('keys import moves every plaintext key into the store; every other byte of the file is kept; nothing plaintext is left', async () => {
  const w = world('importer');
  const other = sts.addUser({ account: '111122223333', userName: 'importer-2' });
  const original = `# my keys\n[default]\naws_access_key_id = ${w.user.accessKeyId}\naws_secret_access_key = ${w.user.secretAccessKey}\nregion = eu-west-1 ; mine\n\n[ci]\nAWS_ACCESS_KEY_ID: ${other.accessKeyId}\nAWS_SECRET_ACCESS_KEY: ${other.secretAccessKey}\n\n[temp]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\naws_session_token = y\n# the end, no newline`;
  writeFileSync(w.creds, original);
  const r = await runStsx(['keys', 'import', '--backend', 'file'], { env: w.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /moved the keys of "default", "ci" into the encrypted file/);
  const after = readFileSync(w.creds, 'utf8');
  const expected = original
    .replace(`aws_access_key_id = ${w.user.accessKeyId}\naws_secret_access_key = ${w.user.secretAccessKey}\n`, 'LINE default\n')
    .replace(`AWS_ACCESS_KEY_ID: ${other.accessKeyId}\nAWS_SECRET_ACCESS_KEY: ${other.secretAccessKey}\n`, 'LINE ci\n');
  assert.equal(after.replace(/credential_process = .* keys get (\S+) --backend file/g, 'LINE $1'), expected);
  const text = allText(w.home);
  assert.ok(!text.includes(w.user.secretAccessKey) && !text.includes(other.secretAccessKey), 'no plaintext copy left behind');
  const names = readdirSync(w.home, { recursive: true, encoding: 'utf8' }).filter((n) => !n.startsWith('.cache') && !n.startsWith('cache'));
  assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  for (const [profile, arn] of [['default', w.user.arn], ['ci', other.arn]] as const) {
    const who = await runStsx(['whoami', '--profile', profile, '--query', 'Arn'], { env: w.env });
    assert.equal(who.stdout.trim(), arn, who.stderr);
  }
  const list = await runStsx(['keys', 'list', '--backend', 'file'], { env: w.env });
  assert.match(list.stdout, /^PROFILE\s+KEY\s+BACKEND\s+AGE\nci\s+AKIA\*{4}\w{4}\s+file\s+0d\ndefault\s+AKIA\*{4}\w{4}\s+file\s+0d\n$/);
  assert.ok(!list.stdout.includes(w.user.accessKeyId));
});

test('the encrypted file: a wrong passphrase, a truncated or altered file, and no passphrase without a terminal are told apart, nothing echoed', async () => {
  const w = world('hostile');
  assert.equal((await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` })).code, 0);
  const file = path.join(w.home, '.config', 'stsx', 'keys.enc');
  const good = readFileSync(file, 'utf8');
  const wrong = await runStsx(['keys', 'get', 'dev', '--backend', 'file'], { env: { ...w.env, STSX_FILE_PASSPHRASE: 'not the passphrase' } });
  assert.equal(wrong.code, 3);
  assert.equal(wrong.stdout, '');
  assert.match(errorLines(wrong.stderr)[0] ?? '', /wrong passphrase, or the file was altered/);
  writeFileSync(file, good.slice(0, 80));
  const truncated = await runStsx(['keys', 'get', 'dev', '--backend', 'file'], { env: w.env });
  assert.equal(truncated.code, 3);
  assert.match(truncated.stderr, /is damaged \(not JSON: truncated or overwritten\)/);
  const doc = JSON.parse(good) as { data: string; header: { kdf: { N: number } } };
  const flipped = Buffer.from(doc.data, 'base64');
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  writeFileSync(file, JSON.stringify({ ...doc, data: flipped.toString('base64') }));
  const altered = await runStsx(['keys', 'get', 'dev', '--backend', 'file'], { env: w.env });
  assert.match(altered.stderr, /wrong passphrase, or the file was altered/);
  writeFileSync(file, JSON.stringify({ ...doc, header: { ...doc.header, kdf: { ...doc.header.kdf, N: 1 << 30 } } }));
  const huge = await runStsx(['keys', 'get', 'dev', '--backend', 'file'], { env: w.env });
  assert.match(huge.stderr, /KDF parameters out of range/);
  writeFileSync(file, good);
  const noPass = { ...w.env };
  delete noPass.STSX_FILE_PASSPHRASE;
  const none = await runStsx(['keys', 'get', 'dev', '--backend', 'file'], { env: noPass });
  assert.equal(none.code, 3);
  assert.match(none.stderr, /set STSX_FILE_PASSPHRASE, or run on a terminal/);
  for (const r of [wrong, truncated, altered, huge, none]) assert.ok(!r.stderr.includes(w.user.secretAccessKey));
});

test('bad keys are refused before anything is stored; keys STS refuses are not stored', async () => {
  const w = world('refused');
  const temp = await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: 'ASIAIOSFODNN7EXAMPLE\nsecretsecretsecretsecret\n' });
  assert.equal(temp.code, 3);
  assert.match(temp.stderr, /long-term key: AKIA/);
  const bad = await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: `${w.user.accessKeyId}\nnot-the-secret-at-all-0000000000000000000\n` });
  assert.notEqual(bad.code, 0);
  assert.ok(!bad.stderr.includes('not-the-secret'));
  assert.equal(readdirSync(w.home).includes('.config'), false, 'nothing stored');
});

test('no keyring here: --backend keyring says so and names the file backend; the default falls back to the file with a note', async () => {
  const w = world('nokeyring');
  const env = { ...w.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
  const r = await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'keyring'], { env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /no OS keyring answers here/);
  assert.match(r.stderr, /--backend file/);
  const auto = await runStsx(['keys', 'add', 'dev', '--stdin'], { env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` });
  assert.equal(auto.code, 0, auto.stderr);
  assert.match(auto.stderr, /no OS keyring answers here .*: using the encrypted file/);
  assert.match(readFileSync(w.creds, 'utf8'), /keys get dev --backend file/);
});

test('the Secret Service (gnome-keyring in a private D-Bus session): add, use, see it with secret-tool, remove', async () => {
  const w = world('keyring');
  const stsx = STSX_ARGV.map((a) => `'${a}'`).join(' ');
  const script = `
set -e
echo -n unlock-me | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
daemon=$(pgrep -n -u "$(id -u)" gnome-keyring-d || true)
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true' EXIT
printf '%s\\n%s\\n' "$KEY_ID" "$SECRET" | ${stsx} keys add dev --stdin --backend keyring
${stsx} whoami --profile dev --query Arn
secret-tool search service stsx 2>&1 | grep -c '^attribute.username = dev$' || true
${stsx} keys list --output json
${stsx} keys remove dev
${stsx} keys list --backend keyring --output json
`;
  const env = { ...w.env, KEY_ID: w.user.accessKeyId, SECRET: w.user.secretAccessKey };
  delete (env as Record<string, string | undefined>).STSX_FILE_PASSPHRASE;
  const out = await run('dbus-run-session', ['--', 'bash', '-c', script], { env, timeout: 60_000 });
  const lines = out.stdout.trim().split('\n');
  assert.equal(lines[0], w.user.arn, out.stderr);
  assert.equal(lines[1], '1', 'secret-tool sees one item for dev');
  assert.match(out.stdout, /"backend": "keyring"/);
  assert.equal(lines.at(-1), '[]');
  assert.match(readFileSync(w.creds, 'utf8'), /^\[dev\]\n$/, 'remove takes the line away, the section stays');
  assert.ok(!allText(w.home).includes(w.user.secretAccessKey));
});

test('keys rotate against moto IAM: a new key, checked, stored, the old one deleted; a user with two keys is refused', async () => {
  const { startMoto } = await import('../support/moto.ts');
  const { IAMClient, ListAccessKeysCommand, CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const moto = await startMoto();
  try {
    const alice = await moto.createUser('rotating-alice');
    const box = sandbox({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_STS: moto.url, AWS_ENDPOINT_URL_IAM: moto.url, STSX_FILE_PASSPHRASE: PASS });
    const add = await runStsx(['keys', 'add', 'alice', '--stdin', '--backend', 'file'], { env: box.env, input: `${alice.accessKeyId}\n${alice.secretAccessKey}\n` });
    assert.equal(add.code, 0, add.stderr);
    const rotated = await runStsx(['keys', 'rotate', 'alice'], { env: box.env });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stderr, /rotated profile "alice": AKIA\*{4}\w{4} deleted, AKIA\*{4}\w{4} stored/);
    const got = await runStsx(['keys', 'get', 'alice', '--backend', 'file'], { env: box.env });
    const stored = JSON.parse(got.stdout) as { AccessKeyId: string };
    assert.notEqual(stored.AccessKeyId, alice.accessKeyId);
    const admin = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'AKIAADMINADMINADMIN1', secretAccessKey: 'x' } });
    const keys = await admin.send(new ListAccessKeysCommand({ UserName: 'rotating-alice' }));
    assert.deepEqual(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId), [stored.AccessKeyId], 'only the new key is left');
    const who = await runStsx(['whoami', '--profile', 'alice', '--query', 'Arn'], { env: box.env });
    assert.equal(who.stdout.trim(), alice.arn, who.stderr);

    await admin.send(new CreateAccessKeyCommand({ UserName: 'rotating-alice' }));
    const refused = await runStsx(['keys', 'rotate', 'alice'], { env: box.env });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /already has two access keys .* nothing was changed/);
    const after = await admin.send(new ListAccessKeysCommand({ UserName: 'rotating-alice' }));
    assert.equal(after.AccessKeyMetadata?.length, 2);
    admin.destroy();
  } finally {
    await moto.stop();
  }
});

test('hostile keys input: a profile named __proto__ or constructor, endless stdin, a huge keys file, a keyring that never answers is bounded', async () => {
  const w = world('hostile-input');
  for (const name of ['__proto__', 'constructor', 'a]b', 'x\u001b[2J']) {
    const r = await runStsx(['keys', 'add', name, '--stdin', '--backend', 'file'], { env: w.env, input: `${w.user.accessKeyId}\n${w.user.secretAccessKey}\n` });
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes('\u001b'), 'no escape reaches the terminal');
  }
  const flood = await runStsx(['keys', 'add', 'dev', '--stdin', '--backend', 'file'], { env: w.env, input: 'A'.repeat(1_000_000) });
  assert.equal(flood.code, 2, flood.stderr);
  assert.match(flood.stderr, /--stdin takes two short lines/);
  const dir = path.join(w.home, '.config', 'stsx');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'keys.enc'), 'x'.repeat(5 * 1024 * 1024));
  const huge = await runStsx(['keys', 'list', '--backend', 'file'], { env: w.env });
  assert.equal(huge.code, 3, huge.stderr);
  assert.match(huge.stderr, /is damaged \(larger than/);
  assert.equal(huge.stdout, '');
});
