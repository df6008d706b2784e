// `stsx assume --web-identity` against the project's STS server (AssumeRoleWithWebIdentity with
// trust conditions on sub/aud, OIDC providers per account) and the local GitHub token stand-in;
// --allowed-account-id on assume and session-token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StsServer } from '../support/sts-server.ts';
import { githubJobEnv, startGithubWorld } from '../support/github-world.ts';
import { GITHUB_ISSUER, makeJwt, type GithubOidcServer } from '../support/github-oidc-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

const ACCOUNT = '210987654321';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/gha-deploy`;
const SUB = 'repo:octo-org/octo-repo:ref:refs/heads/main';

let sts: StsServer;
let gh: GithubOidcServer;
before(async () => {
  ({ sts, gh } = await startGithubWorld(ACCOUNT, ROLE));
});
after(async () => {
  await Promise.all([sts?.close(), gh?.close()]);
});

/** A GitHub Actions job with `id-token: write`, no AWS keys anywhere. */
function githubJob(extra: Record<string, string> = {}): ReturnType<typeof sandbox> {
  return sandbox(githubJobEnv(sts, gh, '987654321', extra));
}

function stsCalls(action: string): typeof sts.requests {
  return sts.requests.filter((r) => r.action === action);
}

test('GitHub Actions: the token from the endpoint (audience, bearer), an unsigned AssumeRoleWithWebIdentity, the session name says where it runs', async () => {
  const box = githubJob();
  const ghBefore = gh.requests.length;
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--format', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { AccessKeyId: string; SessionToken: string };
  assert.match(out.AccessKeyId, /^ASIA/);
  const tokenReq = gh.requests.at(-1);
  assert.equal(gh.requests.length - ghBefore, 1);
  assert.equal(tokenReq?.audience, 'sts.amazonaws.com');
  assert.equal(tokenReq?.authorization, `bearer ${gh.requestToken}`);
  assert.match(tokenReq?.url ?? '', /api-version=2\.0&audience=sts\.amazonaws\.com$/);
  const call = stsCalls('AssumeRoleWithWebIdentity').at(-1);
  assert.ok(call);
  assert.equal(call.headers.authorization, undefined, 'AssumeRoleWithWebIdentity is not signed');
  assert.equal(call.params.RoleSessionName, 'gh-octo-org-octo-repo-987654321');
  assert.equal(call.params.RoleArn, ROLE);
  assert.match(r.stderr, /assumed arn:aws:sts::210987654321:assumed-role\/gha-deploy\/gh-octo-org-octo-repo-987654321 with web identity/);
  assert.ok(!r.stderr.includes(call.params.WebIdentityToken ?? 'x'), 'the token is never echoed');
  assert.ok(!r.stderr.includes(gh.requestToken));
});

test('the exported credentials work: whoami with them is the web-identity role', async () => {
  const box = githubJob();
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'github', '--format', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const who = await runStsx(['whoami', '--query', 'Arn'], { env: { ...sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url }).env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken } });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/gh-octo-org-octo-repo-987654321`);
});

test('--format github: the whole GitHub Actions story (GITHUB_ENV and masks)', async () => {
  const box = githubJob();
  const envFile = path.join(box.home, 'github_env');
  writeFileSync(envFile, '');
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--format', 'github'], { env: { ...box.env, GITHUB_ENV: envFile } });
  assert.equal(r.code, 0, r.stderr);
  const written = readFileSync(envFile, 'utf8');
  assert.match(written, /AWS_ACCESS_KEY_ID/);
  assert.match(written, /AWS_SESSION_TOKEN/);
  assert.match(r.stdout, /::add-mask::/);
});

test('the job lacks id-token: write (no request URL): named, exit 4, nothing on stdout, no STS call', async () => {
  const box = githubJob();
  delete box.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  delete box.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  const before = sts.requests.length;
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity'], { env: box.env });
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(errorLines(r.stderr), [
    'stsx: GitHub Actions gave this job no OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set',
    '  hint: add `permissions: id-token: write` to the workflow or the job (pull requests from forks never get one)',
  ]);
  assert.equal(sts.requests.length, before);
});

