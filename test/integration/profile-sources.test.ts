// Every source a profile can name, end to end with the built stsx: a web identity profile in every
// command, EKS Pod Identity without its token file, SSO (IAM Identity Center) failures each named
// for what they are (the portal stand-in in test/support/sso-portal.ts), settings that need a
// role_arn, key ids with control characters, and temporary keys without an expiry under --server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { GITHUB_ISSUER, makeJwt } from '../support/github-oidc-server.ts';
import { startSsoPortal, writeSsoToken, type SsoPortal } from '../support/sso-portal.ts';
import { errorLines, runStsx, sandbox, STSX } from '../support/run-cli.ts';

const ACCOUNT = '210987654321';
const WEB_ROLE = `arn:aws:iam::${ACCOUNT}:role/pod-deploy`;
const SSO_ROLE = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Dev_0123456789abcdef`;
const SUBJECT = 'system:serviceaccount:prod:deployer';
const ISSUER = GITHUB_ISSUER;

let sts: StsServer;
let portal: SsoPortal;
before(async () => {
  [sts, portal] = await Promise.all([startStsServer({ region: 'eu-west-1' }), startSsoPortal()]);
  sts.addOidcProvider(ACCOUNT, ISSUER, ['sts.amazonaws.com']);
  sts.addRole({ arn: WEB_ROLE, webIdentity: { issuer: ISSUER, audience: 'sts.amazonaws.com', subject: SUBJECT } });
  sts.addRole({ arn: SSO_ROLE, trustedPrincipalArns: [] });
});
after(async () => {
  await Promise.all([sts?.close(), portal?.close()]);
});

function box(extra: Record<string, string> = {}): ReturnType<typeof sandbox> {
  return sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, ...extra });
}

function tokenFile(home: string): string {
  const file = path.join(home, 'token');
  writeFileSync(file, makeJwt({ iss: ISSUER, aud: 'sts.amazonaws.com', sub: SUBJECT, exp: Math.floor(Date.now() / 1000) + 600 }));
  return file;
}

/** A child that prints the identity it got, through the built stsx (keys from its environment). */
const WHOAMI_CHILD = [process.execPath, STSX, 'whoami', '--query', 'Arn'];

test('a web identity profile (role_arn + web_identity_token_file) works in whoami, assume and exec, role_session_name honoured', async () => {
  const b = box();
  b.writeConfig(`[profile pod]\nrole_arn = ${WEB_ROLE}\nweb_identity_token_file = ${tokenFile(b.home)}\nrole_session_name = from-pod\n`);
  const expected = `arn:aws:sts::${ACCOUNT}:assumed-role/pod-deploy/from-pod`;
  const who = await runStsx(['whoami', '--profile', 'pod', '--query', 'Arn'], { env: b.env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), expected);
  const assumed = await runStsx(['assume', '--profile', 'pod', '--format', 'json'], { env: b.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.match(assumed.stderr, /assumed-role\/pod-deploy\/from-pod/);
  const before = sts.requests.filter((r) => r.action === 'AssumeRoleWithWebIdentity').length;
  const exec = await runStsx(['exec', '--profile', 'pod', '--', ...WHOAMI_CHILD], { env: b.env });
  assert.equal(exec.code, 0, exec.stderr);
  assert.equal(exec.stdout.trim(), expected);
  const calls = sts.requests.filter((r) => r.action === 'AssumeRoleWithWebIdentity').slice(before);
  assert.equal(calls.length, 1, 'one AssumeRoleWithWebIdentity, no AssumeRole on top');
  assert.equal(calls[0]?.params.RoleSessionName, 'from-pod');
  assert.equal(calls[0]?.headers.authorization, undefined, 'unsigned');
  const served = await runStsx(['exec', '--profile', 'pod', '--server', '--', ...WHOAMI_CHILD], { env: b.env });
  assert.equal(served.code, 0, served.stderr);
  assert.equal(served.stdout.trim(), expected);
});

test('exec with a role-only flag on a web identity profile says the flag does not apply, not that a role is missing', async () => {
  const b = box();
  b.writeConfig(`[profile pod]\nrole_arn = ${WEB_ROLE}\nweb_identity_token_file = ${tokenFile(b.home)}\n`);
  const r = await runStsx(['exec', '--profile', 'pod', '--duration', '2h', '--', 'true'], { env: b.env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: --duration does not apply to profile "pod": its credentials are its web identity role's session/);
});

test('source_profile + web_identity_token_file without role_arn names the missing role_arn (exit 3)', async () => {
  const b = box();
  b.writeConfig(`[profile base]\nregion = eu-west-1\n[profile half]\nsource_profile = base\nweb_identity_token_file = ${tokenFile(b.home)}\n`);
  const r = await runStsx(['whoami', '--profile', 'half'], { env: b.env });
  assert.equal(r.code, 3, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, 'stsx: profile "half" has web_identity_token_file and source_profile but no role_arn');
  assert.match(hint ?? '', /add role_arn = arn:aws:iam::<account>:role\/<name> to profile "half"/);
  assert.doesNotMatch(r.stderr, /no AWS credentials found/);
  b.writeConfig('[profile ec2]\ncredential_source = Ec2InstanceMetadata\n');
  const alone = await runStsx(['whoami', '--profile', 'ec2'], { env: b.env });
  assert.equal(alone.code, 3, alone.stderr);
  assert.equal(errorLines(alone.stderr)[0], 'stsx: profile "ec2" has credential_source but no role_arn');
});

test('EKS Pod Identity with its token file missing names the file and the error, and no instance metadata service is asked', async () => {
  const b = box();
  const missing = path.join(b.home, 'eks-pod-identity-token');
  const r = await runStsx(['whoami'], { env: { ...b.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/v1/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: missing } });
  assert.equal(r.code, 4, r.stderr);
  const [message] = errorLines(r.stderr);
  assert.equal(message, `stsx: the container authorization token file ${missing} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) cannot be read: ENOENT`);
  assert.doesNotMatch(r.stderr, /instance metadata/);
});

test('EKS Pod Identity with a token file ending in a line break: named, not an HTTP client failure', async () => {
  const b = box();
  const token = path.join(b.home, 'eks-token');
  writeFileSync(token, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n');
  const r = await runStsx(['whoami'], { env: { ...b.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/v1/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: token } });
  assert.equal(r.code, 4, r.stderr);
  assert.equal(errorLines(r.stderr)[0], `stsx: the container authorization token file ${token} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) contains a line break or control characters`);
});

test('a container endpoint that cannot be reached is named as such, not as the instance metadata service', async () => {
  const b = box();
  const token = path.join(b.home, 'eks-token');
  writeFileSync(token, 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
  const r = await runStsx(['whoami'], { env: { ...b.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/v1/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: token } });
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: no credentials from the container role \(ECS\/EKS credentials endpoint\): /);
  assert.doesNotMatch(r.stderr, /instance metadata/);
});

// --- SSO ---------------------------------------------------------------------------------------

const START_URL = 'https://corp.awsapps.com/start';

/** An SSO profile (sso_session), its session section and, unless told, a live token in the cache. */
function ssoBox(options: { profile?: string; token?: 'live' | 'expired' | 'none' } = {}): ReturnType<typeof sandbox> & { accessToken: string } {
  const b = box({ AWS_ENDPOINT_URL_SSO: portal.url });
  const accessToken = `token-${path.basename(b.home)}`;
  b.writeConfig(`${options.profile ?? `[profile dev]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\nregion = eu-west-1\n`}[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\n`);
  const token = options.token ?? 'live';
  if (token !== 'none') {
    writeSsoToken(b.home, 'corp', { accessToken, startUrl: START_URL, region: 'eu-west-1', expiresAt: new Date(Date.now() + (token === 'live' ? 3600_000 : -3600_000)) });
  }
  const s = sts.issueSession({ roleArn: SSO_ROLE, sessionName: 'dev-user' });
  portal.grant(accessToken, ACCOUNT, 'Dev', { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken ?? '', expiration: (s.expiration ?? new Date()).getTime() });
  return { ...b, accessToken };
}

test('SSO: a live session token gets the role from the portal (AWS_ENDPOINT_URL_SSO)', async () => {
  const b = ssoBox();
  const r = await runStsx(['whoami', '--profile', 'dev', '--query', 'Arn'], { env: b.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dev-user`);
  assert.equal(portal.requests.at(-1)?.token, b.accessToken);
});

