// `stsx assume` from its own one-file bundle (dist/hit.js, scripts/build.ts): the early cache hit
// (src/early-cache-hit.ts) without the CLI's graph of ~30 chunk files, which cost more to resolve,
// load and link than the hit itself. The npm launcher (bin/stsx.js) imports it for `assume`; on
// anything but a plain hit it returns false, having written nothing, and the launcher loads the CLI,
// which then does not try the hit again (route.ts). What only a miss needs (the AWS SDK, the
// credential sources that start programs) is not in this bundle: reaching it is a miss too.
import { route, markCacheHitTried } from './route.ts';
import { answerCachedAssume } from './early-cache-hit.ts';
import { NotCached } from './commands/issue-cached.ts';
import { processDeps } from './process-deps.ts';

/** A miss's needs, reached on a cache hit's path: the CLI answers (nothing was printed). */
const missOnly = (): never => {
  throw new NotCached();
};

/**
 * Answers `stsx assume ...` when the cache holds its answer (output written, then the process
 * ends with its exit status); returns false, having written nothing, for anything else.
 */
export async function runCachedAssume(argv: readonly string[]): Promise<false> {
  const chosen = route(argv);
  if (chosen.path !== 'assume') return false;
  // As main.ts: the streams' late errors and Node's warnings never reach the user raw.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const deps = await processDeps({ startProcess: missOnly, openBrowser: missOnly, runChild: missOnly });
  const code = await answerCachedAssume(chosen.args, deps);
  if (code === undefined) {
    markCacheHitTried();
    // main.ts sets Node's warnings up again.
    process.removeAllListeners('warning');
    return false;
  }
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
