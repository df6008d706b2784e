// `stsx exec` gives its command the role stsx names, whatever else the command's SDKs could find:
// keys in [default] of the credentials file (the most common source_profile), AWS_ROLE_ARN and
// AWS_WEB_IDENTITY_TOKEN_FILE in the environment. Checked with every consumer on this machine
// (the AWS CLI v2, the JS SDK v3's default chain, boto3, a nested `stsx whoami`), with and without
// --server; the command's other profiles still work; and the implicit default profile follows
// the one rule about environment keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, runStsx, sandbox, STSX_ARGV } from '../support/run-cli.ts';

const WHO = path.join(ROOT, 'test/fixtures/exec/who-am-i.mjs');
const ENV_CHILD = path.join(ROOT, 'test/fixtures/exec/env-child.mjs');
const ACCOUNT = '777788889999';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

interface Answers {
  cli: string;
  js: string;
  jsChain: string;
  boto3: string;
  stsx: string;
  cliOther?: string;
}

/** [default] holds an IAM user's keys, profile r is a role with source_profile = default, [other] is another user. */
function world(name: string): { box: ReturnType<typeof sandbox>; role: string; user: string; other: string } {
  const u = sts.addUser({ account: ACCOUNT, userName: name });
  const o = sts.addUser({ account: ACCOUNT, userName: `${name}-other` });
  const role = `arn:aws:iam::${ACCOUNT}:role/${name}-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig(`[default]\nregion = eu-west-1\n\n[profile r]\nrole_arn = ${role}\nsource_profile = default\n`);
  box.writeCredentials(`[default]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n\n[other]\naws_access_key_id = ${o.accessKeyId}\naws_secret_access_key = ${o.secretAccessKey}\n`);
  return { box, role, user: u.arn, other: o.arn };
}

function answers(stdout: string): Answers {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Answers;
}

const assumed = (role: string): RegExp => new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/${role.split('/').at(-1) ?? ''}/`);

