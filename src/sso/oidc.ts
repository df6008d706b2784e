// Identity Center's OIDC calls through the SDK's own client (@aws-sdk/client-sso-oidc): client
// registration, the authorization-code flow with PKCE and a loopback redirect (the AWS CLI v2's
// default since 2.22), the device-authorization flow, and refresh. Errors are named by cause.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Env } from '../deps.ts';
import { AuthError, NetworkError, AwsRequestError, InterruptedError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import type { SsoSession } from './sso-session.ts';
import { isoSeconds, type CachedToken } from './token-cache.ts';

import type * as SsoOidc from '@aws-sdk/client-sso-oidc';

type OidcModule = typeof SsoOidc;
type OidcClient = InstanceType<OidcModule['SSOOIDCClient']>;

export interface OidcContext {
  env: Env;
  now(): Date;
  /** Where progress lines go (stderr). */
  say(line: string): void;
  trace(line: string): void;
  /** Time allowed per OIDC call, retries included. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** stsx's HTTP handler (its agents, proxy and limits) when a command has one; else the SDK's with these limits. */
  requestHandler?: unknown;
}

export interface Registration {
  clientId: string;
  clientSecret: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

/** The SDK's variables for the OIDC endpoint, as every SDK reads them. */
function oidcEndpointOverride(env: Env): string | undefined {
  return env.AWS_ENDPOINT_URL_SSO_OIDC || env.AWS_ENDPOINT_URL || undefined;
}

export async function openOidc(session: SsoSession, ctx: OidcContext): Promise<{ client: OidcClient; mod: OidcModule; issuer: string }> {
  const mod = await import('@aws-sdk/client-sso-oidc');
  const endpoint = oidcEndpointOverride(ctx.env);
  const client = new mod.SSOOIDCClient({
    region: session.region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 3,
    requestHandler: (ctx.requestHandler ?? { connectionTimeout: ctx.connectTimeoutMs, requestTimeout: ctx.timeoutMs }) as never,
  });
  // The authorize page lives on the OIDC endpoint the SDK's own rules give for the region.
  const resolved = await client.config.endpointProvider({ Region: session.region, UseFIPS: false, UseDualStack: false, ...(endpoint ? { Endpoint: endpoint } : {}) });
  return { client, mod, issuer: resolved.url.href.replace(/\/$/, '') };
}

/**
 * The whole of one call, retries included, within the command's --timeout: the SDK's own timeouts
 * bound each attempt only. Past it the call is aborted (AbortError, named below).
 */
export function within(ms: number): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(ms) };
}

/** One OIDC call, its failure named by cause rather than "log in again". */
async function call<T>(what: string, session: SsoSession, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw oidcError(what, session, error);
  }
}