test('trust policy sub mismatch: the token\'s sub, aud and iss are shown (escaped), never the token; AccessDenied is not retried', async () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/prod-only`;
  sts.addRole({ arn: role, webIdentity: { issuer: GITHUB_ISSUER, audience: 'sts.amazonaws.com', subject: 'repo:octo-org/octo-repo:environment:prod' } });
  const sub = 'repo:Octo-Org/octo-repo:ref:refs/heads/main\u001b[31m';
  gh.claims.sub = sub;
  try {
    const box = githubJob();
    const before = stsCalls('AssumeRoleWithWebIdentity').length;
    const r = await runStsx(['assume', '--role-arn', role, '--web-identity'], { env: box.env });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    const [line, hint] = errorLines(r.stderr);
    assert.match(line ?? '', /^stsx: the trust policy of arn:aws:iam::210987654321:role\/prod-only does not accept this token \(AccessDenied\); the token has sub "repo:Octo-Org\/octo-repo:ref:refs\/heads\/main\\u001b\[31m", aud "sts\.amazonaws\.com", iss "https:\/\/token\.actions\.githubusercontent\.com"$/);
    assert.match(hint ?? '', /sub and <issuer>:aud must match/);
    assert.ok(!r.stderr.includes('\u001b'), 'control characters are escaped');
    const token = stsCalls('AssumeRoleWithWebIdentity').at(-1)?.params.WebIdentityToken ?? 'none';
    assert.ok(!r.stderr.includes(token.split('.')[1] ?? 'none'));
    assert.equal(stsCalls('AssumeRoleWithWebIdentity').length - before, 1, 'a denial is final');
  } finally {
    gh.claims.sub = SUB;
  }
});

test('the OIDC provider is missing in the account: named, with the command that creates it', async () => {
  const role = 'arn:aws:iam::333344445555:role/no-provider';
  sts.addRole({ arn: role, webIdentity: { issuer: GITHUB_ISSUER } });
  const r = await runStsx(['assume', '--role-arn', role, '--web-identity'], { env: githubJob().env });
  assert.equal(r.code, 4, r.stderr);
  assert.deepEqual(errorLines(r.stderr), [
    `stsx: the account of ${role} has no IAM OIDC identity provider for https://token.actions.githubusercontent.com (InvalidIdentityToken)`,
    '  hint: create it once in that account: aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com',
  ]);
});

test('--audience is asked for and sent; an audience the provider does not list is named', async () => {
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--audience', 'https://github.com/octo-org'], { env: githubJob().env });
  assert.equal(gh.requests.at(-1)?.audience, 'https://github.com/octo-org');
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /the IAM OIDC provider does not list the token's audience \(InvalidIdentityToken\); the token has sub "repo:octo-org\/octo-repo:ref:refs\/heads\/main", aud "https:\/\/github\.com\/octo-org"/);
});

test('the token endpoint failing (5xx) is retried with jitter; a slow one is bounded by --timeout', async () => {
  gh.fault({ status: 503, times: 2 });
  try {
    const before = gh.requests.length;
    const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--format', 'json'], { env: githubJob().env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(gh.requests.length - before, 3);
  } finally {
    gh.clearFaults();
  }
  gh.fault({ delayMs: 5000 });
  try {
    const started = Date.now();
    const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--timeout', '1'], { env: githubJob().env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: the GitHub OIDC token endpoint 127\.0\.0\.1:\d+ did not give a token within 1 s/);
    assert.ok(Date.now() - started < 4000);
  } finally {
    gh.clearFaults();
  }
});

test('the token endpoint refusing (401), answering non-JSON or a huge body: final, exit 4, not retried', async () => {
  for (const [fault, message] of [
    [{ status: 401 }, /refused the request \(HTTP 401\)/],
    [{ status: 200, body: '<html>proxy login</html>' }, /did not answer JSON/],
    [{ status: 200, body: `{"value":"${'a'.repeat(200_000)}"}` }, /sent more than 64 KiB/],
  ] as const) {
    gh.fault({ ...fault, times: 1 });
    const before = gh.requests.length;
    const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity'], { env: githubJob().env });
    gh.clearFaults();
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', message);
    assert.equal(gh.requests.length - before, 1);
  }
});

test('the token endpoint redirecting (302): said once, as a redirect, naming where to without its query; not retried, not followed', async () => {
  gh.fault({ status: 302, location: 'https://portal.example/login/next?session=SECRET-in-query&x=1' });
  const before = gh.requests.length;
  try {
    const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity'], { env: githubJob().env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: the GitHub OIDC token endpoint 127\.0\.0\.1:\d+ answered with a redirect \(HTTP 302\) to https:\/\/portal\.example\/login\/next \(query not shown\); stsx does not follow it$/);
    assert.doesNotMatch(r.stderr, /SECRET-in-query|unreachable|failed \d+ times/);
    assert.equal(gh.requests.length - before, 1, 'asked once');
  } finally {
    gh.clearFaults();
  }
});

