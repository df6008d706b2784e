// The file operations that a cache hit, `stsx profiles` and the process's own deps use, as
// promises over node:fs (one bounded read for every text file a command reads). Why not node:fs/promises: on Node 24 loading it brings a
// dozen internal modules (readline, the REPL's history, file watchers), measured at 4 to 10 ms
// of a cache hit that needs none of them; node:fs itself is loaded with Node. Written by hand
// because util.promisify would load node:util for a handful of one-line wrappers. Only the calls
// stsx makes, with the options it passes; the write paths that lock or replace files (key-lock.ts,
// write-profile.ts) keep node:fs/promises.
import fs, { type Stats } from 'node:fs';

function done(run: (callback: (error: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

/**
 * A call made at once, on the main thread, as a promise (a failure rejects it). For what a cache
 * hit does (stat, list, open, read and close small local files): the first asynchronous call
 * starts libuv's thread pool, four threads the call waits for, which cost a cache hit 10 to 20 ms
 * of wall time on a busy machine, more than the call itself. Writes and fsync stay asynchronous.
 */
function now<T>(run: () => T): Promise<T> {
  return new Promise((resolve) => resolve(run()));
}

export const stat = (file: string): Promise<Stats> => now(() => fs.statSync(file));
export const lstat = (file: string): Promise<Stats> => now(() => fs.lstatSync(file));
export const readdir = (dir: string): Promise<string[]> => now(() => fs.readdirSync(dir));
export const mkdir = (dir: string, mode: number): Promise<void> => done((cb) => fs.mkdir(dir, { recursive: true, mode }, (error) => cb(error)));
export const chmod = (file: string, mode: number): Promise<void> => done((cb) => fs.chmod(file, mode, cb));
export const rename = (from: string, to: string): Promise<void> => done((cb) => fs.rename(from, to, cb));
export const rmdir = (dir: string): Promise<void> => done((cb) => fs.rmdir(dir, cb));
export const unlink = (file: string): Promise<void> => done((cb) => fs.unlink(file, cb));
/** rm -f: a file that is already gone is no error. */
export const removeFile = (file: string): Promise<void> =>
  unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
/**
 * Appends to a regular file (GITHUB_ENV), creating it with `mode`. Opened without blocking: a FIFO
 * nobody reads would otherwise keep the open waiting for ever (ENXIO instead), and one that has a
 * reader is refused too (ENOTREG), as is a socket; a character device (/dev/null) is written.
 */
export function appendFile(file: string, text: string, mode: number): Promise<void> {
  const { O_WRONLY, O_APPEND, O_CREAT, O_NONBLOCK } = fs.constants as typeof fs.constants & { O_NONBLOCK?: number };
  return new Promise((resolve, reject) => {
    fs.open(file, O_WRONLY | O_APPEND | O_CREAT | (O_NONBLOCK ?? 0), mode, (error, fd) => {
      if (error) return reject(error);
      const close = (failure: Error | null): void => fs.close(fd, () => (failure ? reject(failure) : resolve()));
      fs.fstat(fd, (statError, st) => {
        if (statError) return close(statError);
        if (!st.isFile() && !st.isCharacterDevice()) return close(Object.assign(new Error(`${file} is not a regular file`), { code: 'ENOTREG' }));
        fs.appendFile(fd, text, 'utf8', close);
      });
    });
  });
}

/** How long a FIFO may take to deliver a text file (`AWS_CONFIG_FILE=<(...)` does at once). */
const FIFO_DEADLINE_MS = 5000;
/** And how much it may deliver: a config of 5,000 profiles is about 1 MB. */
const FIFO_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A text file (a config file, a token file) in bounded time. A file that is not a FIFO (nearly
 * always a regular one; /dev/null too) is read at once, in one synchronous call: faster than
 * chunks through the thread pool. A FIFO is read without blocking, here on the main thread, until
 * its writer closes it: one nobody writes to would otherwise keep every command waiting (and a
 * read blocked in the thread pool would keep even process.exit() waiting). Nothing within
 * FIFO_DEADLINE_MS fails with code ETIMEDOUT, as does a writer still writing then, and more than
 * FIFO_MAX_BYTES with EFBIG (`<(yes)`); other failures are node:fs's (ENOENT, EISDIR, ...).
 */
export function readFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      const nonBlocking = fs.constants.O_NONBLOCK as number | undefined;
      if (nonBlocking === undefined || !fs.statSync(file).isFIFO()) {
        resolve(fs.readFileSync(file, 'utf8'));
        return;
      }
      readFifo(fs.openSync(file, fs.constants.O_RDONLY | nonBlocking), (buffer) => resolve(buffer.toString('utf8')), reject);
    } catch (error) {
      reject(error as Error);
    }
  });
}