for (const server of [true, false]) {
  const mode = server ? 'exec --server' : 'exec';
  test(`${mode} --profile r with IAM user keys in [default]: the AWS CLI, the JS SDK, boto3 and a nested stsx whoami are all role r; --profile other still works`, async () => {
    const w = world(server ? 'id-server' : 'id-keys');
    const r = await runStsx(['exec', '--profile', 'r', ...(server ? ['--server'] : []), '--', process.execPath, WHO, JSON.stringify(STSX_ARGV), 'other'], { env: w.box.env, timeoutMs: 90000 });
    assert.equal(r.code, 0, r.stderr);
    const got = answers(r.stdout);
    for (const consumer of ['cli', 'js', 'jsChain', 'boto3', 'stsx'] as const) assert.match(got[consumer], assumed(w.role), `${consumer}: ${got[consumer]}`);
    assert.equal(got.cliOther, w.other);
  });

  test(`${mode} --profile r with AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE in the environment: every consumer is still role r`, async () => {
    const w = world(server ? 'id-web-server' : 'id-web-keys');
    const token = path.join(w.box.home, 'token');
    writeFileSync(token, 'not.a.token');
    const env = { ...w.box.env, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/someone-else`, AWS_WEB_IDENTITY_TOKEN_FILE: token, AWS_ROLE_SESSION_NAME: 'elsewhere' };
    const r = await runStsx(['exec', '--profile', 'r', ...(server ? ['--server'] : []), '--', process.execPath, WHO, JSON.stringify(STSX_ARGV)], { env, timeoutMs: 90000 });
    assert.equal(r.code, 0, r.stderr);
    const got = answers(r.stdout);
    for (const consumer of ['cli', 'js', 'jsChain', 'boto3', 'stsx'] as const) assert.match(got[consumer], assumed(w.role), `${consumer}: ${got[consumer]}`);
  });
}

test('exec --server: the command reads a private copy of the config with a profile of its own, gone when stsx ends (and so is one a killed stsx left); the user\'s files are untouched', async () => {
  const w = world('id-overlay');
  const tmp = path.join(w.box.home, 'tmp');
  mkdirSync(tmp);
  const config = readFileSync(w.box.env.AWS_CONFIG_FILE ?? '', 'utf8');
  // Left by a stsx killed by SIGKILL (its process is gone), and one of a run still going (this test's own pid).
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  for (const pid of [dead, process.pid]) {
    mkdirSync(path.join(tmp, `stsx-exec-${pid}-AbC123`), { mode: 0o700 });
    writeFileSync(path.join(tmp, `stsx-exec-${pid}-AbC123`, 'config'), config, { mode: 0o600 });
  }
  const script = 'const fs=require("fs");const f=process.env.AWS_CONFIG_FILE;const s=fs.statSync(f);const d=fs.statSync(require("path").dirname(f));'
    + 'console.log(JSON.stringify({file:f,mode:(s.mode&0o777).toString(8),dir:(d.mode&0o777).toString(8),text:fs.readFileSync(f,"utf8"),profile:process.env.AWS_PROFILE,load:process.env.AWS_SDK_LOAD_CONFIG}))';
  const r = await runStsx(['exec', '--profile', 'r', '--server', '--', process.execPath, '-e', script], { env: { ...w.box.env, TMPDIR: tmp } });
  assert.equal(r.code, 0, r.stderr);
  const seen = JSON.parse(r.stdout.trim()) as { file: string; mode: string; dir: string; text: string; profile: string; load: string };
  assert.match(seen.profile, /^stsx-exec-[0-9a-f]{12}$/);
  assert.ok(seen.file.startsWith(`${tmp}/stsx-exec-`), seen.file);
  assert.deepEqual([seen.mode, seen.dir, seen.load], ['600', '700', '1']);
  assert.ok(seen.text.startsWith(config), 'the user\'s config, as it is');
  assert.match(seen.text.slice(config.length), new RegExp(`\\n\\[profile ${seen.profile}\\]\\nregion = eu-west-1\\n$`));
  assert.deepEqual(readdirSync(tmp), [`stsx-exec-${process.pid}-AbC123`], 'removed when stsx ended, with the leftover of a killed run; a running one\'s kept');
  assert.equal(readFileSync(w.box.env.AWS_CONFIG_FILE ?? '', 'utf8'), config);
  assert.ok(statSync(w.box.env.AWS_CONFIG_FILE ?? '').isFile());
});

test('exec: the web identity variables of the environment do not reach the command', async () => {
  const w = world('id-env');
  const env = { ...w.box.env, AWS_ROLE_ARN: 'arn:aws:iam::1:role/x', AWS_WEB_IDENTITY_TOKEN_FILE: '/nowhere', AWS_ROLE_SESSION_NAME: 's' };
  for (const server of [[], ['--server']]) {
    const r = await runStsx(['exec', '--profile', 'r', ...server, '--', process.execPath, ENV_CHILD], { env });
    assert.equal(r.code, 0, r.stderr);
    const vars = (JSON.parse(r.stdout.trim()) as { vars: Record<string, string> }).vars;
    for (const gone of ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_SESSION_NAME']) assert.equal(vars[gone], undefined, `${gone} ${server.join('')}`);
  }
});

test('keys in the environment and an implicit [default] that is a role: exec passes the keys on, as whoami uses them (no AssumeRole)', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'id-implicit' });
  const role = `arn:aws:iam::${ACCOUNT}:role/id-implicit-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey });
  box.writeConfig(`[default]\nrole_arn = ${role}\nsource_profile = base\n`);
  box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  const whoami = await runStsx(['whoami', '--query', 'Arn'], { env: box.env });
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.equal(whoami.stdout.trim(), u.arn);
  const calls = sts.requests.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === role).length;
  const r = await runStsx(['exec', '--', process.execPath, ENV_CHILD], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  const vars = (JSON.parse(r.stdout.trim()) as { vars: Record<string, string> }).vars;
  assert.equal(vars.AWS_ACCESS_KEY_ID, u.accessKeyId, 'the keys of the environment, as whoami used');
  assert.equal(vars.STSX_ROLE_ARN, undefined);
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === role).length, calls, 'no AssumeRole of the default\'s role');
  // Named, the profile is the profile: its role is assumed.
  const named = await runStsx(['exec', '--profile', 'default', '--', process.execPath, ENV_CHILD], { env: box.env });
  assert.equal(named.code, 0, named.stderr);
  assert.equal((JSON.parse(named.stdout.trim()) as { vars: Record<string, string> }).vars.STSX_ROLE_ARN, role);
});

test('exec --server inside exec --server: the inner command is the inner role for every consumer; a missing config file is no obstacle', async () => {
  const w = world('id-nested');
  const inner = `arn:aws:iam::${ACCOUNT}:role/id-nested-inner`;
  sts.addRole({ arn: inner, trustedPrincipalArns: [w.role] });
  const r = await runStsx(['exec', '--profile', 'r', '--server', '--', ...STSX_ARGV, 'exec', '--role-arn', inner, '--server', '--', process.execPath, WHO, JSON.stringify(STSX_ARGV)], { env: w.box.env, timeoutMs: 90000 });
  assert.equal(r.code, 0, r.stderr);
  const got = answers(r.stdout);
  for (const consumer of ['cli', 'js', 'jsChain', 'boto3', 'stsx'] as const) assert.match(got[consumer], assumed(inner), `${consumer}: ${got[consumer]}`);

  const env = { ...w.box.env, AWS_CONFIG_FILE: path.join(w.box.home, 'no-such-config') };
  const alone = await runStsx(['exec', '--role-arn', w.role, '--server', '--', process.execPath, WHO, JSON.stringify(STSX_ARGV)], { env, timeoutMs: 90000 });
  assert.equal(alone.code, 0, alone.stderr);
  for (const [consumer, arn] of Object.entries(answers(alone.stdout))) assert.match(arn ?? '', assumed(w.role), `${consumer}: ${arn}`);
});
