// `stsx login` / `stsx logout` against the Identity Center stand-in (test/support/identity-center.ts)
// and the STS stand-in: the PKCE and device flows, the token cache shared with the JS SDK and
// boto3, refresh without a browser, one sign-in for parallel callers, and errors named by cause.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { startIdentityCenter, type IdentityCenter } from '../support/identity-center.ts';
import { startSigninServer, type SigninServer } from '../support/signin-server.ts';
import { errorLines, ROOT, runStsx, sandbox, type Sandbox } from '../support/run-cli.ts';

const run = promisify(execFile);
const ACCOUNT = '111122223333';
const ROLE = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_${name}_0123456789abcdef`;

let sts: StsServer;
let ic: IdentityCenter;
let signin: SigninServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
  signin = await startSigninServer({ sts });
  for (const r of ['Developer', 'ReadOnly']) sts.addRole({ arn: ROLE(r) });
  ic = await startIdentityCenter({
    accounts: [{ accountId: ACCOUNT, accountName: 'dev', roles: ['Developer', 'ReadOnly'] }],
    issue: (_account, roleName) => {
      const s = sts.issueSession({ roleArn: ROLE(roleName), sessionName: 'alice@example.com' });
      return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken ?? '', expiration: (s.expiration ?? new Date(Date.now() + 3600_000)).getTime() };
    },
  });
});
after(async () => {
  await signin?.close();
  await ic?.close();
  await sts?.close();
});

const CONFIG = `[profile sso]
sso_session = corp
sso_account_id = ${ACCOUNT}
sso_role_name = Developer
region = eu-west-1

[profile readonly]
sso_session = corp
sso_account_id = ${ACCOUNT}
sso_role_name = ReadOnly

[profile norole]
sso_session = corp
sso_account_id = ${ACCOUNT}

[profile legacy]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_account_id = ${ACCOUNT}
sso_role_name = Developer

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
`;

/** A "browser": follows the authorize page's redirect to stsx's loopback callback (or opens a device page), and logs each tab. */
function world(): Sandbox & { tabs: () => string[]; tokenFile: (key: string) => string } {
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, ...ic.env });
  box.writeConfig(CONFIG);
  const log = path.join(box.home, 'tabs.log');
  const browser = path.join(box.home, 'browser.mjs');
  writeFileSync(
    browser,
    `#!${process.execPath}
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// stsx hands the browser a private page that forwards to the URL (never the URL in argv).
const given = process.argv[2];
const url = given.startsWith('file:') ? JSON.parse(/location\\.replace\\((".*?")\\);/.exec(readFileSync(fileURLToPath(given), 'utf8'))[1]) : given;
appendFileSync(${JSON.stringify(log)}, url + '\\n');
const r = await fetch(url, { redirect: 'manual' });
const to = r.headers.get('location');
if (to) await fetch(to);
`,
  );
  chmodSync(browser, 0o755);
  box.env.BROWSER = browser;
  return Object.assign(box, {
    tabs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    tokenFile: (key: string) => path.join(box.home, '.aws', 'sso', 'cache', `${createHash('sha1').update(key).digest('hex')}.json`),
  });
}

async function whoamiArn(box: Sandbox, profile: string): Promise<{ code: number; arn: string; stderr: string }> {
  const r = await runStsx(['whoami', '--profile', profile, '--query', 'Arn'], { env: box.env });
  return { code: r.code ?? -1, arn: r.stdout.trim(), stderr: r.stderr };
}

test('stsx login (PKCE through the browser) writes the shared token cache, and whoami uses it', async () => {
  const box = world();
  const pages = ic.authorizePages;
  const r = await runStsx(['login', '--profile', 'sso'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.equal(box.tabs().length, 1);
  assert.match(box.tabs()[0] ?? '', /\/authorize\?response_type=code&client_id=[^&]+&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Fcallback&state=[^&]+&code_challenge_method=S256/);
  assert.equal(ic.authorizePages, pages + 1);
  const file = box.tokenFile('corp');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const token = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const field of ['startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken']) assert.ok(token[field], `${field} in the token cache`);
  assert.equal(token.startUrl, 'https://d-1234567890.awsapps.com/start');
  assert.match(token.expiresAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.doesNotMatch(r.stderr, new RegExp(token.accessToken ?? 'x'), 'the token is never printed');
  const who = await whoamiArn(box, 'sso');
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com`);
});

