// `stsx assume` from its own one-file bundle (dist/hit.js, scripts/build.ts): the early cache hit
// (src/early-cache-hit.ts) without the CLI's graph of ~30 chunk files, which cost more to resolve,
// load and link than the hit itself. The npm launcher (bin/stsx.js) imports it for `assume`, and
// main.ts calls it (the single executable, dist/stsx.js run directly); on anything but a plain hit
// it returns false, having written nothing, and the CLI answers, without trying the hit again (route.ts). What only a miss needs (the AWS SDK, the
// credential sources that start programs) is not in this bundle: reaching it is a miss too.
import { route, markCacheHitTried, markPlainTried } from './route.ts';
import { answerCachedAssume, plainAssumeOptions } from './early-cache-hit.ts';
import { NotCached } from './issue/issue-cached.ts';
import { processDeps } from './process-deps.ts';
import { directStream, flushed } from './output/direct-stream.ts';

/** A miss's needs, reached on a cache hit's path: the CLI answers (nothing was printed). */
const missOnly = (): never => {
  throw new NotCached();
};

/**
 * Answers `stsx assume ...` when the cache holds its answer (output written, then the process
 * ends with its exit status). Otherwise, having written nothing: 'plain' when the command line is
 * plain (dist/sts.js runs it next), 'cli' for any other (the CLI answers it).
 */
export async function runCachedAssume(argv: readonly string[]): Promise<'plain' | 'cli'> {
  const chosen = route(argv);
  if (chosen.path !== 'assume') return 'cli';
  // As main.ts: Node's warnings never reach the user raw (nor a stream's late errors: directStream()).
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const deps = await processDeps({ startProcess: missOnly, openBrowser: missOnly, runChild: missOnly }, { stdout: directStream(1, () => process.stdout), stderr: directStream(2, () => process.stderr) }, true);
  const code = await answerCachedAssume(chosen.args, deps);
  if (code === undefined) {
    markCacheHitTried();
    // main.ts sets Node's warnings up again.
    process.removeAllListeners('warning');
    if (plainAssumeOptions(chosen.args) !== undefined) return 'plain';
    // Not plain: dist/sts.js would only say so; the CLI answers.
    markPlainTried();
    return 'cli';
  }
  process.exitCode = code;
  // Only the streams that were made (on a terminal, or after EAGAIN) can hold unwritten text.
  await Promise.all([deps.stdout, deps.stderr].map((s) => ('writableLength' in s ? flushed(s as NodeJS.WriteStream) : undefined)));
  process.exit();
}
