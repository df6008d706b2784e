// `stsx assume` from its own one-file bundle (dist/hit.js, scripts/build.ts): the early cache hit
// (src/early-cache-hit.ts) without the CLI's graph of ~30 chunk files, which cost more to resolve,
// load and link than the hit itself. The npm launcher (bin/stsx.js) imports it for `assume`, and
// main.ts calls it (the single executable, dist/stsx.js run directly); on anything but a plain hit
// it returns false, having written nothing, and the CLI answers, without trying the hit again (route.ts). What only a miss needs (the AWS SDK, the
// credential sources that start programs) is not in this bundle: reaching it is a miss too.
import { route, markCacheHitTried } from './route.ts';
import { answerCachedAssume } from './early-cache-hit.ts';
import { NotCached } from './issue/issue-cached.ts';
import { processDeps } from './process-deps.ts';
import type { OutStream } from './deps.ts';
import type { Stats } from 'node:fs';

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
  // As main.ts: Node's warnings never reach the user raw (nor a stream's late errors: direct()).
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const deps = await processDeps({ startProcess: missOnly, openBrowser: missOnly, runChild: missOnly }, { stdout: direct(1, () => process.stdout), stderr: direct(2, () => process.stderr) }, true);
  const code = await answerCachedAssume(chosen.args, deps);
  if (code === undefined) {
    markCacheHitTried();
    // main.ts sets Node's warnings up again.
    process.removeAllListeners('warning');
    return false;
  }
  process.exitCode = code;
  // Only the streams that were made (on a terminal, or after EAGAIN) can hold unwritten text.
  await Promise.all([deps.stdout, deps.stderr].map((s) => ('writableLength' in s ? flushed(s as NodeJS.WriteStream) : undefined)));
  process.exit();
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}

/**
 * Descriptor fd written directly when it is a file, a pipe or a socket (never a terminal): Node's
 * process.stdout and process.stderr set up the stream modules (and, on a pipe, a socket), which
 * cost more than the rest of the write. A terminal, a character device or a descriptor full
 * (EAGAIN) gets the real stream (for the rest of the text, as bytes).
 */
function direct(fd: 1 | 2, stream: () => NodeJS.WriteStream): OutStream {
  const fs = process.getBuiltinModule('node:fs');
  let kind: Stats | undefined;
  try {
    kind = fs.fstatSync(fd);
  } catch {
    kind = undefined;
  }
  if (kind === undefined || kind.isCharacterDevice()) return stream().on('error', () => undefined);
  let fallback: NodeJS.WriteStream | undefined;
  return {
    isTTY: false,
    write(text, callback) {
      if (fallback) return fallback.write(text, callback);
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      try {
        while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          callback?.(error as Error);
          return false;
        }
        fallback = stream();
        fallback.on('error', () => undefined);
        return fallback.write(bytes.subarray(written), callback);
      }
      callback?.();
      return true;
    },
  };
}
