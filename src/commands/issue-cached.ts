// The one caching wrapper around any issuer (assume, session-token): look up, else issue, print,
// and only then store. A value the output format refuses (exit 2) is never stored, so a later run
// asks STS again instead of failing the same way from the cache: exit 2 keeps meaning "nothing
// was sent" (and nothing kept).
import type { CachedEntry } from '../cache/cache-entry.ts';
import type { Format } from '../output/credentials/types.ts';
import type { CommandContext } from './command-context.ts';
import type { CacheUse } from './credential-cache-use.ts';
import { emitCredentials } from './emit-credentials.ts';
import { checkAllowedAccount } from './allowed-accounts.ts';

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
    /** --allowed-account-id: credentials of another account are neither printed nor cached (exit 4). */
    allowedAccounts?: ReadonlySet<string> | undefined;
  },
): Promise<void> {
  const { cache, key, chosen, commandLine } = request;
  const allowed = request.allowedAccounts;
  const hit = await cache?.lookup(key);
  // An entry that does not record its account cannot be checked: ask STS again instead.
  if (hit && (!allowed || hit.account !== undefined)) {
    checkAllowedAccount(hit.account, allowed, 'the cached credentials');
    await emitCredentials(ctx, chosen, { credentials: hit.credentials, region: hit.region }, { what: request.cachedWhat(hit), endpoint: new URL(hit.endpoint).host, commandLine });
    return;
  }
  const issued = await request.issue();
  checkAllowedAccount(issued.entry.account, allowed, 'the credentials');
  await emitCredentials(ctx, chosen, { credentials: issued.entry.credentials, region: issued.entry.region }, { what: issued.what, endpoint: issued.endpoint, commandLine });
  await cache?.store(key, issued.entry);
}