test('SSO: a legacy profile (sso_start_url, sso_region in the profile) reads the token cached under the start URL', async () => {
  const b = ssoBox({ profile: `[profile old]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\n` });
  writeSsoToken(b.home, START_URL, { accessToken: b.accessToken, startUrl: START_URL, region: 'eu-west-1', expiresAt: new Date(Date.now() + 3600_000) });
  const r = await runStsx(['whoami', '--profile', 'old', '--query', 'Arn'], { env: b.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /assumed-role\/AWSReservedSSO_Dev_0123456789abcdef\/dev-user/);
  const noRegion = ssoBox({ profile: `[profile old]\nsso_start_url = ${START_URL}\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\n` });
  const r2 = await runStsx(['whoami', '--profile', 'old'], { env: noRegion.env });
  assert.equal(r2.code, 3, r2.stderr);
  assert.equal(errorLines(r2.stderr)[0], 'stsx: profile "old" is an SSO profile without sso_region');
});

test('SSO: a profile without sso_role_name names the setting and the profile, exit 3, and no login is suggested', async () => {
  const b = ssoBox({ profile: `[profile dev]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\n` });
  const before = portal.requests.length;
  const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
  assert.equal(r.code, 3, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, 'stsx: profile "dev" is an SSO profile without sso_role_name');
  assert.match(hint ?? '', /add sso_role_name = \.\.\. to \[profile dev\]/);
  assert.doesNotMatch(r.stderr, /run: aws sso login/);
  assert.equal(portal.requests.length, before, 'nothing asked of the portal');
  const both = ssoBox({ profile: '[profile dev]\nsso_session = corp\n' });
  const r2 = await runStsx(['whoami', '--profile', 'dev'], { env: both.env });
  assert.equal(r2.code, 3, r2.stderr);
  assert.equal(errorLines(r2.stderr)[0], 'stsx: profile "dev" is an SSO profile without sso_account_id, sso_role_name');
});

test('SSO: an [sso-session] section without sso_region names the section, exit 3, and no login is suggested', async () => {
  const b = box({ AWS_ENDPOINT_URL_SSO: portal.url });
  b.writeConfig(`[profile dev]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = ${START_URL}\n`);
  const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
  assert.equal(r.code, 3, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, 'stsx: profile "dev" is an SSO profile without sso_region (in [sso-session corp])');
  assert.match(hint ?? '', /^ {2}hint: add sso_region = \.\.\. to \[sso-session corp\]/);
  assert.doesNotMatch(r.stderr, /aws sso login/);
});

test('SSO: an expired or missing session token is a login to redo, and says so', async () => {
  for (const token of ['expired', 'none'] as const) {
    const b = ssoBox({ token });
    const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
    assert.equal(r.code, 4, `${token}: ${r.stderr}`);
    const [message, hint] = errorLines(r.stderr);
    const why = token === 'expired' ? 'the cached token has expired and cannot be refreshed' : 'no usable token in ~/.aws/sso/cache';
    assert.equal(message, `stsx: the SSO session of profile "dev" has expired or was never started (${why})`, token);
    assert.equal(hint, '  hint: run: stsx login --profile dev');
  }
});

test('SSO: a token the portal refuses (401) is a login to redo', async () => {
  const b = ssoBox();
  writeSsoToken(b.home, 'corp', { accessToken: 'revoked', startUrl: START_URL, region: 'eu-west-1', expiresAt: new Date(Date.now() + 3600_000) });
  const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.match(message ?? '', /^stsx: the SSO portal \(127\.0\.0\.1\) refused the session token of profile "dev" \(HTTP 401 UnauthorizedException: Session token not found or invalid\)/);
  assert.equal(hint, '  hint: run: stsx login --profile dev');
});

test('SSO: a role no longer assigned (403 No access) names the role and the account, and a login is not the advice', async () => {
  const b = ssoBox({ profile: `[profile dev]\nsso_session = corp\nsso_account_id = ${ACCOUNT}\nsso_role_name = Admin\n` });
  const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, `stsx: the SSO portal (127.0.0.1) denied role Admin in account ${ACCOUNT} to profile "dev" (HTTP 403 ForbiddenException: No access)`);
  assert.match(hint ?? '', /no longer be assigned to you/);
  assert.doesNotMatch(r.stderr, /aws sso login/);
});

