// How assume and session-token use the cache: --no-cache skips it, --refresh skips the lookup but
// stores the new answer, --min-ttl sets how much life a cached answer must have left.
import { parseDuration } from '../names/validate.ts';
import { DEFAULT_MIN_TTL_SECONDS } from '../cache/credential-cache.ts';
import { remainingSeconds, type CachedEntry } from '../cache/cache-entry.ts';
import { durationText } from '../text/expiry.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { limitsFor, type CommandContext } from './command-context.ts';
import type { CacheUse } from '../issue/issue-cached.ts';
import { NetworkError } from '../errors.ts';

/** How long a waiter allows the lock's holder for a person to answer its MFA prompt. */
const MFA_ANSWER_MS = 120_000;

export interface CacheFlags {
  /** commander's --no-cache sets cache: false. */
  cache?: boolean | undefined;
  refresh?: boolean | undefined;
  minTtl?: string | undefined;
}

/** How much life a cached answer (or one `exec --server` hands out) must have left. */
export function minTtlSeconds(flags: CacheFlags): number {
  return flags.minTtl !== undefined ? parseDuration(flags.minTtl, '--min-ttl', 0, 129600) : DEFAULT_MIN_TTL_SECONDS;
}

/** --no-cache, or STSX_NO_CACHE=1: the one place that says the cache is off. */
function cacheEnabled(ctx: CommandContext, flags: CacheFlags): boolean {
  return flags.cache !== false && ctx.deps.env.STSX_NO_CACHE !== '1';
}

/** The command's cache itself (for listing it), unless it is off. */
function openCommandCacheIfEnabled(ctx: CommandContext, flags: CacheFlags): ReturnType<typeof openCommandCache> | undefined {
  return cacheEnabled(ctx, flags) ? openCommandCache(ctx) : undefined;
}

export function openCredentialCache(ctx: CommandContext, flags: CacheFlags): CacheUse | undefined {
  const minTtl = minTtlSeconds(flags);
  const cache = openCommandCacheIfEnabled(ctx, flags);
  if (!cache) return undefined;
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
      if (minTtl > lifetime) ctx.diag.warn(`--min-ttl ${durationText(minTtl, { padMinutes: true })} is longer than these credentials last (${durationText(Math.max(0, lifetime), { padMinutes: true })}), so the cache can never reuse them and every run asks STS; use a shorter --min-ttl or a longer --duration`);
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
  const cache = openCommandCacheIfEnabled(ctx, flags);
  if (!cache) return undefined;
  const entries = await cache.list(ctx.deps.now());
  return entries.find((e) => e.credentials.accessKeyId === accessKeyId);
}
