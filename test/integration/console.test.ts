// `stsx console` against the project's STS emulator (AssumeRole, GetFederationToken) and the local
// sign-in server (getSigninToken), with STSX_SIGNIN_ENDPOINT pointing at it; the browser is a fake
// `xdg-open` on PATH that records its arguments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { startSigninServer, type SigninServer } from '../support/signin-server.ts';
import { errorLines, runStsx, type Sandbox } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

let sts: StsServer;
let signin: SigninServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1', acceptRegions: ['eu-west-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1'] });
  signin = await startSigninServer({ sts });
});
after(async () => {
  await signin?.close();
  await sts?.close();
});

const ACCOUNT = '111122223333';

function user(name: string, extra: Record<string, string> = {}): { env: Record<string, string>; arn: string; accessKeyId: string; secretAccessKey: string; home: string; box: Sandbox } {
  const w = userWorld(sts, { name, account: ACCOUNT, env: { STSX_SIGNIN_ENDPOINT: signin.endpoint, ...extra } });
  return { env: w.env, ...w.user, home: w.home, box: w };
}

function role(name: string, trusted: string): string {
  const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  sts.addRole({ arn, trustedPrincipalArns: [trusted], maxSessionDuration: 43200 });
  return arn;
}

/** The login URL printed on stdout: exactly one line. */
function printedUrl(stdout: string): URL {
  const lines = stdout.split('\n');
  assert.equal(lines.length, 2, `one line on stdout: ${JSON.stringify(stdout)}`);
  assert.equal(lines[1], '');
  return new URL(lines[0] ?? '');
}

/** A directory with a fake xdg-open that writes each argument on its own line to `record`. */
function fakeOpener(home: string, script: string): string {
  const dir = path.join(home, 'bin');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'xdg-open');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return dir;
}

