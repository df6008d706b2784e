// stdout and stderr of the one-file bundles (dist/hit.js, dist/sts.js) that answer and end the
// process without the CLI.
import type { OutStream } from '../deps.ts';
import type { Stats } from 'node:fs';

/**
 * Descriptor fd written directly when it is a file, a pipe or a socket (never a terminal): Node's
 * process.stdout and process.stderr set up the stream modules (and, on a pipe, a socket), which
 * cost more than the rest of the write. A terminal, a character device or a descriptor full
 * (EAGAIN) gets the real stream (for the rest of the text, as bytes).
 */
export function directStream(fd: 1 | 2, stream: () => NodeJS.WriteStream): OutStream {
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

/** Resolves once everything written to `stream` has been handed to the system. */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
