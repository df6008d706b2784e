// Reading, writing and removing one entry file. A write goes to a private temp file in the same
// directory and is renamed into place: rename is atomic within a file system, so a reader (say,
// another of 32 parallel CI jobs) sees the old file or the new one, never half of one.
import { constants, type Stats } from 'node:fs';
import { lstat, open, rename, rmdir, unlink } from '../files/fs-async.ts';
import path from 'node:path';
import { parseEntry, type CachedEntry } from './cache-entry.ts';
import { readCapped, writeThroughTemp } from '../files/bounded-io.ts';
import { describeError, errorCode } from '../files/fs-errors.ts';

export type ReadResult =
  | { state: 'absent' }
  | { state: 'ok'; entry: CachedEntry; ino: number }
  | { state: 'bad'; problem: string; ino?: number | undefined };

export const ENTRY_FILE = /^([0-9a-f]{64})\.json$/;
/** `.<key>.<pid>.<random>.tmp`: a dot file, so listings and globs for *.json never see it. */
export const TEMP_FILE = /^\.[0-9a-f]{64}\.\d+\.[0-9a-f]+\.tmp$/;

/** Entries are about 2 KB; anything much larger was not written by stsx and is not read whole. */
const MAX_ENTRY_BYTES = 64 * 1024;

/** `uid`: the owner a file must have (undefined where ownership means nothing, e.g. win32). */
export async function readEntryFile(file: string, uid: number | undefined): Promise<ReadResult> {
  // The type is checked before opening: opening a FIFO for reading blocks until a writer comes.
  let before;
  try {
    before = await lstat(file);
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? { state: 'absent' } : { state: 'bad', problem: describeError(error) };
  }
  if (!before.isFile()) return { state: 'bad', problem: `not a regular file (${fileType(before)})`, ino: before.ino };
  let fh;
  try {
    // O_NOFOLLOW: a symlink planted in the directory must not make us read some other file.
    // O_NONBLOCK: should a FIFO be swapped in after the check, the open still returns at once.
    fh = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? { state: 'absent' } : { state: 'bad', problem: describeError(error) };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { state: 'bad', problem: `not a regular file (${fileType(st)})`, ino: st.ino };
    if (uid !== undefined && st.uid !== uid) return { state: 'bad', problem: `owned by uid ${st.uid}, not ${uid}`, ino: st.ino };
    if (st.size > MAX_ENTRY_BYTES) return { state: 'bad', problem: `${st.size} bytes, more than ${MAX_ENTRY_BYTES}`, ino: st.ino };
    const text = await readCapped(fh, MAX_ENTRY_BYTES);
    if (text === undefined) return { state: 'bad', problem: `more than ${MAX_ENTRY_BYTES} bytes`, ino: st.ino };
    const parsed = parseEntry(text);
    return parsed.ok ? { state: 'ok', entry: parsed.entry, ino: st.ino } : { state: 'bad', problem: parsed.problem, ino: st.ino };
  } catch (error) {
    return { state: 'bad', problem: describeError(error) };
  } finally {
    await fh.close();
  }
}

function fileType(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a device or other special file';
}

export async function writeEntryFile(dir: string, key: string, text: string, opts: { pid: number; platform: NodeJS.Platform }): Promise<void> {
  // node:crypto only when writing: `stsx status --prompt` reads entries at every prompt and never writes.
  const { randomBytes } = (await import('node:crypto')).default;
  const temp = path.join(dir, `.${key}.${opts.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await writeThroughTemp(temp, text, () => renameInto(temp, path.join(dir, `${key}.json`), opts.platform));
}

/**
 * Removes a file we judged bad or expired, unless another process has renamed a fresh entry
 * over it since we read it (its inode then differs). Best effort: failing only costs a miss.
 */
export async function removeIfUnchanged(file: string, ino: number | undefined): Promise<boolean> {
  try {
    const st = await lstat(file);
    if (ino !== undefined && st.ino !== ino) return false;
    // A directory under an entry's name blocks every write of that entry; an empty one can go.
    if (st.isDirectory()) await rmdir(file);
    else await unlink(file);
    return true;
  } catch {
    return false;
  }
}

async function renameInto(from: string, to: string, platform: NodeJS.Platform): Promise<void> {
  // On Windows a rename over a file another process is reading can fail for a moment.
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const transient = platform === 'win32' && ['EPERM', 'EACCES', 'EBUSY'].includes(errorCode(error) ?? '');
      if (!transient || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