test('--role-arn --print: AssumeRole, getSigninToken with the session JSON and SessionDuration, then the login URL', async () => {
  const u = user('print');
  const arn = role('console-admin', u.arn);
  const r = await runStsx(['console', '--role-arn', arn, '--print', '--no-cache'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  const url = printedUrl(r.stdout);
  assert.equal(`${url.origin}${url.pathname}`, signin.endpoint);
  assert.equal(url.searchParams.get('Action'), 'login');
  assert.equal(url.searchParams.get('Issuer'), 'stsx');
  assert.equal(url.searchParams.get('Destination'), 'https://console.aws.amazon.com/console/home?region=eu-central-1');
  const token = url.searchParams.get('SigninToken') ?? '';
  assert.match(signin.tokens.get(token)?.arn ?? '', new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/console-admin/`));
  const assumed = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(assumed?.params.RoleArn, arn);
  const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
  assert.equal(get?.params.SessionDuration, '3600');
  assert.equal(typeof get?.session?.sessionId, 'string');
  assert.match(String(get?.session?.sessionId), /^ASIA/);
  assert.equal(typeof get?.session?.sessionToken, 'string');
  assert.match(r.stderr, /valid for about 15 minutes/);
  assert.doesNotMatch(r.stderr, new RegExp(token));
});

test('a role assumed by `stsx assume` opens the console from the cache: no second AssumeRole', async () => {
  const u = user('cached');
  const arn = role('cached-role', u.arn);
  const a = await runStsx(['assume', '--role-arn', arn, '--format', 'json'], { env: u.env });
  assert.equal(a.code, 0, a.stderr);
  const before = sts.requests.filter((q) => q.action === 'AssumeRole').length;
  const r = await runStsx(['console', '--role-arn', arn, '--print'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').length, before);
  const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
  assert.equal(get?.session?.sessionId, (JSON.parse(a.stdout) as { AccessKeyId: string }).AccessKeyId);
});

test('--profile with role_arn: the role of the profile, from its source_profile, as `stsx assume --profile` would', async () => {
  const u = user('profile-role');
  const arn = role('profile-role', u.arn);
  u.box.writeConfig(`[profile base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n[profile admin]\nrole_arn = ${arn}\nsource_profile = base\nrole_session_name = from-profile\n`);
  const env = { ...u.env };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  const r = await runStsx(['console', '--profile', 'admin', '--print', '--no-cache'], { env });
  assert.equal(r.code, 0, r.stderr);
  const assumed = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(assumed?.params.RoleArn, arn);
  assert.equal(assumed?.params.RoleSessionName, 'from-profile');
  assert.equal(assumed?.accessKeyId, u.accessKeyId);
  const token = printedUrl(r.stdout).searchParams.get('SigninToken') ?? '';
  assert.equal(signin.tokens.get(token)?.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/profile-role/from-profile`);
});

test('--service s3 and --duration: the destination keeps --region, SessionDuration is sent', async () => {
  const u = user('service');
  const arn = role('s3-role', u.arn);
  const r = await runStsx(['console', '--role-arn', arn, '--service', 's3', '--region', 'eu-west-1', '--duration', '2h', '--print', '--no-cache'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(printedUrl(r.stdout).searchParams.get('Destination'), 'https://console.aws.amazon.com/s3/home?region=eu-west-1');
  assert.equal(signin.requests.at(-1)?.params.SessionDuration, '7200');
  const d = await runStsx(['console', '--role-arn', arn, '--destination', 'https://console.aws.amazon.com/iam/home#/roles', '--print', '--no-cache'], { env: u.env });
  assert.equal(d.code, 0, d.stderr);
  assert.equal(printedUrl(d.stdout).searchParams.get('Destination'), 'https://console.aws.amazon.com/iam/home#/roles');
});

test('long-term IAM user keys: GetFederationToken (name <= 32, allow-all policy) first, and no SessionDuration', async () => {
  const u = user('federate');
  const r = await runStsx(['console', '--print', '--duration', '90m'], { env: u.env });
  assert.equal(r.code, 0, r.stderr);
  const fed = sts.requests.filter((q) => q.action === 'GetFederationToken').at(-1);
  assert.ok(fed, 'GetFederationToken was called');
  assert.equal(fed.accessKeyId, u.accessKeyId);
  assert.ok((fed.params.Name ?? '').length <= 32 && (fed.params.Name ?? '').length >= 2, fed.params.Name);
  assert.match(fed.params.Name ?? '', /^stsx-[\w+=,.@-]+$/);
  assert.equal(fed.params.DurationSeconds, '5400');
  assert.deepEqual(JSON.parse(fed.params.Policy ?? ''), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
  assert.equal(get?.status, 200);
  assert.equal(get?.params.SessionDuration, undefined, 'no SessionDuration with a federation token');
  const token = printedUrl(r.stdout).searchParams.get('SigninToken') ?? '';
  assert.equal(signin.tokens.get(token)?.arn, `arn:aws:sts::${ACCOUNT}:federated-user/${fed.params.Name ?? ''}`);
});

test('GetSessionToken credentials are refused before any sign-in call: known from the cache, without any call', async () => {
  const u = user('sessiontoken');
  const st = await runStsx(['session-token', '--format', 'json'], { env: u.env });
  assert.equal(st.code, 0, st.stderr);
  const c = JSON.parse(st.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const env = { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  const stsBefore = sts.requests.length;
  const signinBefore = signin.requests.length;
  const r = await runStsx(['console', '--print'], { env });
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, '');
  const lines = errorLines(r.stderr);
  assert.match(lines[0] ?? '', /^stsx: the console cannot be opened with GetSessionToken credentials .*stsx session-token issued them.*only role sessions and federation tokens/);
  assert.match(lines[1] ?? '', /^ {2}hint: use the IAM user's long-term keys/);
  assert.equal(sts.requests.length, stsBefore, 'no STS call');
  assert.equal(signin.requests.length, signinBefore, 'no sign-in call');
});

test('GetSessionToken credentials stsx did not issue: GetCallerIdentity tells, still no sign-in call', async () => {
  const u = user('foreign-st');
  const st = await runStsx(['session-token', '--format', 'json', '--no-cache'], { env: u.env });
  assert.equal(st.code, 0, st.stderr);
  const c = JSON.parse(st.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const env = { ...u.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  const signinBefore = signin.requests.length;
  const r = await runStsx(['console', '--print'], { env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /GetCallerIdentity names the IAM user arn:aws:iam::111122223333:user\/foreign-st with a session token/);
  assert.equal(sts.requests.filter((q) => q.action === 'GetFederationToken' && q.accessKeyId === c.AccessKeyId).length, 0);
  assert.equal(signin.requests.length, signinBefore, 'no sign-in call');
});

test('role chaining: a --duration over 1 hour is refused up front, before any call', async () => {
  const u = user('chain');
  const mid = role('chain-mid', u.arn);
  const target = role('chain-target', `arn:aws:sts::${ACCOUNT}:assumed-role/chain-mid/x`);
  u.box.writeConfig(`[profile base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n[profile mid]\nrole_arn = ${mid}\nsource_profile = base\n`);
  const before = sts.requests.length;
  const r = await runStsx(['console', '--profile', 'mid', '--role-arn', target, '--duration', '2h', '--print'], { env: u.env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: --duration 7200s is too long for the console: .* role chaining, and AWS allows a chained role's console session at most 1 hour/);
  assert.equal(sts.requests.length, before);
});

test('role flags without a role, and bad --service / --destination / --duration: exit 2 before any call', async () => {
  const u = user('usage');
  const before = sts.requests.length + signin.requests.length;
  for (const [args, message] of [
    [['--external-id', 'x'], /^stsx: --external-id needs a role to assume$/],
    [['--service', 'nope'], /^stsx: --service "nope" is not one stsx knows$/],
    [['--destination', 'http://console.aws.amazon.com/'], /^stsx: --destination must be an https:\/\/ console URL/],
    [['--duration', '13h'], /^stsx: --duration/],
  ] as const) {
    const r = await runStsx(['console', '--print', ...args], { env: u.env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(errorLines(r.stderr)[0] ?? '', message);
    assert.equal(r.stdout, '');
  }
  assert.equal(sts.requests.length + signin.requests.length, before);
});

test('partitions: aws-cn and aws-us-gov consoles; an ISO partition has none', async () => {
  for (const [region, host] of [['cn-north-1', 'console.amazonaws.cn'], ['us-gov-west-1', 'console.amazonaws-us-gov.com']] as const) {
    const u = user(`part-${region}`, { AWS_REGION: region });
    const r = await runStsx(['console', '--print', '--service', 'ec2'], { env: u.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(printedUrl(r.stdout).searchParams.get('Destination'), `https://${host}/ec2/home?region=${region}`);
  }
  const iso = user('part-iso', { AWS_REGION: 'us-iso-east-1' });
  const before = sts.requests.length;
  const r = await runStsx(['console', '--print'], { env: iso.env });
  assert.equal(r.code, 3, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: partition aws-iso \(region us-iso-east-1\) has no public AWS console to sign in to$/);
  assert.equal(sts.requests.length, before, 'refused before any call');
});

/** What the fake opener saw: its arguments, and the page behind its one file:// argument (content, modes). */
function openedPage(record: string): { args: string[]; page: string; fileMode: string; dirMode: string; url: URL } {
  const [args = '', page = '', modes = ''] = readFileSync(record, 'utf8').split('\n--\n');
  const [fileMode = '', dirMode = ''] = modes.trim().split(' ');
  const target = /<meta http-equiv="refresh" content="0;url=([^"]*)">/.exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';
  return { args: args.split('\n').filter((l) => l !== ''), page, fileMode, dirMode, url: new URL(target) };
}

/** A fake xdg-open that records its arguments, then the page its file:// URL names and the modes of the page and its directory. */
const RECORDING_OPENER = (record: string): string =>
  `for a in "$@"; do printf '%s\\n' "$a" >> '${record}'; done; f="\${1#file://}"; printf -- '\\n--\\n' >> '${record}'; cat "$f" >> '${record}'; printf -- '\\n--\\n%s %s\\n' "$(stat -c %a "$f")" "$(stat -c %a "$(dirname "$f")")" >> '${record}'`;

test('without --print the browser opener gets a private page that forwards to the URL, never the URL (its token) in argv; stdout stays empty', async () => {
  const u = user('browser');
  const arn = role('browser-role', u.arn);
  const record = path.join(u.home, 'opened.txt');
  const bin = fakeOpener(u.home, RECORDING_OPENER(record));
  const r = await runStsx(['console', '--role-arn', arn, '--no-cache'], { env: { ...u.env, PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /opened the AWS console as arn:aws:sts::111122223333:assumed-role\/browser-role\/.* in your browser \(xdg-open\)/);
  const opened = openedPage(record);
  assert.equal(opened.args.length, 1, 'one argument');
  assert.match(opened.args[0] ?? '', /^file:\/\/\/.*\/stsx-console-[^/]+\/signin\.html$/);
  assert.doesNotMatch(opened.args.join(' '), /SigninToken|Action=login/, 'the token is not in argv');
  assert.equal(opened.fileMode, '600');
  assert.equal(opened.dirMode, '700');
  assert.equal(opened.url.searchParams.get('Action'), 'login');
  const token = opened.url.searchParams.get('SigninToken') ?? '';
  assert.ok(signin.tokens.has(token));
  assert.ok(opened.page.includes(`location.replace(${JSON.stringify(opened.url.href)})`), 'the script forwards to the same URL');
});

test('no browser opener, or one that fails: exit 3 with the --print hint', async () => {
  const u = user('nobrowser');
  const arn = role('nobrowser-role', u.arn);
  const empty = path.join(u.home, 'empty-bin');
  mkdirSync(empty);
  const missing = await runStsx(['console', '--role-arn', arn, '--no-cache'], { env: { ...u.env, PATH: empty } });
  assert.equal(missing.code, 3, missing.stderr);
  assert.deepEqual(errorLines(missing.stderr), ['stsx: cannot open a browser: xdg-open is not installed', '  hint: pass --print to get the sign-in URL on stdout and open it yourself']);
  const bin = fakeOpener(u.home, 'exit 4');
  const failed = await runStsx(['console', '--role-arn', arn, '--no-cache'], { env: { ...u.env, PATH: bin } });
  assert.equal(failed.code, 3, failed.stderr);
  assert.match(failed.stderr, /^stsx: cannot open a browser: xdg-open failed \(exit status 4\)$/m);
  assert.equal(failed.stdout, '');
});

test('--debug shows the steps but never the SigninToken, the URL or the credentials', async () => {
  const u = user('debug');
  const arn = role('debug-role', u.arn);
  const record = path.join(u.home, 'opened.txt');
  const bin = fakeOpener(u.home, RECORDING_OPENER(record));
  const r = await runStsx(['console', '--role-arn', arn, '--no-cache', '--debug'], { env: { ...u.env, PATH: `${bin}:/usr/bin:/bin` } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stsx: debug: getSigninToken -> 127\.0\.0\.1:\d+\/federation with SessionDuration 3600/);
  const opened = openedPage(record).url;
  const token = opened.searchParams.get('SigninToken') ?? '';
  const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
  for (const secret of [token, String(get?.session?.sessionKey), String(get?.session?.sessionToken), u.secretAccessKey]) {
    assert.ok(secret.length > 20);
    assert.ok(!r.stderr.includes(secret), 'no secret in --debug output');
    assert.ok(!r.stderr.includes(encodeURIComponent(secret)), 'no secret in --debug output, URL-encoded');
  }
  assert.doesNotMatch(r.stderr, /SigninToken=|Session=|sessionKey/);
});

test('hostile sign-in endpoint: not JSON, huge, a hang (within --timeout), a refusal echoing the secrets: exit 5/4, terminal-safe', async () => {
  const u = user('hostile');
  const arn = role('hostile-role', u.arn);
  const run = (args: string[] = []): ReturnType<typeof runStsx> => runStsx(['console', '--role-arn', arn, '--print', ...args], { env: u.env });
  try {
    signin.fault({ status: 200, body: '<html>\u001b]52;c;AAAA\u0007 captive portal</html>', contentType: 'text/html' });
    const html = await run();
    assert.equal(html.code, 5, html.stderr);
    assert.equal(html.stdout, '');
    assert.match(errorLines(html.stderr)[0] ?? '', /^stsx: this is not the sign-in endpoint's answer: 127\.0\.0\.1:\d+ answered getSigninToken with HTTP 200, content-type text\/html, \d+ bytes \(no SigninToken in it\)$/);
    assert.ok(!html.stderr.includes('\u001b'), 'no raw escape character');
    signin.clearFaults();

    signin.fault({ hugeBytes: 4 * 1024 * 1024 });
    const huge = await run();
    assert.equal(huge.code, 5, huge.stderr);
    assert.match(huge.stderr, /sent more than 64 KiB/);
    signin.clearFaults();

    signin.fault({ hang: true });
    const started = Date.now();
    const hang = await run(['--timeout', '2']);
    const took = Date.now() - started;
    assert.equal(hang.code, 5, hang.stderr);
    assert.match(errorLines(hang.stderr)[0] ?? '', /^stsx: the answer from 127\.0\.0\.1:\d+ did not finish within 2(\.\d)? s$|^stsx: the request to 127\.0\.0\.1:\d+ got no answer within 2(\.\d)? s$/);
    assert.ok(took < 8000, `bounded: ${took} ms`);
  } finally {
    signin.clearFaults();
  }
});

test('a refusal of the sign-in endpoint is exit 4 with what it said; a body that echoes the credentials is not shown', async () => {
  const u = user('refused');
  const arn = role('refused-role', u.arn);
  try {
    signin.fault({ status: 400, body: 'Only federation tokens or assume role tokens may be used for federated login.', times: 1 });
    const said = await runStsx(['console', '--role-arn', arn, '--print', '--no-cache'], { env: u.env });
    assert.equal(said.code, 4, said.stderr);
    assert.equal(said.stdout, '');
    assert.match(errorLines(said.stderr)[0] ?? '', /^stsx: the sign-in endpoint 127\.0\.0\.1:\d+ refused the credentials \(HTTP 400\): Only federation tokens or assume role tokens may be used for federated login\.$/);
    signin.fault({ echo: true, times: 1 });
    const echoed = await runStsx(['console', '--role-arn', arn, '--print', '--no-cache'], { env: u.env });
    assert.equal(echoed.code, 4, echoed.stderr);
    assert.match(errorLines(echoed.stderr)[0] ?? '', /^stsx: the sign-in endpoint 127\.0\.0\.1:\d+ refused the credentials \(HTTP 400\)$/);
    const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
    assert.ok(!echoed.stderr.includes(String(get?.session?.sessionToken)));
    assert.ok(!echoed.stderr.includes(String(get?.session?.sessionKey)));
  } finally {
    signin.clearFaults();
  }
});

test('a refusal that quotes the secrets JSON-escaped (`/` as `\\/`) shows none of them, in any spelling', async () => {
  const u = user('refused-json');
  const arn = role('refused-json-role', u.arn);
  try {
    signin.fault({ echoJsonEscaped: true, times: 1 });
    const r = await runStsx(['console', '--role-arn', arn, '--print', '--no-cache', '--debug'], { env: u.env });
    assert.equal(r.code, 4, r.stderr);
    const get = signin.requests.filter((q) => q.action === 'getSigninToken').at(-1);
    const session = JSON.parse(get?.params.Session ?? '{}') as { sessionKey?: string; sessionToken?: string };
    const secrets = [String(session.sessionKey), String(session.sessionToken)];
    assert.ok(secrets.some((s) => s.includes('/')), 'a secret with a slash, so the escaped spelling differs');
    for (const secret of secrets) {
      for (const form of [secret, secret.replaceAll('/', '\\/'), encodeURIComponent(secret)]) assert.ok(!r.stderr.includes(form), `no secret on stderr: ${form.slice(0, 12)}...`);
    }
    assert.match(r.stderr, /^stsx: the sign-in endpoint 127\.0\.0\.1:\d+ refused the credentials \(HTTP 400\)$/m);
  } finally {
    signin.clearFaults();
  }
});

test('a sign-in endpoint answering 404 is a wrong endpoint (exit 3), not refused credentials', async () => {
  const u = user('notfound');
  const arn = role('notfound-role', u.arn);
  try {
    signin.fault({ status: 404, body: '<html><body>Not Found</body></html>', contentType: 'text/html', times: 1 });
    const r = await runStsx(['console', '--role-arn', arn, '--print', '--no-cache'], { env: u.env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    const [line, hint] = errorLines(r.stderr);
    assert.match(line ?? '', /^stsx: 127\.0\.0\.1:\d+ has no sign-in endpoint at \/federation \(HTTP 404\): Not Found$/);
    assert.match(hint ?? '', /the credentials were not checked: fix STSX_SIGNIN_ENDPOINT/);
    assert.doesNotMatch(r.stderr, /refused|role chaining/);
  } finally {
    signin.clearFaults();
  }
});
