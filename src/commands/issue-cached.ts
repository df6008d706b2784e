// The one caching wrapper around any issuer (assume, session-token): look up, else issue, print,
// and only then store. A value the output format refuses (exit 2) is never stored, so a later run
// asks STS again instead of failing the same way from the cache: exit 2 keeps meaning "nothing
// was sent" (and nothing kept).
import type { CachedEntry } from '../cache/cache-entry.ts';
import type { CredentialOutput, Format } from '../output/credentials/types.ts';
import type { CommandContext } from './command-context.ts';
import type { CacheUse } from './credential-cache-use.ts';
import { emitCredentials } from './emit-credentials.ts';
import { checkAllowedAccount } from './allowed-accounts.ts';

/** Where credentials go instead of stdout (--write-profile); it also tells the person. */
export type Deliver = (out: CredentialOutput, summary: { what: string; endpoint: string }) => Promise<void>;

export interface Issued {
  /** What the cache keeps (and what is printed). */
  entry: CachedEntry;
  /** The summary line: what was issued, by which endpoint. */
  what: string;
  endpoint: string;
}

export async function issueCached(
  ctx: CommandContext,
  request: {
    cache: CacheUse | undefined;
    key: string;
    chosen: { format: Format; reason: string };
    commandLine: string;
    /** The summary for a cache hit. */
    cachedWhat: (hit: CachedEntry) => string;
    issue: () => Promise<Issued>;
    /** Whether issuing may show an MFA prompt (a waiter then allows the holder time to answer it). */
    mayPrompt?: boolean | undefined;
    /** Instead of printing (--write-profile). */
    deliver?: Deliver | undefined;
    /** --allowed-account-id: credentials of another account are neither printed nor cached (exit 4). */
    allowedAccounts?: ReadonlySet<string> | undefined;
  },
): Promise<void> {
  const { cache, key, chosen, commandLine } = request;
  const emit = (out: CredentialOutput, summary: { what: string; endpoint: string }): Promise<void> =>
    request.deliver ? request.deliver(out, summary) : emitCredentials(ctx, chosen, out, { ...summary, commandLine });
  const started = ctx.deps.now();
  const allowed = request.allowedAccounts;
  // An entry that does not record its account cannot be checked against --allowed-account-id:
  // it counts as a miss, and STS is asked again.
  const usable = (hit: CachedEntry | undefined): hit is CachedEntry => hit !== undefined && (!allowed || hit.account !== undefined);
  const emitHit = (hit: CachedEntry): Promise<void> => {
    checkAllowedAccount(hit.account, allowed, 'the cached credentials');
    return emit({ credentials: hit.credentials, region: hit.region }, { what: request.cachedWhat(hit), endpoint: new URL(hit.endpoint).host });
  };
  const hit = await cache?.lookup(key);
  if (usable(hit)) return emitHit(hit);
  // A miss: one caller per key asks STS (and shows the prompt); parallel callers wait for its
  // lock and then find its answer in the cache. A hit never takes the lock.
  const lock = await cache?.lock(key, { mayPrompt: request.mayPrompt ?? false });
  try {
    const stored = lock ? await cache?.lookup(key, { issuedSince: started }) : undefined;
    if (usable(stored)) return await emitHit(stored);
    const issued = await request.issue();
    checkAllowedAccount(issued.entry.account, allowed, 'the credentials');
    await emit({ credentials: issued.entry.credentials, region: issued.entry.region }, { what: issued.what, endpoint: issued.endpoint });
    await cache?.store(key, issued.entry);
  } finally {
    await lock?.release();
  }
}

/**
 * The same lookup-else-issue for a command that uses the credentials itself instead of printing
 * them (`stsx console`): what is issued is stored at once, as nothing can refuse it afterwards.
 */
export async function obtainCached(request: { cache: CacheUse | undefined; key: string; issue: () => Promise<Issued> }): Promise<{ entry: CachedEntry; cached: boolean }> {
  const hit = await request.cache?.lookup(request.key);
  if (hit) return { entry: hit, cached: true };
  const issued = await request.issue();
  await request.cache?.store(request.key, issued.entry);
  return { entry: issued.entry, cached: false };
}
