// An Identity Center access token for a session: the cached one while it is valid, else a
// refresh (no browser), else a login when one is allowed. One per-session lock across processes,
// so any number of parallel callers (terminals, `xargs -P`, credential_process) share one
// authorization and one browser tab: the first logs in, the others wait and read its token.
import { stat } from 'node:fs/promises';
import type { LockResult } from '../files/key-lock.ts';
import { AuthError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { loginWithDeviceCode, loginWithPkce, openOidc, refreshToken, registerClient, type BrowserRequest, type OidcContext, type Registration } from './oidc.ts';
import { loginCommand, type SsoSession } from './sso-session.ts';
import { readCachedToken, tokenCacheFile, writeCachedToken, type CachedToken } from './token-cache.ts';

/** A token this close to expiry is renewed first, as the SDKs do (their refresh window is 5 min). */
const REFRESH_WINDOW_MS = 5 * 60_000;
/** How long a caller waits for another process's login (a person signing in). */
const LOGIN_LOCK_WAIT_MS = 11 * 60_000;

export interface LoginOptions {
  flow: 'pkce' | 'device';
  /** Opens the URL (undefined: print it only, `--no-browser`). */
  browser: BrowserRequest | undefined;
  /** Prints the URL for the user to open by hand. */
  printUrl(url: string): void;
}

export interface TokenDeps extends OidcContext {
  homedir: string;
  /** The cross-process lock of one session (the credential cache's per-key lock). */
  lock(name: string, waitMs: number, onWait: () => void): Promise<LockResult>;
  sleep(ms: number): Promise<void>;
}

export type TokenNeed =
  /** `stsx login`: sign in anew unless another process has just done it. */
  | { mode: 'login'; login: LoginOptions; startedAt: Date }
  /** A command that needs a token: refresh, and log in only when `login` is given (a terminal). */
  | { mode: 'use'; login: LoginOptions | undefined };

export async function ssoToken(session: SsoSession, need: TokenNeed, deps: TokenDeps): Promise<CachedToken> {
  const file = tokenCacheFile(deps.homedir, session.cacheKey);
  if (need.mode === 'use') {
    const valid = await usable(file, deps.now());
    if (valid) return valid;
  }
  const lock = await deps.lock(`sso-login\0${session.cacheKey}`, LOGIN_LOCK_WAIT_MS, () => deps.say(`waiting for another stsx signing in to ${session.label}`));
  if (lock.state === 'timeout') throw new AuthError(`another stsx has been signing in to ${session.label} for ${String(Math.round(lock.waitedMs / 60_000))} min`, { hint: 'finish or cancel that sign-in, then try again' });
  if (lock.state === 'unusable') deps.trace(`the login lock cannot be used (${lock.why}); going on without it`);
  try {
    const read = await readCachedToken(file);
    const cached = read.state === 'ok' ? read.token : undefined;
    if (read.state === 'bad') deps.trace(`ignoring the token cache: ${read.why}`);
    const now = deps.now();
    // Another process may have logged in while we waited: its token serves us too.
    if (cached && fresh(cached, now)) {
      if (need.mode === 'use') return cached;
      if (await writtenSince(file, need.startedAt)) {
        deps.say(`signed in to ${session.label} by another stsx a moment ago`);
        return cached;
      }
    }
    const oidc = await openOidc(session, deps);
    try {
      if (cached && need.mode === 'use' && refreshable(cached, now)) {
        try {
          const renewed = await refreshToken(session, cached, oidc, deps);
          await writeCachedToken(file, renewed);
          deps.trace(`refreshed the Identity Center token of ${session.label}`);
          return renewed;
        } catch (error) {
          if (!need.login) throw error;
          deps.say(`the token of ${session.label} could not be refreshed (${terminalText((error as Error).message)})`);
        }
      }
      if (need.mode === 'use' && !need.login) {
        const who = session.profile !== undefined ? `the SSO session of profile "${session.profile}"` : `the login of ${session.label}`;
        const why = cached ? 'the cached token has expired and cannot be refreshed' : 'no usable token in ~/.aws/sso/cache';
        throw new AuthError(`${who} has expired or was never started (${why})`, { hint: `run: ${loginCommand(session)}` });
      }
      const login = need.login as LoginOptions;
      if (need.mode === 'use') deps.say(`the Identity Center login of ${session.label} has expired: signing in`);
      let reg: Registration | undefined;
      if (login.flow === 'pkce' && cached?.clientId && cached.clientSecret && cached.registrationExpiresAt && Date.parse(cached.registrationExpiresAt) - now.getTime() > 3600_000) {
        reg = { clientId: cached.clientId, clientSecret: cached.clientSecret, expiresAt: cached.registrationExpiresAt };
        deps.trace('reusing the client registration from the token cache');
      } else {
        reg = await registerClient(oidc, session, login.flow, deps.timeoutMs);
      }
      const browser: BrowserRequest = {
        open: async (url) => {
          if (login.browser) await login.browser.open(url);
          else login.printUrl(url);
        },
      };
      const token = login.flow === 'pkce' ? await loginWithPkce(session, reg, oidc, deps, browser) : await loginWithDeviceCode(session, reg, oidc, deps, login.browser, deps.sleep);
      await writeCachedToken(file, token);
      return token;
    } finally {
      oidc.client.destroy();
    }
  } finally {
    if (lock.state === 'held') await lock.lock.release();
  }
}

async function usable(file: string, now: Date): Promise<CachedToken | undefined> {
  const read = await readCachedToken(file);
  return read.state === 'ok' && fresh(read.token, now) ? read.token : undefined;
}

function fresh(token: CachedToken, now: Date): boolean {
  return Date.parse(token.expiresAt) - now.getTime() > REFRESH_WINDOW_MS;
}

function refreshable(token: CachedToken, now: Date): boolean {
  return Boolean(token.refreshToken && token.clientId && token.clientSecret && (!token.registrationExpiresAt || Date.parse(token.registrationExpiresAt) > now.getTime()));
}

async function writtenSince(file: string, since: Date): Promise<boolean> {
  try {
    return (await stat(file)).mtimeMs >= since.getTime();
  } catch {
    return false;
  }
}