test('throttling by STS (parallel matrix jobs) is retried', async () => {
  sts.fault({ status: 400, code: 'Throttling', action: 'AssumeRoleWithWebIdentity', times: 2 });
  try {
    const before = stsCalls('AssumeRoleWithWebIdentity').length;
    const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--format', 'json'], { env: githubJob().env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(stsCalls('AssumeRoleWithWebIdentity').length - before, 3);
  } finally {
    sts.clearFaults();
  }
});

test('role chaining: --role-arn twice assumes the second role with the web-identity session; over 1 h is refused up front', async () => {
  const target = `arn:aws:iam::${ACCOUNT}:role/target`;
  sts.addRole({ arn: target, trustedPrincipalArns: [ROLE] });
  const r = await runStsx(['assume', '--role-arn', ROLE, '--role-arn', target, '--web-identity', '--format', 'json'], { env: githubJob().env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /assumed arn:aws:sts::210987654321:assumed-role\/target\/gh-octo-org-octo-repo-987654321/);
  const hop = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(hop?.params.RoleArn, target);

  const before = sts.requests.length;
  const long = await runStsx(['assume', '--role-arn', ROLE, '--role-arn', target, '--web-identity', '--duration', '2h'], { env: githubJob().env });
  assert.equal(long.code, 2, long.stderr);
  assert.match(errorLines(long.stderr)[0] ?? '', /role chaining/);
  assert.equal(sts.requests.length, before, 'nothing was sent');
});

test('sources: file:PATH, env:NAME, gitlab (id_tokens variable), AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN detected', async () => {
  const gitlabIssuer = 'https://gitlab.example.com';
  const glRole = `arn:aws:iam::${ACCOUNT}:role/gitlab`;
  sts.addOidcProvider(ACCOUNT, gitlabIssuer, ['sts.amazonaws.com']);
  sts.addRole({ arn: glRole, webIdentity: { issuer: gitlabIssuer, audience: 'sts.amazonaws.com', subject: 'project_path:grp/proj:*' } });
  const now = Math.floor(Date.now() / 1000);
  const token = makeJwt({ iss: gitlabIssuer, aud: 'sts.amazonaws.com', sub: 'project_path:grp/proj:ref_type:branch:ref:main', exp: now + 300 });
  const base = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const file = path.join(base.home, 'token');
  writeFileSync(file, `${token}\n`);

  const gitlab = await runStsx(['assume', '--role-arn', glRole, '--web-identity', '--format', 'json'], { env: { ...base.env, GITLAB_CI: 'true', CI_PROJECT_PATH: 'grp/proj', CI_JOB_ID: '42', AWS_WEB_IDENTITY_TOKEN: token } });
  assert.equal(gitlab.code, 0, gitlab.stderr);
  assert.equal(stsCalls('AssumeRoleWithWebIdentity').at(-1)?.params.RoleSessionName, 'gl-grp-proj-42');

  const named = await runStsx(['assume', '--role-arn', glRole, '--web-identity', 'gitlab', '--web-identity-env', 'GL_OIDC', '--format', 'json'], { env: { ...base.env, GL_OIDC: token } });
  assert.equal(named.code, 0, named.stderr);
  const missing = await runStsx(['assume', '--role-arn', glRole, '--web-identity', 'gitlab'], { env: base.env });
  assert.equal(missing.code, 4);
  assert.match(errorLines(missing.stderr)[0] ?? '', /GitLab CI gave this job no OIDC token: AWS_WEB_IDENTITY_TOKEN is not set/);

  for (const args of [['--web-identity', `file:${file}`], ['--web-identity', 'env:MY_TOKEN']]) {
    const r = await runStsx(['assume', '--role-arn', glRole, ...args, '--format', 'json', '--role-session-name', 'from-file'], { env: { ...base.env, MY_TOKEN: token } });
    assert.equal(r.code, 0, r.stderr);
  }
  const sdkStyle = await runStsx(['assume', '--web-identity', '--format', 'json'], { env: { ...base.env, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: glRole, AWS_ROLE_SESSION_NAME: 'sdk-style' } });
  assert.equal(sdkStyle.code, 0, sdkStyle.stderr);
  assert.equal(stsCalls('AssumeRoleWithWebIdentity').at(-1)?.params.RoleSessionName, 'sdk-style');
});

test('bad token sources: not a JWT, too long for STS, an unknown SOURCE', async () => {
  const base = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const before = sts.requests.length;
  const notJwt = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'env:T'], { env: { ...base.env, T: 'hello world\u001b' } });
  assert.equal(notJwt.code, 4);
  assert.equal(errorLines(notJwt.stderr)[0], 'stsx: the web identity token from the variable T is not a JWT (three base64url parts separated by dots)');
  const long = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'env:T'], { env: { ...base.env, T: `a.${'b'.repeat(20001)}.c` } });
  assert.equal(long.code, 4);
  assert.match(errorLines(long.stderr)[0] ?? '', /longer than STS accepts \(more than 20000 characters\)/);
  const unknown = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'circleci'], { env: base.env });
  assert.equal(unknown.code, 2);
  assert.equal(errorLines(unknown.stderr)[0], 'stsx: --web-identity "circleci" is not a token source');
  assert.equal(sts.requests.length, before);
});

