// `stsx cache list` and `stsx cache clear`: thin adapters over src/cache. Neither loads the AWS
// SDK or touches the network; both only read (and tidy) the cache directory.
import { UsageError } from '../errors.ts';
import { checkRoleArn } from '../names/validate.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { cacheListJson, cacheListText } from '../cache/render-list.ts';
import type { CommandContext } from '../steps/command-context.ts';

export interface CacheListOptions {
  output?: string | undefined;
}

export interface CacheClearOptions {
  roleArn?: string | undefined;
}

export async function runCacheList(ctx: CommandContext, opts: CacheListOptions): Promise<void> {
  const output = opts.output ?? 'text';
  if (output !== 'text' && output !== 'json') {
    throw new UsageError(`--output ${JSON.stringify(output)} is not a listing format`, { hint: 'use --output text or --output json' });
  }
  const cache = openCommandCache(ctx);
  const now = ctx.deps.now();
  const entries = await cache.list(now);
  if (output === 'json') {
    ctx.deps.stdout.write(cacheListJson(entries, now));
    return;
  }
  // Nothing on stdout when empty, so `stsx cache list | wc -l` counts entries plus a header.
  if (entries.length === 0) ctx.diag.note(`no cached credentials in ${cache.dir}`);
  else ctx.deps.stdout.write(cacheListText(entries, now));
}

export async function runCacheClear(ctx: CommandContext, opts: CacheClearOptions): Promise<void> {
  // Only valid ARNs were ever cached, so a malformed one is a typo worth naming.
  const roleArn = opts.roleArn !== undefined ? checkRoleArn(opts.roleArn) : undefined;
  const cache = openCommandCache(ctx);
  const removed = await cache.clear(roleArn !== undefined ? { roleArn } : undefined);
  const what = `${removed} cached credential${removed === 1 ? '' : 's'}${roleArn !== undefined ? ` for ${roleArn}` : ''}`;
  ctx.diag.note(`removed ${what} from ${cache.dir}`);
}
