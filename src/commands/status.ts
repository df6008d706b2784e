// `stsx status [--prompt] [--output json]`: one function, two entry points. main.ts calls it
// directly for `stsx status [--prompt]` before the argument parser loads (a prompt runs it at
// every command line); cli.ts calls it for everything else (--output, --help, bad flags).
import type { Deps } from '../deps.ts';
import { UsageError } from '../errors.ts';
import { readStatus, STATUS_EXIT } from '../status/read-status.ts';
import { statusJson, statusPrompt, statusText } from '../status/render-status.ts';

export interface StatusOptions {
  prompt?: boolean | undefined;
  output?: string | undefined;
}

export type StatusIo = Pick<Deps, 'env' | 'homedir' | 'platform' | 'now'>;

/** The text for stdout and the exit status (0 valid, 1 none, 3 expired). */
export async function runStatus(io: StatusIo, opts: StatusOptions): Promise<{ stdout: string; exitCode: number }> {
  const output = opts.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output ${JSON.stringify(output)} is not a status format`, { hint: 'use --output text or --output json' });
  if (opts.prompt && opts.output !== undefined) throw new UsageError('--prompt and --output cannot be combined', { hint: 'use --prompt for a shell prompt, --output json for scripts' });
  const now = io.now();
  // Never a warning from the cache here: a prompt must not print one at every command line.
  // The cache modules load only when there are keys to look up: a prompt in a shell without
  // credentials (the common case) needs neither them nor the file system.
  const entries = async () => {
    const [{ cacheDir }, { openCache }] = await Promise.all([import('../cache/cache-dir.ts'), import('../cache/credential-cache.ts')]);
    try {
      return await openCache(cacheDir(io.env, io.homedir, io.platform), { warn: () => undefined }, { platform: io.platform }).scan();
    } catch {
      // No usable home directory: nothing is cached, so nothing is known about the keys.
      return [];
    }
  };
  const status = await readStatus(io.env, now, entries);
  const stdout = opts.prompt ? statusPrompt(status) : output === 'json' ? statusJson(status) : statusText(status, now);
  return { stdout, exitCode: STATUS_EXIT[status.state] };
}
