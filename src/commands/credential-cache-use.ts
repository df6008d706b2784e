// How assume and session-token use the cache: --no-cache skips it, --refresh skips the lookup but
// stores the new answer, --min-ttl sets how much life a cached answer must have left.
import { parseDuration } from '../assume/validate.ts';
import { DEFAULT_MIN_TTL_SECONDS } from '../cache/credential-cache.ts';
import { remainingSeconds, type CachedEntry } from '../cache/cache-entry.ts';
import { shortDuration } from '../status/render-status.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { limitsFor, type CommandContext } from './command-context.ts';
import type { HeldLock } from '../cache/key-lock.ts';
import { NetworkError } from '../errors.ts';

/** How long a waiter allows the lock's holder for a person to answer its MFA prompt. */
const MFA_ANSWER_MS = 120_000;

export interface CacheFlags {
  /** commander's --no-cache sets cache: false. */
  cache?: boolean | undefined;
  refresh?: boolean | undefined;
  minTtl?: string | undefined;
}

export interface CacheUse {
  /** `issuedSince`: with --refresh, an entry issued since then (by the lock's holder) is fresh enough. */
  lookup(key: string, options?: { issuedSince?: Date | undefined }): Promise<CachedEntry | undefined>;
  store(key: string, entry: CachedEntry): Promise<void>;
  /**
   * The key's cross-process lock, waited for up to --timeout (plus time to answer an MFA prompt if
   * the holder may be showing one); undefined when the cache cannot hold a lock (go on without it).
   */
  lock(key: string, options: { mayPrompt: boolean }): Promise<HeldLock | undefined>;
}

/** How much life a cached answer (or one `exec --server` hands out) must have left. */
export function minTtlSeconds(flags: CacheFlags): number {
  return flags.minTtl !== undefined ? parseDuration(flags.minTtl, '--min-ttl', 0, 129600) : DEFAULT_MIN_TTL_SECONDS;
}

export function openCredentialCache(ctx: CommandContext, flags: CacheFlags): CacheUse | undefined {
  const minTtl = minTtlSeconds(flags);
  if (flags.cache === false || ctx.deps.env.STSX_NO_CACHE === '1') return undefined;
  const cache = openCommandCache(ctx);
  return {
    lookup: async (key, options) => {
      const since = options?.issuedSince;
      if (flags.refresh && since === undefined) return undefined;
      let hit = await cache.get(key, ctx.deps.now(), minTtl);
      if (hit && flags.refresh && since !== undefined && hit.createdAt.getTime() < since.getTime()) hit = undefined;
      ctx.diag.debug(hit ? `cache hit ${key.slice(0, 12)}` : `cache miss ${key.slice(0, 12)}`);
      return hit;
    },
    store: (key, entry) => {
      // A session shorter than --min-ttl is never reused: say so once per run, not silently ask STS every time.
      const lifetime = remainingSeconds(entry, ctx.deps.now());
      if (minTtl > lifetime) ctx.diag.warn(`--min-ttl ${shortDuration(minTtl)} is longer than these credentials last (${shortDuration(Math.max(0, lifetime))}), so the cache can never reuse them and every run asks STS; use a shorter --min-ttl or a longer --duration`);
      return cache.put(key, entry);
    },
    lock: async (key, options) => {
      // The holder has its own --timeout for STS (after starting up and getting its source
      // credentials), so a waiter allows it twice that; a dead holder is noticed at once anyway.
      const waitMs = 2 * limitsFor(ctx).totalTimeoutMs + (options.mayPrompt ? MFA_ANSWER_MS : 0);
      const result = await cache.lock(key, waitMs, () => ctx.diag.debug(`waiting for another stsx that is getting the same credentials (lock ${key.slice(0, 12)})`));
      if (result.state === 'held') return result.lock;
      if (result.state === 'unusable') {
        ctx.diag.debug(`no lock for ${key.slice(0, 12)} (${result.why}); going on without it`);
        return undefined;
      }
      throw new NetworkError(`timed out after ${Math.round(result.waitedMs / 1000)}s waiting for another stsx that is getting the same credentials`, {
        hint: 'another stsx for the same role is still running (waiting at an MFA prompt?): answer or stop it, or wait longer with --timeout',
      });
    },
  };
}

/**
 * The cache entry stsx wrote when it issued the keys with this access key id: what they are (a
 * role session, GetSessionToken's) is known without a call. Undefined with --no-cache or
 * STSX_NO_CACHE=1, or when stsx did not issue them.
 */
export async function issuedEntry(ctx: CommandContext, flags: CacheFlags, accessKeyId: string): Promise<CachedEntry | undefined> {
  if (flags.cache === false || ctx.deps.env.STSX_NO_CACHE === '1') return undefined;
  const entries = await openCommandCache(ctx).list(ctx.deps.now());
  return entries.find((e) => e.credentials.accessKeyId === accessKeyId);
}
