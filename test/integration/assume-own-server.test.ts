// assume and session-token against the project's own STS server, which checks what moto does not:
// SigV4, external ids, MFA, role-chaining limits, region activation, and the parameters sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, STSX_ARGV } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

function user(name: string, account = '111122223333'): { env: Record<string, string>; arn: string; accessKeyId: string; secretAccessKey: string } {
  const w = userWorld(sts, { name, account });
  return { env: w.env, ...w.user };
}

test('every AssumeRole parameter reaches STS as given', async () => {
  const u = user('params');
  const role = 'arn:aws:iam::111122223333:role/params-role';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], externalId: 'ext-123', maxSessionDuration: 7200 });
  const policyFile = path.join(u.env.HOME ?? '', 'policy.json');
  writeFileSync(policyFile, '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}\n');
  const r = await runStsx(['assume', '--role-arn', role, '--role-session-name', 'p-1', '--duration', '1h30m', '--external-id', 'ext-123', '--policy', `file://${policyFile}`,
    '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess', '--tag', 'Project=Pegasus', '--tag', 'Cost-Center=98765', '--transitive-tag-key', 'Project', '--source-identity', 'alice', '--format', 'json', '--no-cache'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  const req = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.ok(req);
  assert.equal(req.params.RoleSessionName, 'p-1');
  assert.equal(req.params.DurationSeconds, '5400');
  assert.equal(req.params.ExternalId, 'ext-123');
  assert.equal(req.params['PolicyArns.member.1.arn'], 'arn:aws:iam::aws:policy/ReadOnlyAccess');
  assert.equal(req.params['Tags.member.2.Key'], 'Cost-Center');
  assert.equal(req.params['TransitiveTagKeys.member.1'], 'Project');
  assert.equal(req.params.SourceIdentity, 'alice');
  assert.deepEqual(JSON.parse(req.params.Policy ?? ''), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  assert.equal(req.signingRegion, 'eu-central-1');
});

test('AccessDenied (no trust) and a wrong external id are clear, exit 4, never retried into a fallback', async () => {
  const u = user('denied');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/strict', trustedPrincipalArns: ['arn:aws:iam::111122223333:user/someone-else'] });
  const before = sts.requests.length;
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/strict', '--fallback-region', `eu-west-1=${sts.url}/fallback`], { env: u.env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /access denied by STS \(AssumeRole at 127\.0\.0\.1:\d+\): User: arn:aws:iam::111122223333:user\/denied is not authorized to perform: sts:AssumeRole/);
  assert.match(r.stderr, /hint: the role's trust policy must allow this caller/);
  assert.equal(sts.requests.length - before, 1, 'one request: AccessDenied is not retried and does not fail over');
});

test('RegionDisabledException: exit 6 with the activation advice', async () => {
  const u = user('regional', '999988887777');
  sts.addRole({ arn: 'arn:aws:iam::999988887777:role/r' });
  sts.disableRegionForAccount('999988887777');
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::999988887777:role/r'], { env: u.env });
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /STS is not activated in eu-central-1 for this account \(RegionDisabledException\)/);
});

test('MFA: --token-code accepted, a wrong code denied, and no terminal fails at once instead of hanging', async () => {
  const u = user('mfa');
  const role = 'arn:aws:iam::111122223333:role/mfa-role';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice('arn:aws:iam::111122223333:mfa/mfa', '654321');
  const ok = await runStsx(['assume', '--role-arn', role, '--mfa-serial', 'arn:aws:iam::111122223333:mfa/mfa', '--token-code', '654321', '--no-cache'], { env: u.env });
  assert.equal(ok.code, 0, ok.stderr);
  const wrong = await runStsx(['assume', '--role-arn', role, '--mfa-serial', 'arn:aws:iam::111122223333:mfa/mfa', '--token-code', '111111', '--no-cache'], { env: u.env });
  assert.equal(wrong.code, 4, wrong.stderr);
  assert.match(wrong.stderr, /MultiFactorAuthentication/);
  const started = Date.now();
  const noTty = await runStsx(['assume', '--role-arn', role, '--mfa-serial', 'arn:aws:iam::111122223333:mfa/mfa', '--no-cache'], { env: u.env });
  assert.equal(noTty.code, 2, noTty.stderr);
  assert.match(noTty.stderr, /an MFA code is needed for arn:aws:iam::111122223333:mfa\/mfa, but there is no terminal to ask on/);
  assert.ok(Date.now() - started < 5000);
});

test('session-token refuses temporary credentials before calling STS', async () => {
  const u = user('temp');
  const issued = await runStsx(['session-token', '--format', 'json', '--no-cache'], { env: u.env });
  assert.equal(issued.code, 0, issued.stderr);
  const c = JSON.parse(issued.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const r = await runStsx(['session-token', '--no-cache'], { env: { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /session-token needs long-term IAM user keys/);
});

test('role chaining: an assumed-role source asking for 2h gets the explanation, not STS\'s terse error', async () => {
  const u = user('chainer');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/first', trustedPrincipalArns: [u.arn] });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/second', trustedPrincipalArns: ['*'], maxSessionDuration: 43200 });
  const first = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/first', '--format', 'json', '--no-cache'], { env: u.env });
  const c = JSON.parse(first.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const env = { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/second', '--duration', '2h', '--no-cache'], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /role chaining.*limits chained role sessions to 1 hour/);
});

test('role chaining known from the cache: after eval "$(stsx assume ...)", a --duration over 1h is refused before anything is sent', async () => {
  const u = user('chain-cached');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/first-cached', trustedPrincipalArns: [u.arn] });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/second-cached', trustedPrincipalArns: ['*'], maxSessionDuration: 43200 });
  const first = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/first-cached', '--format', 'json'], { env: u.env });
  assert.equal(first.code, 0, first.stderr);
  const c = JSON.parse(first.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const env = { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  const before = sts.requests.length;
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/second-cached', '--duration', '3h', '--debug'], { env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: --duration 10800s is too long: the source credentials are themselves a role session \(role chaining\)/);
  assert.equal(sts.requests.length, before, 'nothing was sent');
  // GetSessionToken keys from the cache are no role session: a long role session from them is sent.
  const st = await runStsx(['session-token', '--format', 'json'], { env: u.env });
  assert.equal(st.code, 0, st.stderr);
  const s = JSON.parse(st.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const fromSession = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/second-cached', '--duration', '3h', '--debug', '--format', 'json'], { env: { ...u.env, AWS_ACCESS_KEY_ID: s.AccessKeyId, AWS_SECRET_ACCESS_KEY: s.SecretAccessKey, AWS_SESSION_TOKEN: s.SessionToken } });
  assert.equal(fromSession.code, 0, fromSession.stderr);
  assert.match(fromSession.stderr, /chained false/);
});

test('--min-ttl longer than the session: one warning that the cache can never reuse it', async () => {
  const u = user('min-ttl');
  const role = 'arn:aws:iam::111122223333:role/min-ttl';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const r = await runStsx(['assume', '--role-arn', role, '--format', 'json', '--min-ttl', '2h'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('stsx: warning:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0] ?? '', /^stsx: warning: --min-ttl 2h00m is longer than these credentials last \((59m|1h00m)\), so the cache can never reuse them and every run asks STS/);
  const fits = await runStsx(['assume', '--role-arn', role, '--format', 'json', '--min-ttl', '30m'], { env: u.env });
  assert.equal(fits.code, 0, fits.stderr);
  assert.doesNotMatch(fits.stderr, /warning/);
});

test('--format json works as credential_process for another profile (the AWS CLI contract)', async () => {
  const u = user('proc');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/proc-role', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeCredentials(`[keys]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  box.writeConfig(`[profile proc]\ncredential_process = ${STSX_ARGV.join(' ')} assume --profile keys --role-arn arn:aws:iam::111122223333:role/proc-role --role-session-name via-process --format json\n`);
  const r = await runStsx(['whoami', '--profile', 'proc', '--query', 'Arn'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'arn:aws:sts::111122223333:assumed-role/proc-role/via-process');
});

test('--format github masks the secrets on stdout and appends heredoc-style lines to GITHUB_ENV', async () => {
  const u = user('gha');
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/gha', trustedPrincipalArns: [u.arn] });
  const envFile = path.join(u.env.HOME ?? '', 'github_env');
  writeFileSync(envFile, 'EXISTING=1\n');
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/gha', '--format', 'github', '--no-cache'], { env: { ...u.env, GITHUB_ENV: envFile } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^::add-mask::.+$/m);
  const written = readFileSync(envFile, 'utf8');
  assert.ok(written.startsWith('EXISTING=1\n'));
  assert.match(written, /^AWS_SESSION_TOKEN<<ghadelimiter_/m);
  assert.match(written, /^AWS_REGION<<ghadelimiter_[^\n]+\neu-central-1\n/m);
  const missing = await runStsx(['assume', '--role-arn', 'arn:aws:iam::111122223333:role/gha', '--format', 'github', '--no-cache'], { env: u.env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /GITHUB_ENV/);
});

test('cache: a hundred evals make one STS call; another source user never gets the cached role', async () => {
  const a = user('cache-a');
  const b = user('cache-b');
  const role = 'arn:aws:iam::111122223333:role/cached';
  sts.addRole({ arn: role, trustedPrincipalArns: [a.arn, b.arn] });
  const shared = { XDG_CACHE_HOME: path.join(a.env.HOME ?? '', 'shared-cache') };
  const count = (): number => sts.requests.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === role).length;
  const start = count();
  const first = await runStsx(['assume', '--role-arn', role, '--format', 'json'], { env: { ...a.env, ...shared } });
  for (let i = 0; i < 4; i += 1) {
    const again = await runStsx(['assume', '--role-arn', role, '--format', 'json'], { env: { ...a.env, ...shared } });
    assert.equal(again.stdout, first.stdout);
    assert.match(again.stderr, /using cached/);
  }
  assert.equal(count() - start, 1);
  const other = await runStsx(['assume', '--role-arn', role, '--format', 'json'], { env: { ...b.env, ...shared } });
  assert.notEqual(JSON.parse(other.stdout).AccessKeyId, JSON.parse(first.stdout).AccessKeyId);
  assert.equal(count() - start, 2);
  const refreshed = await runStsx(['assume', '--role-arn', role, '--format', 'json', '--refresh'], { env: { ...a.env, ...shared } });
  assert.notEqual(JSON.parse(refreshed.stdout).AccessKeyId, JSON.parse(first.stdout).AccessKeyId);
  assert.equal(count() - start, 3);
});

// The whole table of refusals is test/unit/assume-plan.test.ts; these stay end to end (flag
// parsing, reading --policy, the format check) to prove nothing is sent.
const refusals: [string, string[], RegExp][] = [
  ['bad role ARN', ['--role-arn', 'arn:aws:iam::123:role/x'], /--role-arn "arn:aws:iam::123:role\/x" is not an IAM role ARN/],
  ['policy not JSON', ['--role-arn', 'arn:aws:iam::111122223333:role/x', '--policy', '{nope'], /--policy is not valid JSON/],
  ['unknown format', ['--role-arn', 'arn:aws:iam::111122223333:role/x', '--format', 'tcsh'], /tcsh/],
];
for (const [name, args, message] of refusals) {
  test(`assume refuses ${name} before any request (exit 2)`, async () => {
    const u = user(`refuse-${name.replace(/\W/g, '')}`);
    const before = sts.requests.length;
    const r = await runStsx(['assume', ...args], { env: u.env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', message);
    assert.equal(sts.requests.length, before, 'nothing was sent');
  });
}

test('--debug shows settings and calls but never a secret, token or MFA code', async () => {
  const u = user('debugger');
  const role = 'arn:aws:iam::111122223333:role/debug-role';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice('arn:aws:iam::111122223333:mfa/debugger', '918273');
  const r = await runStsx(['assume', '--role-arn', role, '--mfa-serial', 'arn:aws:iam::111122223333:mfa/debugger', '--token-code', '918273', '--format', 'json', '--debug', '--no-cache'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as { SecretAccessKey: string; SessionToken: string };
  assert.match(r.stderr, /debug: endpoint http:\/\/127\.0\.0\.1:\d+\/ \(\$AWS_ENDPOINT_URL_STS\)/);
  assert.match(r.stderr, /debug: AssumeRole -> /);
  for (const secret of [u.secretAccessKey, c.SecretAccessKey, c.SessionToken, '918273']) assert.ok(!r.stderr.includes(secret), 'no secret on stderr');
});
