// The one caching wrapper around any issuer (assume, session-token, exec, the console): look up,
// else issue, hand over (print), and only then store. A value the output format refuses (exit 2)
// is never stored, so a later run asks STS again instead of failing the same way from the cache:
// exit 2 keeps meaning "nothing was sent" (and nothing kept). On a miss one caller per key asks
// STS (and shows the MFA prompt); parallel callers wait for its lock and then find its answer in
// the cache. A hit never takes the lock.
import type { CachedEntry } from '../cache/cache-entry.ts';
import type { HeldLock } from '../files/key-lock.ts';
import { checkAllowedAccount } from './allowed-accounts.ts';

/** ctx.cacheOnly and no usable entry: nothing was printed, the caller asks the normal way. */
export class NotCached extends Error {}

/** A cache as the wrapper uses it (steps/credential-cache-use.ts opens the command's). */
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
  /** Whether issuing may show an MFA prompt (a waiter then allows the holder time to answer it). */
  mayPrompt?: boolean | undefined;
  /** --allowed-account-id: credentials of another account are neither handed over nor cached (exit 4). */
  allowedAccounts?: ReadonlySet<string> | undefined;
  /** The clock: an entry stored after this by the lock holder counts even with --refresh. */
  now?: (() => Date) | undefined;
  /** CommandContext.cacheOnly: a miss throws NotCached instead of taking the lock and issuing. */
  cacheOnly?: { onHit: () => void } | undefined;
}

/**
 * The lookup-else-issue step every caller shares (assume and session-token print the result,
 * exec, its credential server and the console do not). `accept` runs on a freshly issued value
 * before it is stored: a value it refuses is not kept.
 */
export async function obtainCached(request: CachedRequest, accept?: (issued: Issued) => Promise<void>): Promise<Obtained> {
  const { cache, key } = request;
  const allowed = request.allowedAccounts;
  const started = (request.now ?? (() => new Date()))();
  // An entry that does not record its account cannot be checked against --allowed-account-id:
  // it counts as a miss, and STS is asked again.
  const usable = (hit: CachedEntry | undefined): hit is CachedEntry => hit !== undefined && (!allowed || hit.account !== undefined);
  const fromHit = (hit: CachedEntry): Obtained => {
    checkAllowedAccount(hit.account, allowed, 'the cached credentials');
    return { entry: hit, what: request.cachedWhat(hit), endpoint: new URL(hit.endpoint).host, fromCache: true };
  };
  const hit = await cache?.lookup(key);
  if (request.cacheOnly) {
    if (!usable(hit)) throw new NotCached();
    request.cacheOnly.onHit();
  }
  if (usable(hit)) return fromHit(hit);
  const lock = await cache?.lock(key, { mayPrompt: request.mayPrompt ?? false });
  try {
    const stored = lock ? await cache?.lookup(key, { issuedSince: started }) : undefined;
    if (usable(stored)) return fromHit(stored);
    const issued = await request.issue();
    checkAllowedAccount(issued.entry.account, allowed, 'the credentials');
    if (accept) await accept(issued);
    await cache?.store(key, issued.entry);
    return { ...issued, fromCache: false };
  } finally {
    await lock?.release();
  }
}