test('SSO: a server error says the status and the message; throttling says throttling; neither says log in', async () => {
  try {
    portal.fault({ status: 500, type: 'InternalServerException', message: 'the portal is having a bad day' });
    const b = ssoBox();
    const r = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(errorLines(r.stderr)[0], 'stsx: the SSO portal (127.0.0.1) failed: HTTP 500 InternalServerException: the portal is having a bad day');
    assert.doesNotMatch(r.stderr, /aws sso login/);
    portal.fault({ status: 503, message: 'down for maintenance' });
    const bare = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
    assert.equal(bare.code, 5, bare.stderr);
    assert.equal(errorLines(bare.stderr)[0], 'stsx: the SSO portal (127.0.0.1) failed: HTTP 503: down for maintenance');
    portal.fault({ status: 429, type: 'TooManyRequestsException', message: 'Rate exceeded' });
    const slow = await runStsx(['whoami', '--profile', 'dev'], { env: b.env });
    assert.equal(slow.code, 5, slow.stderr);
    assert.match(errorLines(slow.stderr)[0] ?? '', /^stsx: the SSO portal \(127\.0\.0\.1\) kept throttling GetRoleCredentials for profile "dev" \(HTTP 429 TooManyRequestsException: Rate exceeded\)/);
    assert.doesNotMatch(slow.stderr, /aws sso login/);
  } finally {
    portal.fault(undefined);
  }
});

