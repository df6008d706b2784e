// Where a web identity (OIDC) token comes from in CI: GitHub Actions' token endpoint, a GitLab
// `id_tokens` variable, a file (AWS_WEB_IDENTITY_TOKEN_FILE, Kubernetes) or any variable. One
// parser for `--web-identity SOURCE`, one detector for "no SOURCE", one reader per kind. No SDK.
import type { Deps, Env } from '../deps.ts';
import { AuthError, NetworkError, UsageError } from '../errors.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultSessionName } from '../issue/session-name.ts';

/** STS's limit on WebIdentityToken (AssumeRoleWithWebIdentity: 4..20000 characters). */
const MAX_TOKEN_CHARS = 20000;
/** The GitHub token endpoint's answer is {"value": "<JWT>"}: anything much larger is not that. */
const MAX_ANSWER_BYTES = 64 * 1024;
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
const GITLAB_DEFAULT_VARIABLE = 'AWS_WEB_IDENTITY_TOKEN';

export type WebIdentitySource =
  | { kind: 'github' }
  | { kind: 'gitlab'; variable: string }
  | { kind: 'file'; path: string }
  | { kind: 'env'; name: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** `--web-identity [SOURCE]`: github | gitlab | file:PATH | env:NAME; no SOURCE: detected from the CI. */
export function parseWebIdentitySource(raw: string | true, env: Env, gitlabVariable?: string): WebIdentitySource {
  const variable = gitlabVariable ?? GITLAB_DEFAULT_VARIABLE;
  if (gitlabVariable !== undefined && !ENV_NAME.test(gitlabVariable)) {
    throw new UsageError(`--web-identity-env ${JSON.stringify(gitlabVariable.slice(0, 130))} is not a variable name`, { hint: 'name the id_tokens variable of the job, for example --web-identity-env AWS_WEB_IDENTITY_TOKEN' });
  }
  if (raw === true) return detectSource(env, variable);
  if (raw === 'github') return { kind: 'github' };
  if (raw === 'gitlab') return { kind: 'gitlab', variable };
  if (raw.startsWith('file:') && raw.length > 'file:'.length) return { kind: 'file', path: raw.slice('file:'.length) };
  if (raw.startsWith('env:') && ENV_NAME.test(raw.slice('env:'.length))) return { kind: 'env', name: raw.slice('env:'.length) };
  throw new UsageError(`--web-identity ${JSON.stringify(raw.slice(0, 200))} is not a token source`, {
    hint: 'use github, gitlab, file:PATH or env:NAME, or leave it out in GitHub Actions / GitLab CI',
  });
}

function detectSource(env: Env, gitlabVariable: string): WebIdentitySource {
  if (env.GITHUB_ACTIONS === 'true') return { kind: 'github' };
  if (env.GITLAB_CI) return { kind: 'gitlab', variable: gitlabVariable };
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return { kind: 'file', path: env.AWS_WEB_IDENTITY_TOKEN_FILE };
  throw new UsageError('--web-identity without a source, and this is neither GitHub Actions nor GitLab CI (GITHUB_ACTIONS, GITLAB_CI) nor is AWS_WEB_IDENTITY_TOKEN_FILE set', {
    hint: 'name the source: --web-identity github | gitlab | file:PATH | env:NAME',
  });
}

export function describeTokenSource(source: WebIdentitySource): string {
  switch (source.kind) {
    case 'github':
      return 'the GitHub Actions OIDC token endpoint';
    case 'gitlab':
      return `the GitLab id_tokens variable ${source.variable}`;
    case 'file':
      return `the token file ${source.path}`;
    case 'env':
      return `the variable ${source.name}`;
  }
}

export interface TokenIo {
  env: Env;
  readFileHead?: Deps['readFileHead'];
  readFile: Deps['readFile'];
  fetch: typeof fetch;
  /** Everything (retries included) must finish within this. */
  timeoutMs: number;
  debug: (line: string) => void;
  random?: () => number;
}

export async function readToken(source: WebIdentitySource, audience: string, io: TokenIo): Promise<string> {
  const what = describeTokenSource(source);
  switch (source.kind) {
    case 'github':
      return checkToken(await githubToken(audience, io), what);
    case 'gitlab': {
      const value = io.env[source.variable];
      if (!value) {
        throw new AuthError(`GitLab CI gave this job no OIDC token: ${source.variable} is not set`, {
          hint: `define it in the job: id_tokens: { ${source.variable}: { aud: ${audience} } }, or name your variable with --web-identity-env`,
        });
      }
      return checkToken(value, what);
    }
    case 'env': {
      const value = io.env[source.name];
      if (!value) throw new AuthError(`no web identity token: ${source.name} is not set`, { hint: 'set it to the OIDC token (a JWT), or choose another --web-identity source' });
      return checkToken(value, what);
    }
    case 'file':
      return checkToken(await readTokenFile(source.path, io), what);
  }
}

async function readTokenFile(file: string, io: TokenIo): Promise<string> {
  try {
    return io.readFileHead ? (await io.readFileHead(file, MAX_TOKEN_CHARS + 2)).toString('utf8') : await io.readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new AuthError(`cannot read the web identity token file ${file}${typeof code === 'string' ? ` (${code})` : ''}`, {
      hint: 'check the path (AWS_WEB_IDENTITY_TOKEN_FILE / --web-identity file:PATH) and that this user can read it',
      cause: error,
    });
  }
}

/** Trimmed, within STS's size limit, and shaped like a JWT; the token itself is never echoed. */
export function checkToken(raw: string, what: string): string {
  const token = raw.trim();
  if (token.length === 0) throw new AuthError(`the web identity token from ${what} is empty`, { hint: 'check that the CI issued a token to this job' });
  if (token.length > MAX_TOKEN_CHARS) {
    throw new AuthError(`the web identity token from ${what} is longer than STS accepts (more than ${MAX_TOKEN_CHARS} characters)`, { hint: 'check that the source holds one OIDC token (a JWT) and nothing else' });
  }
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    throw new AuthError(`the web identity token from ${what} is not a JWT (three base64url parts separated by dots)`, { hint: 'check that the source holds one OIDC token and nothing else' });
  }
  return token;
}

