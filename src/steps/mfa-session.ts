// An MFA role from an IAM user's long-term keys, as aws-vault does it: one GetSessionToken with
// the MFA code (the one prompt), cached under `stsx session-token`'s key (each reuses the other's
// session), then AssumeRole signed by that session without SerialNumber/TokenCode: the session
// carries the MFA context. A role refresh (`stsx exec --server`, or `stsx assume` after the role
// session expired) repeats only the AssumeRole; the code is asked again only when the MFA session
// itself expires. A source that is already a session cannot call GetSessionToken: its AssumeRole
// carries the code, as before.
import type { AssumePlan } from '../assume/plan.ts';
import type { CredentialSource } from '../credentials/source.ts';
import { describeSource } from '../credentials/source.ts';
import type { MfaCodeProvider } from '../credentials/providers.ts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { mfaCodes, type CommandContext } from './command-context.ts';
import { minTtlSeconds, openCredentialCache, type CacheFlags } from './credential-cache-use.ts';
import { remainingSeconds, type CachedEntry } from '../cache/cache-entry.ts';
import { obtainCached, type CacheUse } from '../issue/issue-cached.ts';
import { SESSION_TOKEN_SECONDS } from '../issue/session-token.ts';
import { sessionTokenFor } from './session-token.ts';
import { sessionTokenKey } from './cache-keys.ts';

/** How an AssumeRole plan meets its MFA requirement: the one rule. */
export type MfaRoute =
  | { kind: 'none' }
  /** GetSessionToken with the code first (cached), then AssumeRole from that session without it. */
  | { kind: 'session'; serial: string }
  /** The source is already a session: the code goes with every AssumeRole. */
  | { kind: 'direct'; serial: string; note: string };

export function mfaRoute(plan: Pick<AssumePlan, 'mfaSerial' | 'source'>): MfaRoute {
  const serial = plan.mfaSerial;
  if (serial === undefined) return { kind: 'none' };
  if (isLongTermKeys(plan.source)) return { kind: 'session', serial };
  return {
    kind: 'direct',
    serial,
    note: `${describeSource(plan.source)} cannot make an MFA session (GetSessionToken needs an IAM user's long-term keys): every refresh asks for the MFA code for ${serial} again`,
  };
}

/** An IAM user's access keys: static keys without a session token (only they may call GetSessionToken). */
function isLongTermKeys(source: CredentialSource): boolean {
  return (source.kind === 'keys' || source.kind === 'environment') && !source.sessionToken;
}

/**
 * The MFA codes of one command, for each issue in turn: --token-code answers the first prompt
 * only (AWS refuses a one-time code sent twice); after that, and without it, the terminal is
 * asked, once per issue (a chain that needs the same device twice asks once).
 */
export type MfaAnswers = () => MfaCodeProvider;

export function mfaAnswers(ctx: CommandContext, tokenCode: string | undefined): MfaAnswers {
  let unused = tokenCode;
  return () => {
    const prompt = mfaCodes(ctx, undefined);
    let given: string | undefined;
    return (serial) => {
      if (given === undefined && unused !== undefined) {
        given = unused;
        unused = undefined;
      }
      return given !== undefined ? Promise.resolve(given) : prompt(serial);
    };
  };
}

/**
 * The cache the MFA session is kept in: the command's, except that --refresh renews the role, not
 * the MFA session; with no cache (--no-cache), this process's memory, so that `exec --server`
 * still asks once per MFA session and not at every refresh.
 */
export function mfaSessionCache(ctx: CommandContext, flags: CacheFlags): CacheUse {
  return openCredentialCache(ctx, { ...flags, refresh: false }) ?? memoryCache(ctx, minTtlSeconds(flags));
}

function memoryCache(ctx: CommandContext, minTtl: number): CacheUse {
  const kept = new Map<string, CachedEntry>();
  return {
    lookup: (key) => {
      const entry = kept.get(key);
      return Promise.resolve(entry !== undefined && remainingSeconds(entry, ctx.deps.now()) >= minTtl ? entry : undefined);
    },
    store: (key, entry) => {
      kept.set(key, entry);
      return Promise.resolve();
    },
    // One process: nothing to wait for.
    lock: () => Promise.resolve(undefined),
  };
}

/** The MFA session (from the cache, else GetSessionToken with the code): credentials carrying the MFA context. */
export async function mfaSession(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  serial: string,
  mfa: MfaCodeProvider,
  cache: CacheUse | undefined,
): Promise<AwsCredentialIdentity> {
  const got = await obtainCached({
    cache,
    key: sessionTokenKey(ctx, source, local, SESSION_TOKEN_SECONDS, serial),
    cachedWhat: () => 'using a cached MFA session',
    issue: () => sessionTokenFor(ctx, local, source, { durationSeconds: SESSION_TOKEN_SECONDS, mfaSerial: serial, mfa }),
    mayPrompt: true,
    now: () => ctx.deps.now(),
  });
  ctx.diag.debug(got.fromCache ? `MFA session for ${serial} from the cache` : `MFA session for ${serial}: ${got.what}`);
  const c = got.entry.credentials;
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: c.expiration } : {}) };
}