test('the JS SDK and boto3 get the role from the token stsx cached', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'readonly'], { env: box.env })).code, 0);
  const env = { ...box.env, AWS_PROFILE: 'readonly' };
  const js = await run(process.execPath, ['--input-type=module', '-e', `
    import { fromSSO } from '@aws-sdk/credential-providers';
    const c = await fromSSO({ profile: 'readonly' })();
    process.stdout.write(c.accessKeyId);`], { env, cwd: ROOT });
  assert.equal(sts.lookupCredential(js.stdout.trim())?.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice@example.com`);
  const py = await run('python3', ['-c', `
import boto3
s = boto3.Session(profile_name='readonly')
print(s.client('sts', endpoint_url='${sts.url}', region_name='eu-west-1').get_caller_identity()['Arn'])`], { env });
  assert.equal(py.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice@example.com`);
});

test('a token cached the way the AWS CLI writes it serves stsx (legacy start-URL profile too)', async () => {
  const box = world();
  // Sign in once to get a token the stand-in knows, then lay it out as the AWS CLI does for a
  // legacy profile: keyed by the start URL, no registration fields.
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const token = JSON.parse(readFileSync(box.tokenFile('corp'), 'utf8')) as Record<string, string>;
  writeFileSync(box.tokenFile('https://d-1234567890.awsapps.com/start'), JSON.stringify({ startUrl: token.startUrl, region: 'eu-west-1', accessToken: token.accessToken, expiresAt: token.expiresAt }));
  const before = ic.authorizePages;
  const who = await whoamiArn(box, 'legacy');
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.arn, /AWSReservedSSO_Developer/);
  assert.equal(ic.authorizePages, before, 'no sign-in');
});

test('an expired access token is refreshed with the refresh token, without a browser', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const file = box.tokenFile('corp');
  const token = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  writeFileSync(file, JSON.stringify({ ...token, expiresAt: '2020-01-01T00:00:00Z' }));
  const tabs = box.tabs().length;
  const who = await whoamiArn(box, 'sso');
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.arn, /AWSReservedSSO_Developer/);
  assert.equal(box.tabs().length, tabs, 'no browser');
  const renewed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  assert.notEqual(renewed.accessToken, token.accessToken);
  assert.ok(Date.parse(renewed.expiresAt ?? '') > Date.now());
  assert.equal(renewed.clientId, token.clientId);
});

test('without a terminal, a login that cannot be refreshed fails at once naming stsx login', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const file = box.tokenFile('corp');
  const token = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  writeFileSync(file, JSON.stringify({ ...token, expiresAt: '2020-01-01T00:00:00Z' }));
  ic.revokeRefreshTokens();
  const tabs = box.tabs().length;
  const r = await runStsx(['whoami', '--profile', 'sso'], { env: box.env });
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /invalid_grant|refresh token/);
  assert.match(r.stderr, /stsx login --profile sso/);
  assert.doesNotMatch(r.stderr, /aws sso login/);
  assert.equal(box.tabs().length, tabs, 'no browser without a terminal');
});