// --- key ids with control characters ----------------------------------------------------------

test('AWS_ACCESS_KEY_ID with control characters: one line naming the variable, never the value, exit 3 (not 70)', async () => {
  const b = box();
  const r = await runStsx(['whoami'], { env: { ...b.env, AWS_ACCESS_KEY_ID: 'AKIA\u001b]52;c;SGVsbG8=\u0007EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' } });
  assert.equal(r.code, 3, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, 'stsx: AWS_ACCESS_KEY_ID in the environment contains control characters: it cannot be a credential');
  assert.match(hint ?? '', /export AWS_ACCESS_KEY_ID again/);
  assert.ok(!r.stderr.includes('\u001b') && !r.stderr.includes('SGVsbG8'), 'the value is not echoed');
  assert.doesNotMatch(r.stderr, /bug in stsx/);
});

test('aws_access_key_id with control characters in the credentials file: named with the profile and the file, exit 3', async () => {
  const b = box();
  b.writeCredentials('[keys]\naws_access_key_id = AKIA\u001b[2JEXAMPLE\naws_secret_access_key = secret\n');
  const r = await runStsx(['whoami', '--profile', 'keys'], { env: b.env });
  assert.equal(r.code, 3, r.stderr);
  const [message] = errorLines(r.stderr);
  assert.equal(message, `stsx: aws_access_key_id of profile "keys" (${b.env.AWS_SHARED_CREDENTIALS_FILE ?? ''}) contains control characters: it cannot be a credential`);
  assert.ok(!r.stderr.includes('\u001b'));
});

test('a credential_process returning an AccessKeyId with control characters: named, not a bug (exit 4)', async () => {
  const b = box();
  const script = path.join(b.home, 'creds.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s' '{"Version": 1, "AccessKeyId": "AKIA\\u001b[2JEXAMPLE", "SecretAccessKey": "s"}'\n`);
  chmodSync(script, 0o755);
  b.writeConfig(`[profile proc]\ncredential_process = ${script}\n`);
  const r = await runStsx(['whoami', '--profile', 'proc'], { env: b.env });
  assert.equal(r.code, 4, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.equal(message, 'stsx: AccessKeyId from the credential_process of profile "proc" contains control characters: it cannot be a credential');
  assert.match(hint ?? '', /run the credential_process of profile "proc" by hand/);
  assert.ok(!r.stderr.includes('\u001b'));
});

// --- exec --server with temporary keys of unknown expiry --------------------------------------

test('exec --server with a session token but no expiry does not call them long-term keys', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'temp' });
  const b = box();
  const env = { ...b.env, AWS_ACCESS_KEY_ID: 'ASIATEMPKEY000000001', AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN' };
  const r = await runStsx(['exec', '--server', '--', 'true'], { env });
  assert.equal(r.code, 2, r.stderr);
  const [message, hint] = errorLines(r.stderr);
  assert.doesNotMatch(message ?? '', /long-term/);
  assert.match(message ?? '', /^stsx: --server hands out credentials with an expiry, but these temporary keys have none that stsx can see/);
  assert.match(hint ?? '', /AWS_CREDENTIAL_EXPIRATION/);
  // The same from a profile section with aws_session_token (what --write-profile writes).
  b.writeCredentials(`[written]\naws_access_key_id = ASIATEMPKEY000000002\naws_secret_access_key = ${u.secretAccessKey}\naws_session_token = FwoGZXIvYXdzEXAMPLETOKEN\n`);
  const section = await runStsx(['exec', '--profile', 'written', '--server', '--', 'true'], { env: b.env });
  assert.equal(section.code, 2, section.stderr);
  assert.match(errorLines(section.stderr)[0] ?? '', /these temporary keys have none that stsx can see/);
  const longTerm = await runStsx(['exec', '--server', '--', 'true'], { env: { ...b.env, AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey } });
  assert.equal(longTerm.code, 2, longTerm.stderr);
  assert.match(errorLines(longTerm.stderr)[0] ?? '', /these are long-term keys/);
});
