// The CLI's entry: which path answers (route.ts), then the CLI with the process's streams.
import { VERSION } from './version.ts';
import { route } from './route.ts';
import { processDeps } from './process-deps.ts';
import { PROCESS_RUNNERS } from './process-runners.ts';
import { flushed } from './output/direct-stream.ts';

const argv = process.argv.slice(2);
// A failed write to stdout (full disk, closed pipe or descriptor) also arrives as an 'error'
// event, which would crash with a stack trace if nobody listened. runCli learns of it from the
// write callbacks and reports it (exit 74); one that surfaces only after it returned (or after
// --version) is reported here. stderr has nowhere left to report its own failure: ignore it,
// and keep the exit code.
// Set up only once the quick answers and the cache hit have had their turn: they write to the
// descriptors and never make process.stdout (quick-main.ts, hit-main.ts).
let finished = false;
function watchStreams(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (finished) void reportLateOutputError(error);
  });
  process.stderr.on('error', () => undefined);
}
// Which entry answers argv is decided once, in route.ts (docs/how-stsx-runs.md).
const chosen = route(argv);
if (chosen.path === 'version') {
  // The one answer that needs no argument parser, no file system and no other module at all.
  watchStreams();
  process.stdout.write(`${VERSION}\n`);
} else {
  // The quick commands are answered without the argument parser, and the process ends there
  // (quick-main.ts; the launcher goes there directly).
  if (chosen.path === 'quick') await (await import('./quick-main.ts')).runQuick(argv);
  // A cache hit of `stsx assume` with plain flags likewise (hit-main.ts, which the launcher loads
  // as its own bundle); anything else falls through to cli.ts.
  if (chosen.path === 'assume') await (await import('./hit-main.ts')).runCachedAssume(argv);
  // The plain `whoami`, and a plain `assume` the cache did not answer, without the argument
  // parser (sts-main.ts; the launcher loads it as its own bundle). route() again: the hit's miss
  // is marked, and the next path for `assume` is this one.
  if (route(argv).path === 'plain') await (await import('./sts-main.ts')).runPlainSts(argv);
  watchStreams();
  // Node's and the SDK's process warnings (process.emitWarning) never reach the user raw: only
  // --debug shows them, as stsx lines.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (argv.includes('--debug')) process.stderr.write(`stsx: debug: node warning: ${warning.name}: ${warning.message.replace(/\s+/g, ' ')}\n`);
  });
  const deps = await processDeps(PROCESS_RUNNERS);
  const { runCli } = await import('./cli.ts');
  process.exitCode = await runCli(argv, deps);
  // The answer is printed: end now. Whatever is still pending (a getaddrinfo() on libuv's thread
  // pool that cannot be cancelled, a stalled socket of an abandoned attempt) must not keep the
  // process, and an `eval "$(stsx ...)"`, waiting for its own timeouts.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}
finished = true;

async function reportLateOutputError(error: Error): Promise<void> {
  const [{ outputError }, { formatError }] = await Promise.all([import('./output/write-output.ts'), import('./errors.ts')]);
  if (process.exitCode === undefined || process.exitCode === 0) {
    const failure = outputError(error);
    process.stderr.write(`${formatError(failure)}\n`);
    process.exitCode = failure.exitCode;
  }
}