function oidcError(what: string, session: SsoSession, error: unknown): Error {
  const e = error as { name?: string; error?: string; error_description?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e.$metadata?.httpStatusCode;
  const detail = terminalText(String(e.error_description ?? e.message ?? e.name ?? 'unknown error')).slice(0, 300);
  switch (e.name) {
    case 'AbortError':
    case 'TimeoutError':
      return new NetworkError(`Identity Center did not answer ${what} for ${session.label} in time (--timeout)`, { hint: `check the network and sso_region (${session.region}), or allow more with --timeout`, cause: error });
    case 'InvalidGrantException':
      return new AuthError(`Identity Center refused the grant for ${session.label} (invalid_grant: ${detail}): the code or refresh token is expired, revoked or unknown`, { hint: 'log in again: stsx login' + (session.profile ? ` --profile ${session.profile}` : ` --sso-session ${session.sessionName ?? ''}`), cause: error });
    case 'InvalidClientException':
    case 'UnauthorizedClientException':
      return new AuthError(`Identity Center does not accept stsx's client registration for ${session.label} (${detail})`, { hint: 'log in again; stsx registers a new client', cause: error });
    case 'AccessDeniedException':
      return new AuthError(`the sign-in for ${session.label} was denied (${detail})`, { hint: 'approve the request in the browser, with the account that may use this start URL', cause: error });
    case 'ExpiredTokenException':
      return new AuthError(`the sign-in request for ${session.label} expired before it was approved`, { hint: 'run the login again and approve it within its time', cause: error });
    case 'InvalidRequestException':
    case 'InvalidScopeException':
    case 'InvalidClientMetadataException':
    case 'InvalidRequestRegionException':
    case 'InvalidRedirectUriException':
      return new AuthError(`Identity Center refused ${what} for ${session.label}: ${detail}`, { hint: `check sso_start_url (${terminalText(session.startUrl)}), sso_region (${session.region}) and sso_registration_scopes`, cause: error });
    case 'InternalServerException':
      return new AwsRequestError(`Identity Center had an internal error during ${what} (${detail})`, { hint: 'try again in a minute', cause: error });
    default:
      break;
  }
  if (status === 429 || e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException') {
    return new AwsRequestError(`Identity Center throttled ${what} for ${session.label}`, { hint: 'wait a little and try again', cause: error });
  }
  if (status !== undefined) return new AwsRequestError(`Identity Center answered ${what} with HTTP ${String(status)}: ${detail}`, { hint: `is ${session.region} the region of your Identity Center (sso_region)?`, cause: error });
  return new NetworkError(`cannot reach Identity Center for ${what} (${detail})`, { hint: `check the network and sso_region (${session.region})`, cause: error });
}

/** RegisterClient for one flow. The secret is kept in the token cache and reused until it expires. */
export async function registerClient(oidc: { client: OidcClient; mod: OidcModule }, session: SsoSession, flow: 'pkce' | 'device', deadlineMs: number): Promise<Registration> {
  const input =
    flow === 'pkce'
      ? { clientName: 'stsx', clientType: 'public', scopes: session.scopes, grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['http://127.0.0.1/oauth/callback'], issuerUrl: session.startUrl }
      : { clientName: 'stsx', clientType: 'public', scopes: session.scopes, grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'], issuerUrl: session.startUrl };
  const out = await call('RegisterClient', session, () => oidc.client.send(new oidc.mod.RegisterClientCommand(input), within(deadlineMs)));
  if (!out.clientId || !out.clientSecret) throw new AwsRequestError('Identity Center answered RegisterClient without a client id or secret');
  const expires = out.clientSecretExpiresAt ? new Date(out.clientSecretExpiresAt * 1000) : new Date(Date.now() + 90 * 86400_000);
  return { clientId: out.clientId, clientSecret: out.clientSecret, expiresAt: isoSeconds(expires) };
}

function tokenFrom(session: SsoSession, reg: Registration, out: { accessToken?: string | undefined; expiresIn?: number | undefined; refreshToken?: string | undefined }, now: Date, previousRefresh?: string): CachedToken {
  if (!out.accessToken) throw new AwsRequestError('Identity Center answered CreateToken without an access token');
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: out.accessToken,
    expiresAt: isoSeconds(new Date(now.getTime() + (out.expiresIn ?? 3600) * 1000)),
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    registrationExpiresAt: reg.expiresAt,
    refreshToken: out.refreshToken ?? previousRefresh,
  };
}

const b64url = (b: Buffer): string => b.toString('base64url');

export interface BrowserRequest {
  /** Opens (or prints) the URL; resolves once handed over. */
  open(url: string): Promise<void>;
}

/** How long the user has to finish signing in, as the AWS CLI allows. */
const LOGIN_WAIT_MS = 10 * 60_000;

/**
 * The authorization-code flow with PKCE (RFC 7636, S256): a one-shot loopback listener on
 * 127.0.0.1 receives the code; the state parameter ties the answer to this request.
 */
export async function loginWithPkce(session: SsoSession, reg: Registration, oidc: { client: OidcClient; mod: OidcModule; issuer: string }, ctx: OidcContext, browser: BrowserRequest, signal?: AbortSignal): Promise<CachedToken> {
  const verifier = b64url(randomBytes(48));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(24));
  const waiter = await listenForCode(state, signal);
  try {
    const redirectUri = `http://127.0.0.1:${String(waiter.port)}/oauth/callback`;
    const url = new URL(`${oidc.issuer}/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: reg.clientId, redirect_uri: redirectUri, state, code_challenge_method: 'S256', scopes: session.scopes.join(' '), code_challenge: challenge }).toString();
    await browser.open(url.href);
    const code = await waiter.code;
    const now = ctx.now();
    const out = await call('CreateToken', session, () =>
      oidc.client.send(new oidc.mod.CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'authorization_code', code, redirectUri, codeVerifier: verifier }), within(ctx.timeoutMs)),
    );
    return tokenFrom(session, reg, out, now);
  } finally {
    waiter.close();
  }
}

function listenForCode(state: string, signal?: AbortSignal): Promise<{ port: number; code: Promise<string>; close(): void }> {
  return new Promise((resolveListen, rejectListen) => {
    let settle: { resolve(code: string): void; reject(error: Error): void } | undefined;
    const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    code.catch(() => undefined);
    const reply = (res: ServerResponse, status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(`<!doctype html><meta charset="utf-8"><title>stsx</title><p>${text}</p>`);
    };
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/oauth/callback') return reply(res, 404, 'Not found.');
      if (url.searchParams.get('state') !== state) return reply(res, 400, 'This answer does not belong to the sign-in stsx started. Close this tab.');
      const error = url.searchParams.get('error');
      if (error) {
        reply(res, 200, 'Sign-in was not completed. You can close this tab.');
        return settle?.reject(new AuthError(`the sign-in was refused in the browser (${terminalText(error).slice(0, 100)}${url.searchParams.get('error_description') ? `: ${terminalText(url.searchParams.get('error_description') ?? '').slice(0, 200)}` : ''})`));
      }
      const got = url.searchParams.get('code');
      if (!got) return reply(res, 400, 'No authorization code in this answer. Close this tab.');
      reply(res, 200, 'stsx is signed in. You can close this tab.');
      settle?.resolve(got);
    });
    const timer = setTimeout(() => settle?.reject(new AuthError(`no sign-in arrived within ${String(LOGIN_WAIT_MS / 60_000)} minutes`, { hint: 'run the login again; with no browser here, use --no-browser or --use-device-code' })), LOGIN_WAIT_MS);
    timer.unref();
    const onAbort = (): void => settle?.reject(new InterruptedError('the login was interrupted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    server.on('error', (error) => rejectListen(error));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolveListen({
        port,
        code,
        close: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          server.closeAllConnections();
          server.close();
        },
      });
    });
  });
}

/** The device-authorization flow (RFC 8628): a code the user approves on any device. */
export async function loginWithDeviceCode(session: SsoSession, reg: Registration, oidc: { client: OidcClient; mod: OidcModule }, ctx: OidcContext, browser: BrowserRequest | undefined, sleep: (ms: number) => Promise<void>): Promise<CachedToken> {
  const start = await call('StartDeviceAuthorization', session, () => oidc.client.send(new oidc.mod.StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: session.startUrl }), within(ctx.timeoutMs)));
  if (!start.deviceCode || !start.verificationUri) throw new AwsRequestError('Identity Center answered StartDeviceAuthorization without a device code');
  const complete = start.verificationUriComplete ?? start.verificationUri;
  ctx.say(`to sign in, open ${terminalText(complete)}`);
  ctx.say(`and check that it shows the code ${terminalText(start.userCode ?? '')}`);
  if (browser) await browser.open(complete);
  let intervalMs = Math.max(1, start.interval ?? 5) * 1000;
  const deadline = ctx.now().getTime() + Math.max(60, start.expiresIn ?? 600) * 1000;
  for (;;) {
    await sleep(intervalMs);
    if (ctx.now().getTime() > deadline) throw new AuthError(`the sign-in request for ${session.label} expired before it was approved`, { hint: 'run the login again and approve it within its time' });
    const now = ctx.now();
    try {
      const out = await oidc.client.send(new oidc.mod.CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: start.deviceCode }), within(ctx.timeoutMs));
      return tokenFrom(session, reg, out, now);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'AuthorizationPendingException') continue;
      if (name === 'SlowDownException') {
        intervalMs += 5000;
        ctx.trace(`Identity Center asked to slow down: polling every ${String(intervalMs / 1000)} s`);
        continue;
      }
      throw oidcError('CreateToken', session, error);
    }
  }
}

/** CreateToken with the refresh token, as the SDKs renew an expired access token. */
export async function refreshToken(session: SsoSession, token: CachedToken, oidc: { client: OidcClient; mod: OidcModule }, ctx: OidcContext): Promise<CachedToken> {
  if (!token.refreshToken || !token.clientId || !token.clientSecret) throw new AuthError(`the token of ${session.label} cannot be refreshed`);
  const reg: Registration = { clientId: token.clientId, clientSecret: token.clientSecret, expiresAt: token.registrationExpiresAt ?? '' };
  const now = ctx.now();
  const out = await call('CreateToken (refresh)', session, () =>
    oidc.client.send(new oidc.mod.CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'refresh_token', refreshToken: token.refreshToken }), within(ctx.timeoutMs)),
  );
  return tokenFrom(session, reg, out, now, token.refreshToken);
}