/** The claims trust policies match, decoded locally without checking the signature (for messages). */
export function tokenClaims(token: string): { iss?: string | undefined; sub?: string | undefined; aud?: string | undefined; exp?: number | undefined } {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    if (!claims || typeof claims !== 'object') return {};
    const c = claims as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 300) : undefined);
    const aud = Array.isArray(c.aud) ? c.aud.filter((a) => typeof a === 'string').join(', ').slice(0, 300) : str(c.aud);
    return {
      ...(str(c.iss) !== undefined ? { iss: str(c.iss) } : {}),
      ...(str(c.sub) !== undefined ? { sub: str(c.sub) } : {}),
      ...(aud !== undefined ? { aud } : {}),
      ...(typeof c.exp === 'number' ? { exp: c.exp } : {}),
    };
  } catch {
    return {};
  }
}

class Retryable extends Error {}

/**
 * GitHub Actions: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=..., bearer
 * $ACTIONS_ID_TOKEN_REQUEST_TOKEN, answer {"value": "<JWT>"}. Network failures, 5xx and 429 are
 * retried with full jitter within the time limit; a denial (4xx) or a wrong answer is final.
 */
async function githubToken(audience: string, io: TokenIo): Promise<string> {
  const base = io.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!base || !bearer) {
    throw new AuthError(`GitHub Actions gave this job no OIDC token: ${!base ? 'ACTIONS_ID_TOKEN_REQUEST_URL' : 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'} is not set`, {
      hint: 'add `permissions: id-token: write` to the workflow or the job (pull requests from forks never get one)',
    });
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new AuthError('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL', { hint: 'leave it as the runner sets it' });
  }
  url.searchParams.set('audience', audience);
  const host = url.host;
  const signal = AbortSignal.timeout(io.timeoutMs);
  const random = io.random ?? Math.random;
  const started = Date.now();
  let last: Error = new Error('no attempt');
  for (let attempt = 1; ; attempt += 1) {
    try {
      io.debug(`web identity: GitHub token request to ${host} (attempt ${attempt})`);
      return await githubAttempt(url, bearer, host, io.fetch, signal);
    } catch (error) {
      if (!(error instanceof Retryable)) {
        if (signal.aborted) throw timedOut(host, io.timeoutMs, last);
        throw error;
      }
      last = error;
      const wait = Math.floor(random() * Math.min(4000, 250 * 2 ** (attempt - 1)));
      if (Date.now() - started + wait >= io.timeoutMs || attempt >= 8) {
        throw new NetworkError(`the GitHub OIDC token endpoint ${host} failed ${attempt} times: ${error.message}`, {
          host,
          hint: 'GitHub may be having trouble; re-run the job, or allow more time with --timeout',
        });
      }
      io.debug(`web identity: ${error.message}; retrying in ${wait} ms`);
      try {
        await delay(wait, undefined, { signal });
      } catch {
        throw timedOut(host, io.timeoutMs, last);
      }
    }
  }
}

