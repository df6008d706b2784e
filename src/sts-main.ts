// The plain `stsx whoami` and the `stsx assume` the cache did not answer, from their own one-file
// bundle (dist/sts.js, scripts/build.ts): the AWS SDK and the command's modules in one file,
// without the argument parser and the CLI's graph of ~30 chunk files, whose loading cost a third
// of whoami (docs/benchmarks.md). The npm launcher (bin/stsx.js) imports it for those first words,
// main.ts calls it (the single executable); a command line that is not plain (src/early-sts.ts)
// returns false, with nothing read or written, and the CLI answers it.
import { markPlainTried, route } from './route.ts';
import { answerPlainSts, plainSts } from './early-sts.ts';
import { processDeps } from './process-deps.ts';
import { PROCESS_RUNNERS } from './process-runners.ts';
import { directStream, flushed } from './output/direct-stream.ts';

/** Runs a plain command line and ends the process with its exit status; false for any other. */
export async function runPlainSts(argv: readonly string[]): Promise<false> {
  const chosen = route(argv);
  const plain = chosen.path === 'plain' ? plainSts(chosen.command, chosen.args) : undefined;
  if (plain === undefined) {
    markPlainTried();
    return false;
  }
  // As main.ts: Node's warnings never reach the user raw (nor a stream's late errors: directStream()).
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const deps = await processDeps(PROCESS_RUNNERS, { stdout: directStream(1, () => process.stdout), stderr: directStream(2, () => process.stderr) });
  process.exitCode = await answerPlainSts(plain, deps);
  // Only the streams that were made (on a terminal, or after EAGAIN) can hold unwritten text.
  await Promise.all([deps.stdout, deps.stderr].map((s) => ('writableLength' in s ? flushed(s as NodeJS.WriteStream) : undefined)));
  process.exit();
}
