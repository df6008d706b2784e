// Writing what the user asked for to stdout, and knowing it arrived. A full disk (`> /dev/full`),
// a reader that went away (`| head -c1`) or a closed descriptor is one OutputError (exit 74),
// never a crash with a stack trace, and nothing after it claims success.
import { OutputError } from '../errors.ts';
import type { OutStream } from '../deps.ts';

const REASONS: Readonly<Record<string, string>> = {
  EPIPE: 'the program reading it exited before reading everything (EPIPE)',
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'disk quota exceeded (EDQUOT)',
  EBADF: 'it is closed (EBADF)',
  EIO: 'an input/output error (EIO)',
  EFBIG: 'the file is too large (EFBIG)',
};

/** The one error for a failed write to `what` (e.g. "standard output"). */
export function outputError(error: unknown, what = 'standard output'): OutputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (code ? `${code}` : error instanceof Error ? error.message : String(error));
  return new OutputError(`could not write to ${what}: ${reason}`, {
    hint: code === 'EPIPE' ? 'the output is incomplete; let the reading program read all of it' : 'the output is incomplete; write it somewhere with room, or to a pipe',
    cause: error,
  });
}

/** Writes `text` and resolves once it is written; rejects with an OutputError otherwise. */
export function writeOutput(stream: OutStream, text: string, what = 'standard output'): Promise<void> {
  if (stream.errored) return Promise.reject(outputError(stream.errored, what));
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => {
      if (error) reject(outputError(stream.errored ?? error, what));
      else resolve();
    };
    try {
      stream.write(text, done);
    } catch (error) {
      reject(outputError(error, what));
      return;
    }
    // A test fake that takes only the text writes synchronously and never calls back.
    if (stream.write.length < 2) resolve();
  });
}
