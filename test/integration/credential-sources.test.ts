// Where source credentials come from, end to end against the project's own STS server: a
// credential_process that calls stsx again, one that fails or hangs, expired exported credentials,
// environment keys next to a chosen profile, MFA on every command, and a refused value that must
// not be cached.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { startImdsServer } from '../support/imds-server.ts';
import { errorLines, runStsx, STSX } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

function user(name: string): { env: Record<string, string>; arn: string; accessKeyId: string; secretAccessKey: string; home: string; writeConfig(t: string): void; writeCredentials(t: string): void } {
  const w = userWorld(sts, { name });
  return { ...w, ...w.user };
}

function withoutKeys(env: Record<string, string>): Record<string, string> {
  const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...rest } = env;
  return rest;
}

/** An executable shell script in the sandbox. */
function script(home: string, name: string, body: string): string {
  const file = path.join(home, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

test('a credential_process that calls stsx with the same profile runs one nested stsx and names the profile and the line', async () => {
  const u = user('loop');
  const count = path.join(u.home, 'starts');
  // Every stsx started through the profile's line appends a line first.
  const wrapper = script(u.home, 'stsx-wrapper', `echo "$$" >> '${count}'\nexec '${process.execPath}' '${STSX}' "$@"`);
  const line = `${wrapper} assume --role-arn arn:aws:iam::111122223333:role/admin --format json`;
  u.writeConfig(`[profile admin]\nregion = eu-central-1\ncredential_process = ${line}\n`);
  const started = Date.now();
  const r = await runStsx(['whoami'], { env: { ...withoutKeys(u.env), AWS_PROFILE: 'admin' }, timeoutMs: 20000 });
  const elapsed = Date.now() - started;
  assert.equal(r.code, 4, r.stderr);
  assert.equal(lines(count).length, 1, 'one nested stsx, which refuses at once');
  const [message, hint] = errorLines(r.stderr);
  assert.match(message ?? '', /^stsx: the credential_process of profile "admin" exited with status 3: stsx: profile "admin" runs stsx again through its own credential_process \(credential_process = .*stsx-wrapper assume --role-arn arn:aws:iam::111122223333:role\/admin --format json\)/);
  assert.match(hint ?? '', /^ {2}hint: /);
  assert.ok(elapsed < 10000, `finished in ${elapsed} ms`);
  assert.equal(r.stdout, '');
});

test('a failing credential_process shows its exit status and the last lines of its stderr, secrets masked', async () => {
  const u = user('failing');
  const proc = script(u.home, 'failing-process', [
    'echo "line one" >&2',
    'echo "aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEYXX" >&2',
    'echo "line three" >&2',
    'echo "line four" >&2',
    'echo "line five" >&2',
    'echo "token expired, run login" >&2',
    'exit 1',
  ].join('\n'));
  u.writeConfig(`[profile sso-wrapper]\ncredential_process = ${proc}\n`);
  const r = await runStsx(['whoami', '--profile', 'sso-wrapper'], { env: withoutKeys(u.env) });
  assert.equal(r.code, 4, r.stderr);
  const [message] = errorLines(r.stderr);
  assert.equal(message, 'stsx: the credential_process of profile "sso-wrapper" exited with status 1: aws_secret_access_key=**** | line three | line four | line five | token expired, run login');
  assert.doesNotMatch(r.stderr, /wJalrXUtnFEMI|line one/);
});

test('a hung credential_process is stopped at --timeout, started once, and the error names it with the real duration', async () => {
  const u = user('hung');
  const count = path.join(u.home, 'starts');
  const proc = script(u.home, 'hung-process', `echo start >> '${count}'\nexec sleep 60`);
  u.writeConfig(`[profile hung]\ncredential_process = ${proc}\n`);
  const started = Date.now();
  const r = await runStsx(['whoami', '--profile', 'hung', '--timeout', '2', '--fallback-region', `eu-west-1=${sts.url}/fallback`], { env: withoutKeys(u.env), timeoutMs: 20000 });
  const elapsed = Date.now() - started;
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: the credential_process of profile "hung" did not finish within 2(\.\d)? s; it was stopped$/);
  assert.ok(elapsed < 6000, `exited after ${elapsed} ms`);
  assert.equal(lines(count).length, 1, 'never a second copy');
  assert.doesNotMatch(r.stderr, /STS endpoint|trying/, 'the process is named, not STS, and nothing fails over');
});

test('credential_process as a source_profile hop: the role is assumed from its keys, and the process sees the chain marker', async () => {
  const u = user('hop');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/hop-role', trustedPrincipalArns: [u.arn] });
  const seen = path.join(u.home, 'chain');
  const proc = script(u.home, 'keys-process', `echo "$STSX_PROFILE_CHAIN" >> '${seen}'\necho '{"Version": 1, "AccessKeyId": "${u.accessKeyId}", "SecretAccessKey": "${u.secretAccessKey}"}'`);
  u.writeConfig(`[profile base]\ncredential_process = ${proc}\n\n[profile hop]\nrole_arn = arn:aws:iam::111122223333:role/hop-role\nsource_profile = base\nrole_session_name = hop-session\n`);
  const who = await runStsx(['whoami', '--profile', 'hop', '--query', 'Arn'], { env: withoutKeys(u.env) });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), 'arn:aws:sts::111122223333:assumed-role/hop-role/hop-session');
  const assumed = await runStsx(['assume', '--profile', 'hop', '--format', 'json', '--no-cache'], { env: withoutKeys(u.env) });
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.deepEqual(lines(seen), ['base', 'base']);
});

