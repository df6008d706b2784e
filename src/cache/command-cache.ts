// The cache for this user and platform, as every command opens it: `assume` and `session-token`
// (through steps/credential-cache-use.ts) and `cache list|clear`.
import type { Deps } from '../deps.ts';
import { cacheDir } from './cache-dir.ts';
import { openCache, type CacheLog, type CredentialCache } from './credential-cache.ts';

export function openCommandCache(ctx: { deps: Pick<Deps, 'env' | 'homedir' | 'platform'>; diag: CacheLog }): CredentialCache {
  const { env, homedir, platform } = ctx.deps;
  return openCache(cacheDir(env, homedir, platform), ctx.diag, { platform });
}
