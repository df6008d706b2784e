// The token sources of --web-identity: parsing and detection, the CI session name, claims decoded
// for messages, and the GitHub token request's retries (a fake fetch: no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkToken, ciSessionName, parseWebIdentitySource, readToken, tokenClaims, type TokenIo } from '../../src/web-identity/token.ts';
import { checkAllowedAccount, parseAllowedAccounts } from '../../src/issue/allowed-accounts.ts';
import { AuthError, NetworkError, UsageError } from '../../src/errors.ts';

const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('SOURCE: github, gitlab, file:PATH, env:NAME; detection from the CI; anything else is a usage error', () => {
  assert.deepEqual(parseWebIdentitySource('github', {}), { kind: 'github' });
  assert.deepEqual(parseWebIdentitySource('gitlab', {}, 'GL_TOKEN'), { kind: 'gitlab', variable: 'GL_TOKEN' });
  assert.deepEqual(parseWebIdentitySource('file:/var/run/token', {}), { kind: 'file', path: '/var/run/token' });
  assert.deepEqual(parseWebIdentitySource('env:MY_TOKEN', {}), { kind: 'env', name: 'MY_TOKEN' });
  assert.deepEqual(parseWebIdentitySource(true, { GITHUB_ACTIONS: 'true', GITLAB_CI: 'true' }), { kind: 'github' });
  assert.deepEqual(parseWebIdentitySource(true, { GITLAB_CI: 'true' }), { kind: 'gitlab', variable: 'AWS_WEB_IDENTITY_TOKEN' });
  assert.deepEqual(parseWebIdentitySource(true, { AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }), { kind: 'file', path: '/t' });
  for (const bad of ['', 'file:', 'env:', 'env:1X', 'env:A B', 'circleci']) assert.throws(() => parseWebIdentitySource(bad, {}), UsageError, bad);
  assert.throws(() => parseWebIdentitySource(true, {}), /neither GitHub Actions nor GitLab CI/);
  assert.throws(() => parseWebIdentitySource('gitlab', {}, 'A-B'), /--web-identity-env/);
});

test('the CI session name: repository and run id, cleaned to STS\'s pattern, at most 64, the id kept', () => {
  assert.equal(ciSessionName({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_RUN_ID: '123' }), 'gh-octo-org-octo-repo-123');
  const long = ciSessionName({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: `o/${'r'.repeat(100)}`, GITHUB_RUN_ID: '9876543210' }) ?? '';
  assert.equal(long.length, 64);
  assert.match(long, /^gh-o-r+-9876543210$/);
  assert.equal(ciSessionName({ GITLAB_CI: 'true', CI_PROJECT_PATH: 'grp/sub grp/proj', CI_JOB_ID: '7' }), 'gl-grp-sub-grp-proj-7');
  assert.equal(ciSessionName({}), undefined);
  for (const name of [long, ciSessionName({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'a/b\u001b[31m;rm' }) ?? '']) assert.match(name, /^[\w+=,.@-]{2,64}$/);
});

test('claims for messages: sub, aud (a list joined), iss, exp; garbage gives nothing; values are capped', () => {
  assert.deepEqual(tokenClaims(jwt({ sub: 's', aud: ['a', 'b'], iss: 'i', exp: 5 })), { sub: 's', aud: 'a, b', iss: 'i', exp: 5 });
  assert.deepEqual(tokenClaims('a.b.c'), {});
  assert.deepEqual(tokenClaims(jwt([1, 2])), {});
  assert.equal(tokenClaims(jwt({ sub: 'x'.repeat(1000) })).sub?.length, 300);
});

test('a token is trimmed and must be a JWT within STS\'s 20000 characters; the message never echoes it', () => {
  assert.equal(checkToken('  a.b.c\n', 'x'), 'a.b.c');
  for (const bad of ['', 'secret-not-a-jwt', `a.${'b'.repeat(20000)}.c`]) {
    assert.throws(() => checkToken(bad, 'the variable T'), (e: unknown) => e instanceof AuthError && !e.message.includes('secret'));
  }
});

function io(responses: Array<() => Response | Promise<Response>>, env: Record<string, string> = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/t?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt' }): TokenIo & { calls: string[] } {
  const calls: string[] = [];
  return {
    env,
    calls,
    readFile: () => Promise.reject(new Error('no files')),
    fetch: ((url: URL, init?: RequestInit) => {
      calls.push(`${url.toString()} ${String((init?.headers as Record<string, string>).Authorization)}`);
      const next = responses.shift();
      return next ? Promise.resolve(next()) : Promise.reject(new TypeError('fetch failed'));
    }) as typeof fetch,
    timeoutMs: 5000,
    debug: () => undefined,
    random: () => 0,
  };
}

test('GitHub: 5xx and network failures are retried, then the token; the audience and bearer are sent', async () => {
  const token = jwt({ sub: 's' });
  const x = io([() => new Response('', { status: 502 }), () => { throw new TypeError('fetch failed'); }, () => new Response(JSON.stringify({ value: token }))]);
  assert.equal(await readToken({ kind: 'github' }, 'sts.amazonaws.com', x), token);
  assert.equal(x.calls.length, 3);
  assert.equal(x.calls[0], 'http://127.0.0.1:1/t?api-version=2.0&audience=sts.amazonaws.com bearer rt');
});

test('GitHub: a denial (403) is final; a missing request URL names id-token: write; endless 5xx gives up with a network error', async () => {
  const denied = io([() => new Response('{}', { status: 403 }), () => new Response('{}')]);
  await assert.rejects(readToken({ kind: 'github' }, 'sts.amazonaws.com', denied), (e: unknown) => e instanceof AuthError && /HTTP 403/.test(e.message));
  assert.equal(denied.calls.length, 1);
  await assert.rejects(readToken({ kind: 'github' }, 'a', io([], {})), (e: unknown) => e instanceof AuthError && /id-token: write/.test(e.hint ?? ''));
  const failing = io(Array.from({ length: 20 }, () => () => new Response('', { status: 500 })));
  await assert.rejects(readToken({ kind: 'github' }, 'a', failing), (e: unknown) => e instanceof NetworkError && /failed 8 times: it answered HTTP 500/.test(e.message));
});

test('--allowed-account-id: 12 digits each; another or an unknown account is refused (exit 4)', () => {
  assert.equal(parseAllowedAccounts(undefined), undefined);
  assert.throws(() => parseAllowedAccounts(['12345678901']), UsageError);
  const allowed = parseAllowedAccounts(['111111111111', '222222222222']);
  assert.doesNotThrow(() => checkAllowedAccount('222222222222', allowed, 'x'));
  assert.doesNotThrow(() => checkAllowedAccount(undefined, undefined, 'x'));
  assert.throws(() => checkAllowedAccount('333333333333', allowed, 'x'), (e: unknown) => e instanceof AuthError && e.exitCode === 4 && /account 333333333333/.test(e.message));
  assert.throws(() => checkAllowedAccount(undefined, allowed, 'x'), /account is unknown/);
});