function timedOut(host: string, timeoutMs: number, last: Error): NetworkError {
  return new NetworkError(`the GitHub OIDC token endpoint ${host} did not give a token within ${timeoutMs / 1000} s (${last.message})`, {
    host,
    hint: 'GitHub may be having trouble; re-run the job, or allow more time with --timeout',
  });
}

async function githubAttempt(url: URL, bearer: string, host: string, fetchFn: typeof fetch, signal: AbortSignal): Promise<string> {
  let response: Response;
  try {
    // Never followed (the bearer token must go nowhere else), but seen: a redirect is said as one.
    response = await fetchFn(url, { headers: { Authorization: `bearer ${bearer}`, Accept: 'application/json; api-version=2.0' }, signal, redirect: 'manual' });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    throw new Retryable(`cannot reach it${typeof cause?.code === 'string' ? ` (${cause.code})` : ''}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    const to = redirectTarget(response.headers.get('location'), url);
    throw new NetworkError(`the GitHub OIDC token endpoint ${host} answered with a redirect (HTTP ${response.status})${to ? ` to ${to}` : ' without a Location'}; stsx does not follow it`, {
      host,
      hint: 'ACTIONS_ID_TOKEN_REQUEST_URL must be the runner\'s own token URL; a proxy or captive portal in between may be redirecting (check HTTPS_PROXY)',
    });
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    await response.body?.cancel().catch(() => undefined);
    throw new Retryable(`it answered HTTP ${response.status}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new AuthError(`the GitHub OIDC token endpoint ${host} refused the request (HTTP ${response.status})`, {
      hint: 'check that the job has `permissions: id-token: write` and that ACTIONS_ID_TOKEN_REQUEST_TOKEN is the runner\'s own',
    });
  }
  const body = await readCapped(response, signal);
  if (body === undefined) throw new AuthError(`the GitHub OIDC token endpoint ${host} sent more than ${MAX_ANSWER_BYTES / 1024} KiB: that is not a token answer`, { hint: 'check ACTIONS_ID_TOKEN_REQUEST_URL and any proxy in between' });
  let value: unknown;
  try {
    value = (JSON.parse(body) as { value?: unknown } | null)?.value;
  } catch {
    throw new AuthError(`the GitHub OIDC token endpoint ${host} did not answer JSON`, { hint: 'check ACTIONS_ID_TOKEN_REQUEST_URL and any proxy in between' });
  }
  if (typeof value !== 'string') throw new AuthError(`the GitHub OIDC token endpoint ${host} answered without a token ("value")`, { hint: 'check ACTIONS_ID_TOKEN_REQUEST_URL and any proxy in between' });
  return value;
}

/** Where a redirect points, for a message: scheme, host and path only (a query or user info may hold secrets), bounded; undefined when there is no usable Location. */
function redirectTarget(location: string | null, base: URL): string | undefined {
  if (!location) return undefined;
  let target: URL;
  try {
    target = new URL(location.slice(0, 4096), base);
  } catch {
    return undefined;
  }
  const shown = `${target.protocol}//${target.host}${target.pathname}${target.search || target.hash ? ' (query not shown)' : ''}`;
  return shown.length > 200 ? `${shown.slice(0, 200)}...` : shown;
}

/** The body as text, or undefined once it grows past MAX_ANSWER_BYTES. */
async function readCapped(response: Response, signal: AbortSignal): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The session name of a web identity without one given: the CI's job, else the one default rule. */
export function webIdentitySessionName(env: Env, user: string, now: Date): string {
  return ciSessionName(env) ?? defaultSessionName(user, now);
}

/** The default session name says where it runs: GitHub repository and run id, GitLab project and job id. */
export function ciSessionName(env: Env): string | undefined {
  const clean = (s: string): string => s.replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-');
  const make = (prefix: string, where: string | undefined, id: string | undefined): string | undefined => {
    if (!where && !id) return undefined;
    const suffix = id ? `-${clean(id).slice(0, 24)}` : '';
    return `${prefix}-${clean(where ?? 'unknown')}`.slice(0, 64 - suffix.length) + suffix;
  };
  if (env.GITHUB_ACTIONS === 'true') return make('gh', env.GITHUB_REPOSITORY, env.GITHUB_RUN_ID);
  if (env.GITLAB_CI) return make('gl', env.CI_PROJECT_PATH, env.CI_JOB_ID);
  return undefined;
}