test('--allowed-account-id: credentials of another account are refused (exit 4), nothing printed, nothing cached', async () => {
  const other = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--allowed-account-id', '111111111111', '--format', 'json'], { env: githubJob().env });
  assert.equal(other.code, 4, other.stderr);
  assert.equal(other.stdout, '');
  assert.deepEqual(errorLines(other.stderr), [
    'stsx: refusing to print the credentials: they are for account 210987654321, and --allowed-account-id allows only 111111111111',
    '  hint: check the role ARN and the credential source, or add the account with another --allowed-account-id',
  ]);
  const ok = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--allowed-account-id', '111111111111', '--allowed-account-id', ACCOUNT, '--format', 'json'], { env: githubJob().env });
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--allowed-account-id', '12345'], { env: githubJob().env });
  assert.equal(bad.code, 2);

  // Plain assume and session-token, with the cache: a refused answer is not kept, an allowed one is checked on a hit too.
  const u = sts.addUser({ account: '444455556666', userName: 'guard' });
  const role = 'arn:aws:iam::444455556666:role/guarded';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const refused = await runStsx(['assume', '--role-arn', role, '--allowed-account-id', ACCOUNT, '--format', 'json'], { env: box.env });
  assert.equal(refused.code, 4, refused.stderr);
  assert.equal(refused.stdout, '');
  const list = await runStsx(['cache', 'list', '--output', 'json'], { env: box.env });
  assert.deepEqual(JSON.parse(list.stdout), []);
  const first = await runStsx(['assume', '--role-arn', role, '--format', 'json'], { env: box.env });
  assert.equal(first.code, 0, first.stderr);
  const hit = await runStsx(['assume', '--role-arn', role, '--allowed-account-id', ACCOUNT, '--format', 'json'], { env: box.env });
  assert.equal(hit.code, 4, hit.stderr);
  assert.match(errorLines(hit.stderr)[0] ?? '', /refusing to print the cached credentials: they are for account 444455556666/);
  assert.equal(hit.stdout, '');

  const st = await runStsx(['session-token', '--allowed-account-id', ACCOUNT, '--format', 'json', '--no-cache'], { env: box.env });
  assert.equal(st.code, 4, st.stderr);
  assert.equal(st.stdout, '');
  const stOk = await runStsx(['session-token', '--allowed-account-id', '444455556666', '--format', 'json', '--no-cache'], { env: box.env });
  assert.equal(stOk.code, 0, stOk.stderr);
});

test('profiles as the AWS CLI reads them: role_arn + web_identity_token_file, and a second profile with source_profile naming it', async () => {
  const target = `arn:aws:iam::${ACCOUNT}:role/profile-target`;
  sts.addRole({ arn: target, trustedPrincipalArns: [ROLE] });
  const now = Math.floor(Date.now() / 1000);
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const file = path.join(box.home, 'token');
  writeFileSync(file, makeJwt({ iss: GITHUB_ISSUER, aud: 'sts.amazonaws.com', sub: SUB, exp: now + 300 }));
  box.writeConfig(`[profile wi]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${file}\nrole_session_name = from-profile\n[profile next]\nrole_arn = ${target}\nsource_profile = wi\nrole_session_name = next\n`);
  const own = await runStsx(['assume', '--profile', 'wi', '--format', 'json'], { env: box.env });
  assert.equal(own.code, 0, own.stderr);
  assert.match(own.stderr, /assumed-role\/gha-deploy\/from-profile with web identity/);
  const chained = await runStsx(['assume', '--profile', 'next', '--format', 'json'], { env: box.env });
  assert.equal(chained.code, 0, chained.stderr);
  assert.match(chained.stderr, /assumed arn:aws:sts::210987654321:assumed-role\/profile-target\/next/);
});

