// The one caching wrapper around any issuer (assume, session-token): look up, else issue, print,
// and only then store. A value the output format refuses (exit 2) is never stored, so a later run
// asks STS again instead of failing the same way from the cache: exit 2 keeps meaning "nothing
// was sent" (and nothing kept).
import type { CachedEntry } from '../cache/cache-entry.ts';
import type { Format } from '../output/credentials/types.ts';
import type { CommandContext } from './command-context.ts';
import type { CacheUse } from './credential-cache-use.ts';
import { emitCredentials } from './emit-credentials.ts';

export interface Issued {
  /** What the cache keeps (and what is printed). */
  entry: CachedEntry;
  /** The summary line: what was issued, by which endpoint. */
  what: string;
  endpoint: string;
}

/** What a caller gets from the cache or the issuer: the entry, and the summary for the person. */
export interface Obtained extends Issued {
  fromCache: boolean;
}

export interface CachedRequest {
  cache: CacheUse | undefined;
  key: string;
  /** The summary for a cache hit. */
  cachedWhat: (hit: CachedEntry) => string;
  issue: () => Promise<Issued>;
}

/**
 * The lookup-else-issue step every caller shares (assume and session-token print the result,
 * exec and its credential server do not). `accept` runs on a freshly issued value before it is
 * stored: a value it refuses is not kept.
 */
export async function obtainCached(request: CachedRequest, accept?: (issued: Issued) => Promise<void>): Promise<Obtained> {
  const { cache, key } = request;
  const hit = await cache?.lookup(key);
  if (hit) return { entry: hit, what: request.cachedWhat(hit), endpoint: new URL(hit.endpoint).host, fromCache: true };
  const issued = await request.issue();
  if (accept) await accept(issued);
  await cache?.store(key, issued.entry);
  return { ...issued, fromCache: false };
}

export async function issueCached(
  ctx: CommandContext,
  request: CachedRequest & {
    chosen: { format: Format; reason: string };
    commandLine: string;
  },
): Promise<void> {
  const { chosen, commandLine } = request;
  const print = (got: Issued): Promise<void> =>
    emitCredentials(ctx, chosen, { credentials: got.entry.credentials, region: got.entry.region }, { what: got.what, endpoint: got.endpoint, commandLine });
  const got = await obtainCached(request, print);
  if (got.fromCache) await print(got);
}