test('environment keys next to --profile: no SDK warning, only stsx\'s own line', async () => {
  const a = user('env-user');
  const b = sts.addUser({ account: '111122223333', userName: 'profile-user' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/other', trustedPrincipalArns: [b.arn] });
  a.writeCredentials(`[other]\naws_access_key_id = ${b.accessKeyId}\naws_secret_access_key = ${b.secretAccessKey}\n`);
  const who = await runStsx(['whoami', '--profile', 'other', '--query', 'Arn'], { env: a.env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), b.arn);
  assert.deepEqual(who.stderr.split('\n').filter((l) => l !== ''), ['stsx: using profile "other"; the keys in the environment (AWS_ACCESS_KEY_ID) are not used']);
  const assumed = await runStsx(['assume', '--profile', 'other', '--role-arn', 'arn:aws:iam::111122223333:role/other', '--format', 'json', '--no-cache'], { env: a.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  const stderr = assumed.stderr.split('\n').filter((l) => l !== '');
  assert.equal(stderr.length, 2, assumed.stderr);
  assert.ok(stderr.every((l) => l.startsWith('stsx: ')), assumed.stderr);
});

test('expired exported credentials fail locally (exit 4, no STS call) naming the environment, the time and both ways out', async () => {
  const u = user('expired-env');
  const env = { ...u.env, AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLE', AWS_CREDENTIAL_EXPIRATION: '2020-01-02T03:04:05Z' };
  const before = sts.requests.length;
  for (const args of [['whoami'], ['assume', '--role-arn', 'arn:aws:iam::111122223333:role/any', '--no-cache'], ['decode', `Zm9v${'x'.repeat(300)}`]]) {
    const r = await runStsx(args, { env });
    assert.equal(r.code, 4, `${args[0]}: ${r.stderr}`);
    const [message, hint] = errorLines(r.stderr);
    assert.match(message ?? '', /^stsx: the credentials in the environment \(AWS_ACCESS_KEY_ID AKIA\*{4}\w{4}\) expired at 2020-01-02T03:04:05Z, .* ago \(AWS_CREDENTIAL_EXPIRATION\)$/);
    assert.match(hint ?? '', /stsx assume .*stsx unset/);
    assert.doesNotMatch(r.stderr, /profile "default"/);
  }
  assert.equal(sts.requests.length, before, 'nothing was sent');
});

test('an ExpiredToken answer names the real source: the environment, with the unset way out', async () => {
  const u = user('expired-token');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/short', trustedPrincipalArns: [u.arn] });
  const first = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/short', '--format', 'json', '--no-cache'], { env: u.env });
  assert.equal(first.code, 0, first.stderr);
  const c = JSON.parse(first.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  sts.expireCredentials(c.AccessKeyId);
  const r = await runStsx(['whoami'], { env: { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken } });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.match(message ?? '', /^stsx: the credentials in the environment \(AWS_ACCESS_KEY_ID ASIA\*{4}\w{4}\) have expired \(ExpiredToken\)$/);
  assert.match(hint ?? '', /stsx unset/);
});

test('whoami and decode accept --token-code for a role profile with mfa_serial, and without it say so', async () => {
  const u = user('mfa-everywhere');
  const role = 'arn:aws:iam::111122223333:role/mfa-everywhere';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice('arn:aws:iam::111122223333:mfa/everywhere', '123456');
  u.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  u.writeConfig(`[profile mfa]\nrole_arn = ${role}\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/everywhere\nrole_session_name = mfa-s\n`);
  const env = withoutKeys(u.env);
  const who = await runStsx(['whoami', '--profile', 'mfa', '--token-code', '123456', '--query', 'Arn'], { env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), 'arn:aws:sts::111122223333:assumed-role/mfa-everywhere/mfa-s');
  const req = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(req?.params.TokenCode, '123456');
  const noCode = await runStsx(['whoami', '--profile', 'mfa'], { env });
  assert.equal(noCode.code, 2, noCode.stderr);
  assert.match(noCode.stderr, /an MFA code is needed for arn:aws:iam::111122223333:mfa\/everywhere, but there is no terminal to ask on\n {2}hint: set mfa_process in profile "mfa" .*pass --token-code/);
  const encoded = `bWZh${'y'.repeat(300)}`;
  sts.setDecodedMessage(encoded, '{"allowed":false}');
  const decoded = await runStsx(['decode', encoded, '--profile', 'mfa', '--token-code', '123456', '--output', 'json'], { env });
  assert.equal(decoded.code, 0, decoded.stderr);
  const assumeCalls = sts.requests.filter((q) => q.action === 'AssumeRole').length;
  const check = await runStsx(['endpoint', '--check', '--profile', 'mfa', '--token-code', '123456'], { env });
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').length, assumeCalls + 1, check.stderr);
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').at(-1)?.params.TokenCode, '123456');
  const badCode = await runStsx(['whoami', '--profile', 'mfa', '--token-code', '12ab'], { env });
  assert.equal(badCode.code, 2, badCode.stderr);
});

test('AccessDenied while the source is an exported role session says so and how to start from the original credentials', async () => {
  const u = user('switcher');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/first-role', trustedPrincipalArns: [u.arn] });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/second-role', trustedPrincipalArns: [u.arn] });
  const first = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/first-role', '--format', 'json', '--no-cache'], { env: u.env });
  assert.equal(first.code, 0, first.stderr);
  const c = JSON.parse(first.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  const env = { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken, AWS_CREDENTIAL_EXPIRATION: c.Expiration };
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/second-role', '--no-cache'], { env });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.match(message ?? '', /assumed-role\/first-role\/.* is not authorized to perform: sts:AssumeRole/);
  assert.match(hint ?? '', /role session exported in this shell.*eval "\$\(stsx unset\)".*--profile/);
});

test('a session token the output format refuses is not cached: the next run asks STS again', async () => {
  const u = user('newline');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/newline', trustedPrincipalArns: [u.arn] });
  const args = ['assume', '--role-arn', 'arn:aws:iam::111122223333:role/newline', '--role-session-name', 'nl', '--format', 'bash'];
  sts.setSessionTokenSuffix('\nexport EVIL=1');
  try {
    const countAssume = (): number => sts.requests.filter((q) => q.action === 'AssumeRole').length;
    const before = countAssume();
    const first = await runStsx(args, { env: u.env });
    assert.equal(first.code, 2, first.stderr);
    assert.equal(first.stdout, '');
    const second = await runStsx(args, { env: u.env });
    assert.equal(second.code, 2, second.stderr);
    assert.equal(countAssume() - before, 2, 'the refused answer was not served from the cache');
    sts.setSessionTokenSuffix('');
    const third = await runStsx(args, { env: u.env });
    assert.equal(third.code, 0, third.stderr);
    const fourth = await runStsx(args, { env: u.env });
    assert.equal(fourth.code, 0, fourth.stderr);
    assert.equal(countAssume() - before, 3, 'a printed answer is cached');
  } finally {
    sts.setSessionTokenSuffix('');
  }
});

test('SDK warnings go to the logger: both container variables set give stsx\'s lines only', async () => {
  const u = user('container');
  const env = { ...withoutKeys(u.env), AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' };
  const r = await runStsx(['whoami', '--debug'], { env, timeoutMs: 30000 });
  assert.equal(r.code, 4, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^\s+at /.test(l));
  assert.ok(lines.every((l) => l.startsWith('stsx: ') || l.startsWith('  hint: ')), r.stderr);
  assert.match(r.stderr, /^stsx: debug: sdk warn: @aws-sdk\/credential-provider-http: you have set both/m);
  const plain = lines.filter((l) => !l.startsWith('stsx: debug: '));
  assert.match(plain[0] ?? '', /^stsx: no credentials from the container role \(ECS\/EKS credentials endpoint\): /);
  assert.equal(plain.length, 2, r.stderr);
});

test('a web identity profile whose token file is missing names the source, not a profile chain', async () => {
  const u = user('web');
  u.writeConfig('[profile web]\nrole_arn = arn:aws:iam::111122223333:role/web\nweb_identity_token_file = /nonexistent/token\n');
  const r = await runStsx(['whoami', '--profile', 'web'], { env: withoutKeys(u.env) });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.match(message ?? '', /^stsx: no credentials from web identity for arn:aws:iam::111122223333:role\/web \(profile "web"\): .*\/nonexistent\/token/);
  assert.match(hint ?? '', /web identity token file/);
});

test('nothing configured: the instance role is the last place looked, and its absence reads as "no credentials"', async () => {
  const imds = await startImdsServer({ region: 'eu-central-1' });
  try {
    const u = user('ambient');
    const env: Record<string, string> = { ...withoutKeys(u.env), AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url };
    delete env.AWS_EC2_METADATA_DISABLED;
    const none = await runStsx(['whoami'], { env });
    assert.equal(none.code, 4, none.stderr);
    const [message, hint] = errorLines(none.stderr);
    assert.match(message ?? '', /^stsx: no AWS credentials found for profile "default": none in the environment or the config files, and no EC2 instance role \(/);
    assert.match(hint ?? '', /AWS_ACCESS_KEY_ID/);
    sts.addRole({ arn: 'arn:aws:iam::111122223333:role/instance', trustedPrincipalArns: [u.arn] });
    const s = sts.issueSession({ roleArn: 'arn:aws:iam::111122223333:role/instance', sessionName: 'i-0abc' });
    imds.setRole('instance', { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, Token: s.sessionToken ?? '', Expiration: (s.expiration ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const who = await runStsx(['whoami', '--query', 'Arn'], { env });
    assert.equal(who.code, 0, who.stderr);
    assert.equal(who.stdout.trim(), 'arn:aws:sts::111122223333:assumed-role/instance/i-0abc');
  } finally {
    await imds.close();
  }
});