test('one default session name for every issuer: a web identity profile and the role hop above it, without role_session_name, are stsx-<user>-<unix seconds>', async () => {
  const target = `arn:aws:iam::${ACCOUNT}:role/default-name-target`;
  sts.addRole({ arn: target, trustedPrincipalArns: [ROLE] });
  const now = Math.floor(Date.now() / 1000);
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const file = path.join(box.home, 'token');
  writeFileSync(file, makeJwt({ iss: GITHUB_ISSUER, aud: 'sts.amazonaws.com', sub: SUB, exp: now + 300 }));
  box.writeConfig(`[profile wi]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${file}\n[profile next]\nrole_arn = ${target}\nsource_profile = wi\n`);
  const before = sts.requests.length;
  const who = await runStsx(['whoami', '--profile', 'next', '--query', 'Arn'], { env: box.env });
  assert.equal(who.code, 0, who.stderr);
  const user = os.userInfo().username.replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-') || 'user';
  const named = new RegExp(`^stsx-${user.replace(/[.+]/g, '\\$&')}-\\d+$`);
  const names = sts.requests.slice(before).filter((r) => r.action === 'AssumeRoleWithWebIdentity' || r.action === 'AssumeRole').map((r) => [r.action, r.params.RoleSessionName ?? '']);
  assert.deepEqual(names.map(([action]) => action), ['AssumeRoleWithWebIdentity', 'AssumeRole']);
  for (const [action, name] of names) assert.match(name ?? '', named, `${action}: ${name}`);
  assert.match(who.stdout.trim(), new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/default-name-target/stsx-`));
});

test('AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN as the SDKs read them (whoami), with the same named errors', async () => {
  const now = Math.floor(Date.now() / 1000);
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const file = path.join(box.home, 'token');
  writeFileSync(file, makeJwt({ iss: GITHUB_ISSUER, aud: 'sts.amazonaws.com', sub: 'repo:other-org/x:ref:refs/heads/main', exp: now + 300 }));
  const denied = await runStsx(['whoami'], { env: { ...box.env, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: ROLE, AWS_ROLE_SESSION_NAME: 'ambient' } });
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(errorLines(denied.stderr)[0] ?? '', /does not accept this token \(AccessDenied\); the token has sub "repo:other-org\/x:ref:refs\/heads\/main"/);
  const before = stsCalls('AssumeRoleWithWebIdentity').length;
  writeFileSync(file, makeJwt({ iss: GITHUB_ISSUER, aud: 'sts.amazonaws.com', sub: SUB, exp: now + 300 }));
  const ok = await runStsx(['whoami', '--query', 'Arn'], { env: { ...box.env, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: ROLE, AWS_ROLE_SESSION_NAME: 'ambient' } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/ambient`);
  assert.equal(stsCalls('AssumeRoleWithWebIdentity').at(-1)?.headers.authorization, undefined, 'unsigned');
  assert.equal(stsCalls('AssumeRoleWithWebIdentity').length - before, 1);
});

test('--role-arn twice without --web-identity, or three times with it, is a usage error before anything is sent', async () => {
  const before = sts.requests.length;
  const twice = await runStsx(['assume', '--role-arn', ROLE, '--role-arn', ROLE], { env: githubJob().env });
  assert.equal(twice.code, 2);
  assert.equal(errorLines(twice.stderr)[0], 'stsx: --role-arn is given more than once');
  const thrice = await runStsx(['assume', '--role-arn', ROLE, '--role-arn', ROLE, '--role-arn', ROLE, '--web-identity'], { env: githubJob().env });
  assert.equal(thrice.code, 2);
  const mfa = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', '--mfa-serial', 'arn:aws:iam::210987654321:mfa/x'], { env: githubJob().env });
  assert.equal(mfa.code, 2);
  assert.equal(sts.requests.length, before);
});

test('a huge token file (10 MB) is refused quickly without reading it all, in both paths', async () => {
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const file = path.join(box.home, 'huge-token');
  writeFileSync(file, `a.${'b'.repeat(10 * 1024 * 1024)}.c`);
  const before = sts.requests.length;
  const viaFlag = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', `file:${file}`], { env: box.env });
  assert.equal(viaFlag.code, 4, viaFlag.stderr);
  assert.match(errorLines(viaFlag.stderr)[0] ?? '', /^stsx: the web identity token from the token file .* is longer than STS accepts/);
  const viaEnv = await runStsx(['whoami'], { env: { ...box.env, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_ARN: ROLE } });
  assert.equal(viaEnv.code, 4, viaEnv.stderr);
  assert.match(errorLines(viaEnv.stderr)[0] ?? '', /^stsx: no credentials from web identity for .*: the web identity token from the token file .* is longer than STS accepts/);
  assert.equal(sts.requests.length, before);
});
