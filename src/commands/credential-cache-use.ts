// How assume and session-token use the cache: --no-cache skips it, --refresh skips the lookup but
// stores the new answer, --min-ttl sets how much life a cached answer must have left.
import { parseDuration } from '../assume/validate.ts';
import { DEFAULT_MIN_TTL_SECONDS } from '../cache/credential-cache.ts';
import type { CachedEntry } from '../cache/cache-entry.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import type { CommandContext } from './command-context.ts';

export interface CacheFlags {
  /** commander's --no-cache sets cache: false. */
  cache?: boolean | undefined;
  refresh?: boolean | undefined;
  minTtl?: string | undefined;
}

export interface CacheUse {
  lookup(key: string): Promise<CachedEntry | undefined>;
  store(key: string, entry: CachedEntry): Promise<void>;
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
    lookup: async (key) => {
      if (flags.refresh) return undefined;
      const hit = await cache.get(key, ctx.deps.now(), minTtl);
      ctx.diag.debug(hit ? `cache hit ${key.slice(0, 12)}` : `cache miss ${key.slice(0, 12)}`);
      return hit;
    },
    store: (key, entry) => cache.put(key, entry),
  };
}