/**
 * At most the first `maxBytes + 1` bytes of a file (so the caller can tell "too big" from "just
 * fits"), in bounded time: a FIFO (`--policy file:///fifo`) is read as readFile reads one, and the
 * read stops once it has that many bytes.
 */
export function readFileHead(file: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    try {
      const nonBlocking = fs.constants.O_NONBLOCK as number | undefined;
      const fifo = nonBlocking !== undefined && fs.statSync(file).isFIFO();
      const fd = fs.openSync(file, fs.constants.O_RDONLY | (fifo ? (nonBlocking ?? 0) : 0));
      if (fifo) return readFifo(fd, resolve, reject, maxBytes + 1);
      const buffer = Buffer.alloc(maxBytes + 1);
      let size = 0;
      try {
        for (let n = -1; n !== 0 && size < buffer.length; size += n) n = fs.readSync(fd, buffer, size, buffer.length - size, null);
      } finally {
        fs.closeSync(fd);
      }
      resolve(buffer.subarray(0, size));
    } catch (error) {
      reject(error as Error);
    }
  });
}

/** Reads a non-blocking FIFO until its writer closes it, or until it has `enough` bytes. */
function readFifo(fd: number, resolve: (buffer: Buffer) => void, reject: (error: Error) => void, enough = Infinity): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const deadline = Date.now() + FIFO_DEADLINE_MS;
  const late = (): Error => Object.assign(new Error(`${size === 0 ? 'nothing to read' : 'not read to its end'} within ${FIFO_DEADLINE_MS / 1000} s`), { code: 'ETIMEDOUT' });
  const finish = (error: Error | undefined): void => {
    fs.closeSync(fd);
    if (error) reject(error);
    else resolve(Buffer.concat(chunks).subarray(0, enough));
  };
  const step = (): void => {
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      let read: number;
      try {
        read = fs.readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return finish(error as Error);
        read = -1;
      }
      if (read > 0) {
        chunks.push(buffer.subarray(0, read));
        size += read;
        if (size >= enough) return finish(undefined);
        if (size > FIFO_MAX_BYTES) return finish(Object.assign(new Error(`more than ${FIFO_MAX_BYTES / 1024 / 1024} MB`), { code: 'EFBIG' }));
        if (Date.now() >= deadline) return finish(late());
        continue;
      }
      // 0 with text read: the writer closed it. 0 before any text: no writer yet; -1: no text yet.
      if (read === 0 && chunks.length > 0) return finish(undefined);
      if (Date.now() >= deadline) return finish(late());
      setTimeout(step, 10);
      return;
    }
  };
  step();
}

/** An open file, with the calls of node:fs/promises' FileHandle that stsx makes (readCapped takes either). */
export interface Handle {
  read(buffer: Buffer, offset: number, length: number, position: null): Promise<{ bytesRead: number }>;
  stat(): Promise<Stats>;
  writeFile(text: string, encoding: 'utf8'): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function open(file: string, flags: number | string, mode?: number): Promise<Handle> {
  const fd = await now(() => fs.openSync(file, flags, mode));
  return {
    read: (buffer, offset, length, position) => now(() => ({ bytesRead: fs.readSync(fd, buffer, offset, length, position) })),
    stat: () => now(() => fs.fstatSync(fd)),
    writeFile: (text, encoding) => done((cb) => fs.writeFile(fd, text, encoding, cb)),
    sync: () => done((cb) => fs.fsync(fd, cb)),
    close: () => now(() => fs.closeSync(fd)),
  };
}