test('the device-code flow polls until the code is approved', async () => {
  const box = world();
  const r = await runStsx(['login', '--sso-session', 'corp', '--use-device-code'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /to sign in, open http:\/\/127\.0\.0\.1:\d+\/device\?user_code=/);
  assert.match(r.stderr, /code [A-Z0-9_-]{4}-[A-Z0-9_-]{4}/i);
  assert.equal(box.tabs().length, 1);
  assert.equal((await whoamiArn(box, 'sso')).code, 0);
});

test('--no-browser prints the URL (stderr) and waits for the redirect', async () => {
  const box = world();
  delete box.env.BROWSER;
  const child = execFile(process.execPath, [path.join(ROOT, 'bin', 'stsx.js'), 'login', '--profile', 'sso', '--no-browser'], { env: box.env });
  let err = '';
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const followed = new Promise<void>((resolve) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /open this URL to sign in: (\S+)/.exec(err);
      if (m?.[1] && !err.includes('\u0000done')) {
        err += '\u0000done';
        void fetch(m[1], { redirect: 'manual' }).then((res) => fetch(res.headers.get('location') ?? '')).then(() => resolve());
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  await followed;
  assert.equal(code, 0, err);
  assert.equal(out, '');
  assert.ok(existsSync(box.tokenFile('corp')));
});

test('8 parallel logins of one session share one sign-in: one browser tab, all succeed', async () => {
  const box = world();
  const results = await Promise.all(Array.from({ length: 8 }, () => runStsx(['login', '--profile', 'sso'], { env: box.env, timeoutMs: 60_000 })));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(box.tabs().length, 1, `one tab: ${results.map((r) => r.stderr).join('\n---\n')}`);
  assert.equal(results.filter((r) => /by another stsx/.test(r.stderr)).length, 7);
});

test('logout ends the session at Identity Center and removes the token', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const token = JSON.parse(readFileSync(box.tokenFile('corp'), 'utf8')) as Record<string, string>;
  const r = await runStsx(['logout', '--sso-session', 'corp'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(box.tokenFile('corp')));
  assert.ok(ic.calls.includes('POST /logout'));
  // The old token no longer works at the portal either.
  writeFileSync(box.tokenFile('corp'), JSON.stringify(token));
  const who = await runStsx(['whoami', '--profile', 'sso'], { env: box.env });
  assert.equal(who.code, 4, who.stderr);
  assert.match(who.stderr, /refused the session token of profile "sso" \(HTTP 401 UnauthorizedException/);
  assert.match(who.stderr, /stsx login --profile sso/);
});

test('errors named by cause: no sso_role_name, an unassigned role, a throttled portal', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const norole = await runStsx(['whoami', '--profile', 'norole'], { env: box.env });
  assert.equal(norole.code, 3, norole.stderr);
  assert.equal(errorLines(norole.stderr)[0], 'stsx: profile "norole" is an SSO profile without sso_role_name');
  assert.doesNotMatch(norole.stderr, /stsx login/);

  ic.unassign(ACCOUNT, 'ReadOnly');
  const denied = await runStsx(['whoami', '--profile', 'readonly'], { env: box.env });
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(denied.stderr, /denied role ReadOnly in account 111122223333 to profile "readonly" \(HTTP 403 ForbiddenException: No access\)/);
  assert.match(denied.stderr, /no longer be assigned to you/);
  assert.doesNotMatch(denied.stderr, /login/);

  ic.fault('/federation/credentials', 'throttle', 10);
  try {
    const throttled = await runStsx(['whoami', '--profile', 'sso'], { env: box.env });
    assert.notEqual(throttled.code, 0);
    assert.match(throttled.stderr, /kept throttling GetRoleCredentials for profile "sso" \(HTTP 429 TooManyRequestsException/);
    assert.doesNotMatch(throttled.stderr, /login/);
  } finally {
    // The throttles the SDK's retries did not use would otherwise reach the next test's calls.
    ic.fault('/federation/credentials', 'throttle', 0);
  }
});

test('sso populate writes one profile per account and role inside its own block, every other byte kept', async () => {
  const box = world();
  const mine = `# my settings\n[profile mine]\nregion = us-east-1 # kept as is\n\n${CONFIG}\n[profile dev/Developer]\nregion = ap-south-1\n`;
  box.writeConfig(mine);
  assert.equal((await runStsx(['login', '--sso-session', 'corp'], { env: box.env })).code, 0);
  const big = await startIdentityCenter({
    accounts: [
      { accountId: ACCOUNT, accountName: 'dev', roles: ['Developer', 'ReadOnly'] },
      { accountId: '444455556666', accountName: 'prod team', roles: ['Admin'] },
      { accountId: '777788889999', accountName: 'dev', roles: ['Auditor'] },
    ],
    pageSize: 1,
  });
  try {
    // The token stsx cached is for the main stand-in; copy it to one the second stand-in knows.
    const env = { ...box.env, ...big.env };
    assert.equal((await runStsx(['logout', '--sso-session', 'corp'], { env: box.env })).code, 0);
    assert.equal((await runStsx(['login', '--sso-session', 'corp'], { env })).code, 0);
    const dry = await runStsx(['sso', 'populate', '--dry-run'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--- .*config\n\+\+\+ /);
    assert.match(dry.stdout, /\n\+\[profile prod-team\/Admin\]\n\+sso_session = corp\n\+sso_account_id = 444455556666\n\+sso_role_name = Admin\n\+region = eu-west-1\n/);
    assert.equal(readFileSync((box.env.AWS_CONFIG_FILE ?? ''), 'utf8'), mine, 'a dry run writes nothing');

    const r = await runStsx(['sso', 'populate'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /profile "dev\/Developer" is already in .* outside stsx's block/);
    assert.match(r.stderr, /3 profiles for 3 accounts: 3 added/);
    const text = readFileSync((box.env.AWS_CONFIG_FILE ?? ''), 'utf8');
    assert.ok(text.startsWith(mine), 'every byte before is kept');
    assert.match(text, /\[profile dev\/ReadOnly\]/);
    assert.match(text, /\[profile dev-777788889999\/Auditor\]|\[profile dev\/Auditor\]/);
    assert.doesNotMatch(text.slice(mine.length), /\[profile dev\/Developer\]/, 'the user\'s own profile of that name wins');
    // The AWS CLI v2 reads the generated profiles.
    const cli = await run('/usr/bin/aws', ['configure', 'get', 'sso_account_id', '--profile', 'prod-team/Admin'], { env });
    assert.equal(cli.stdout.trim(), '444455556666');

    // The role goes away: kept without --prune (and said), removed with it.
    big.unassign(ACCOUNT, 'ReadOnly');
    const again = await runStsx(['sso', 'populate'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /1 no longer assigned kept \(--prune removes them\)/);
    assert.match(readFileSync((box.env.AWS_CONFIG_FILE ?? ''), 'utf8'), /\[profile dev\/ReadOnly\]/);
    const pruned = await runStsx(['sso', 'populate', '--prune'], { env });
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stderr, /1 removed/);
    const after = readFileSync((box.env.AWS_CONFIG_FILE ?? ''), 'utf8');
    assert.doesNotMatch(after, /\[profile dev\/ReadOnly\]/);
    assert.ok(after.startsWith(mine));
    assert.equal((after.match(/# >>> stsx sso populate/g) ?? []).length, 1, 'one block');
  } finally {
    await big.close();
  }
});

test('sso populate retries a throttled portal and pages through every account', async () => {
  const accounts = Array.from({ length: 120 }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `acct-${String(i).padStart(3, '0')}`, roles: ['Admin', 'ReadOnly'] }));
  const big = await startIdentityCenter({ accounts, pageSize: 7 });
  try {
    const box = world();
    const env = { ...box.env, ...big.env };
    assert.equal((await runStsx(['login', '--sso-session', 'corp'], { env })).code, 0);
    big.fault('/assignment/roles', 'throttle', 6);
    const r = await runStsx(['sso', 'populate', '--template', '{account_id}-{role_name}', '--prefix', 'org:'], { env, timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync((box.env.AWS_CONFIG_FILE ?? ''), 'utf8');
    assert.equal((text.match(/^\[profile org:\d{12}-(Admin|ReadOnly)\]$/gm) ?? []).length, 240);
    const listed = await runStsx(['profiles', '--output', 'json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(listed.stdout.includes('org:100000000119-ReadOnly'));
  } finally {
    await big.close();
  }
});

test('8 parallel commands on a session that needs a sign-in, each with a terminal: one browser tab, all succeed', async () => {
  const box = world();
  const drive = path.join(ROOT, 'test/fixtures/pty/drive.py');
  const command = `${process.execPath} ${path.join(ROOT, 'bin', 'stsx.js')} whoami --profile sso --query Arn`;
  const runs = await Promise.all(
    Array.from({ length: 8 }, () => run('python3', [drive, '[]', 'sh', '-c', command], { env: { ...box.env, PTY_DRIVE_TIMEOUT: '90' }, encoding: 'utf8', timeout: 120_000 })),
  );
  for (const r of runs) {
    const out = JSON.parse(r.stdout) as { code: number; transcript: string };
    assert.equal(out.code, 0, out.transcript);
    assert.match(out.transcript, /assumed-role\/AWSReservedSSO_Developer_0123456789abcdef\/alice@example\.com/);
  }
  assert.equal(box.tabs().length, 1, 'one tab');
  const said = runs.map((r) => (JSON.parse(r.stdout) as { transcript: string }).transcript);
  assert.equal(said.filter((t) => /has expired: signing in|is missing: signing in|signing in/.test(t) && /browser window was opened/.test(t)).length, 1);
});

test('an SSO profile serves credential_process (the JS SDK and boto3), exec and console', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const stsx = `${process.execPath} ${path.join(ROOT, 'bin', 'stsx.js')}`;
  const target = `arn:aws:iam::${ACCOUNT}:role/from-sso`;
  sts.addRole({ arn: target, trustedPrincipalArns: [ROLE('Developer')] });
  writeFileSync(box.env.AWS_CONFIG_FILE ?? '', `${CONFIG}\n[profile viaprocess]\ncredential_process = ${stsx} assume --profile sso --role-arn ${target} --role-session-name via-process --format json\nregion = eu-west-1\n`);
  // Other keys in ~/.aws ([default], an IAM user): the consumers must act as the role the profile names.
  const other = sts.addUser({ account: '444455556666', userName: 'default-user' });
  writeFileSync(box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', `[default]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n`);
  const env = { ...box.env, AWS_PROFILE: 'viaprocess' };
  const viaProcess = `arn:aws:sts::${ACCOUNT}:assumed-role/from-sso/via-process`;
  const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com`;
  const js = await run(process.execPath, ['--input-type=module', '-e', `
    import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
    const c = new STSClient({ region: 'eu-west-1', endpoint: process.env.AWS_ENDPOINT_URL_STS });
    process.stdout.write((await c.send(new GetCallerIdentityCommand({}))).Arn);`], { env, cwd: ROOT });
  assert.equal(js.stdout, viaProcess);
  const py = await run('python3', ['-c', `
import boto3
print(boto3.Session().client('sts', endpoint_url='${sts.url}', region_name='eu-west-1').get_caller_identity()['Arn'])`], { env });
  assert.equal(py.stdout.trim(), viaProcess);

  const ex = await runStsx(['exec', '--profile', 'sso', '--', process.execPath, '-e', 'process.stdout.write(process.env.AWS_ACCESS_KEY_ID)'], { env: box.env });
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(sts.lookupCredential(ex.stdout)?.arn, arn);

  const con = await runStsx(['console', '--profile', 'sso', '--print'], { env: { ...box.env, STSX_SIGNIN_ENDPOINT: signin.endpoint } });
  assert.equal(con.code, 0, con.stderr);
  const token = new URL(con.stdout.trim()).searchParams.get('SigninToken') ?? '';
  assert.equal(signin.tokens.get(token)?.arn, arn);
});

test('the loopback callback refuses an answer with another state; the real one still signs in', async () => {
  const box = world();
  const forged = path.join(box.home, 'forged.txt');
  const browser = path.join(box.home, 'forging-browser.mjs');
  writeFileSync(browser, `#!${process.execPath}
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const given = process.argv[2];
const url = given.startsWith('file:') ? JSON.parse(/location\\.replace\\((".*?")\\);/.exec(readFileSync(fileURLToPath(given), 'utf8'))[1]) : given;
const r = await fetch(url, { redirect: 'manual' });
const to = new URL(r.headers.get('location'));
const fake = new URL(to); fake.searchParams.set('state', 'forged'); fake.searchParams.set('code', 'attacker-code');
writeFileSync(${JSON.stringify(forged)}, String((await fetch(fake)).status));
await fetch(to);
`);
  chmodSync(browser, 0o755);
  const r = await runStsx(['login', '--profile', 'sso'], { env: { ...box.env, BROWSER: browser } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(forged, 'utf8'), '400');
});

test('logout also removes the role sessions stsx cached from that login; exec --server serves an SSO-based role', async () => {
  const box = world();
  const chained = `arn:aws:iam::${ACCOUNT}:role/after-sso`;
  sts.addRole({ arn: chained, trustedPrincipalArns: [ROLE('Developer')] });
  writeFileSync(box.env.AWS_CONFIG_FILE ?? '', `${CONFIG}\n[profile aftersso]\nrole_arn = ${chained}\nsource_profile = sso\nrole_session_name = chained\nregion = eu-west-1\n`);
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const first = await runStsx(['assume', '--profile', 'aftersso', '--format', 'json'], { env: box.env });
  assert.equal(first.code, 0, first.stderr);
  const again = await runStsx(['assume', '--profile', 'aftersso', '--format', 'json'], { env: box.env });
  assert.match(again.stderr, /using cached/);
  const served = await runStsx(['exec', '--profile', 'aftersso', '--server', '--', 'python3', '-c', `import boto3; print(boto3.client('sts', endpoint_url='${sts.url}', region_name='eu-west-1').get_caller_identity()['Arn'])`], { env: box.env });
  assert.equal(served.code, 0, served.stderr);
  assert.equal(served.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/after-sso/chained`);
  const out = await runStsx(['logout', '--sso-session', 'corp'], { env: box.env });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stderr, /logged out of sso-session "corp"; removed 1 cached role session it gave/);
  const after = await runStsx(['assume', '--profile', 'aftersso', '--format', 'json'], { env: box.env });
  assert.equal(after.code, 4, after.stderr);
  assert.match(after.stderr, /stsx login --profile sso/);
});

test('hostile Identity Center: a token endpoint or portal that hangs ends by --timeout (exit 5, nothing on stdout); a huge or odd token cache file is no token', async () => {
  const box = world();
  assert.equal((await runStsx(['login', '--profile', 'sso'], { env: box.env })).code, 0);
  const file = box.tokenFile('corp');
  const token = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  // An expired token: the refresh (CreateToken) hangs.
  writeFileSync(file, JSON.stringify({ ...token, expiresAt: '2020-01-01T00:00:00Z' }));
  ic.fault('/token', 'slow', 5, 8_000);
  const started = Date.now();
  const hung = await runStsx(['whoami', '--profile', 'sso', '--timeout', '2'], { env: box.env, timeoutMs: 25_000 });
  assert.equal(hung.code, 5, hung.stderr);
  assert.equal(hung.stdout, '');
  assert.match(hung.stderr, /did not finish within 2 s|did not answer CreateToken \(refresh\)/);
  assert.ok(Date.now() - started < 20_000, 'ended by its deadline');
  ic.fault('/token', 'slow', 0);
  // A fresh token: the portal hangs.
  writeFileSync(file, JSON.stringify(token));
  ic.fault('/federation/credentials', 'slow', 5, 8_000);
  const portal = await runStsx(['whoami', '--profile', 'sso', '--timeout', '2'], { env: box.env, timeoutMs: 25_000 });
  assert.equal(portal.code, 5, portal.stderr);
  assert.equal(portal.stdout, '');
  assert.match(portal.stderr, /did not finish within 2 s|did not answer GetRoleCredentials/);
  ic.fault('/federation/credentials', 'slow', 0);
  // Not a token: huge, control characters, a __proto__ member, not JSON. Each is no token (exit 4, no crash, nothing raw on stderr).
  for (const text of [`{"accessToken":"${'x'.repeat(70_000)}","expiresAt":"2099-01-01T00:00:00Z"}`, '{"__proto__":{"accessToken":"a","expiresAt":"2099-01-01T00:00:00Z"}}', '\u001b]52;c;cHduZWQ=\u0007', '[1,2,3]']) {
    writeFileSync(file, text);
    const r = await runStsx(['whoami', '--profile', 'sso'], { env: box.env });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no usable token|has expired or was never started/);
    assert.ok(!r.stderr.includes('\u001b'), 'no escape reaches the terminal');
  }
});
