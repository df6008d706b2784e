// The credential cache: one JSON file per key in a private directory. It never fails a command:
// a bad entry is a miss (and is removed), and a directory it cannot use turns caching off with
// one warning, because a missing cache only costs an STS call while a failed `eval` costs a job.
import { chmod, mkdir, readdir, removeFile, stat } from '../files/fs-async.ts';
import path from 'node:path';
import { InternalError } from '../errors.ts';
import { remainingSeconds, serializeEntry, type CachedEntry } from './cache-entry.ts';
import { ENTRY_FILE, readEntryFile, removeIfUnchanged, TEMP_FILE, writeEntryFile } from './entry-file.ts';
import { describeError, errorCode } from '../files/fs-errors.ts';
import type { LockResult } from '../files/key-lock.ts';

/** Reuse cached credentials while at least this long remains (the CLI's --min-ttl default). */
export const DEFAULT_MIN_TTL_SECONDS = 300;

/** ctx.diag fits: warnings reach the user, debug lines only with --debug. */
export interface CacheLog {
  warn(text: string): void;
  debug?(text: string): void;
}

export interface CacheOptions {
  platform?: NodeJS.Platform | undefined;
  /** Whose files to trust; defaults to this process's uid (POSIX only). */
  uid?: number | undefined;
  pid?: number | undefined;
  /** Whether a process of this host is alive (for stale locks); defaults to process.kill(pid, 0). */
  isAlive?: ((pid: number) => boolean) | undefined;
}

export interface ListedEntry extends CachedEntry {
  key: string;
}

export interface CredentialCache {
  readonly dir: string;
  /** The entry for `key` if it has at least `minTtlSeconds` left. */
  get(key: string, now: Date, minTtlSeconds: number): Promise<CachedEntry | undefined>;
  put(key: string, entry: CachedEntry): Promise<void>;
  /** Waits up to `waitMs` for the one cross-process lock of `key` (`<key>.lock` beside the entry). */
  lock(key: string, waitMs: number, onWait?: () => void): Promise<LockResult>;
  /** Unexpired entries, soonest expiry first; expired and unreadable files are removed. */
  list(now: Date): Promise<ListedEntry[]>;
  /** Every readable entry, expired ones too, touching nothing (for `status`, which runs in a prompt). */
  scan(): Promise<ListedEntry[]>;
  /** Removes every entry, or those for one role, or those an SSO profile's login gave; returns how many were removed. */
  clear(filter?: { roleArn?: string | undefined; ssoProfiles?: ReadonlySet<string> | undefined }): Promise<number>;
}

const KEY = /^[0-9a-f]{64}$/;
/** A temp file this old belongs to a writer that died; younger ones may be mid-write. */
const STALE_TEMP_MS = 10 * 60 * 1000;

export function openCache(dir: string, log: CacheLog, options: CacheOptions = {}): CredentialCache {
  const platform = options.platform ?? process.platform;
  const posix = platform !== 'win32';
  const uid = posix ? (options.uid ?? process.getuid?.()) : undefined;
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive;
  let disabled = false;
  let checked = false;

  const disable = (why: string): false => {
    if (!disabled) log.warn(`credential cache ${dir} is not usable (${why}); continuing without caching`);
    disabled = true;
    return false;
  };

  /** Whether the directory can be used; `create` on the way to a write, not for a mere read. */
  async function ready(create: boolean): Promise<boolean> {
    if (disabled) return false;
    if (checked) return true;
    if (create) {
      try {
        await mkdir(dir, 0o700);
      } catch (error) {
        return disable(describeError(error));
      }
    }
    let st;
    try {
      st = await stat(dir);
    } catch (error) {
      return !create && errorCode(error) === 'ENOENT' ? false : disable(describeError(error));
    }
    if (!st.isDirectory()) return disable('not a directory');
    // Someone else's directory could hand us credentials of their choosing: refuse it.
    if (uid !== undefined && st.uid !== uid) return disable(`owned by uid ${st.uid}, not ${uid}`);
    if (posix && (st.mode & 0o077) !== 0) {
      try {
        await chmod(dir, 0o700);
        log.debug?.(`credential cache ${dir} was mode ${(st.mode & 0o777).toString(8)}; set to 700`);
      } catch (error) {
        return disable(`mode ${(st.mode & 0o777).toString(8)} and cannot set 700: ${describeError(error)}`);
      }
    }
    checked = true;
    return true;
  }

  const fileOf = (key: string): string => {
    // Keys become file names: anything but a sha256 hex digest is a bug, not a path to follow.
    if (!KEY.test(key)) throw new InternalError('credential cache key is not a sha256 hex digest');
    return path.join(dir, `${key}.json`);
  };

  async function names(): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (error) {
      disable(describeError(error));
      return [];
    }
  }

  return {
    dir,
    async get(key, now, minTtlSeconds) {
      const file = fileOf(key);
      if (!(await ready(false))) return undefined;
      const read = await readEntryFile(file, uid);
      if (read.state === 'absent') return undefined;
      if (read.state === 'bad') {
        log.debug?.(`ignoring cache entry ${key.slice(0, 12)}: ${read.problem}`);
        await removeIfUnchanged(file, read.ino);
        return undefined;
      }
      const left = remainingSeconds(read.entry, now);
      if (left <= 0) {
        await removeIfUnchanged(file, read.ino);
        return undefined;
      }
      // Kept on disk: a caller with a smaller minimum can still use it.
      if (left < minTtlSeconds) {
        log.debug?.(`cached credentials ${key.slice(0, 12)} have ${left}s left, less than the minimum ${minTtlSeconds}s`);
        return undefined;
      }
      return read.entry;
    },

    async put(key, entry) {
      const file = fileOf(key);
      if (!(await ready(true))) return;
      try {
        await writeEntryFile(dir, key, serializeEntry(entry), { pid, platform });
      } catch (error) {
        disable(`cannot write ${path.basename(file)}: ${describeError(error)}`);
      }
    },

    async lock(key, waitMs, onWait) {
      const file = `${fileOf(key).slice(0, -'.json'.length)}.lock`;
      if (!(await ready(true))) return { state: 'unusable', why: 'the cache is not usable' };
      // Loaded only to lock (before an STS call): it brings node:crypto, node:os and timers,
      // which `stsx status --prompt`, `stsx profiles` and a cache hit never need.
      const { acquireKeyLock } = await import('../files/key-lock.ts');
      return acquireKeyLock(file, { uid, waitMs, onWait, pid, isAlive });
    },

    async list(now) {
      if (!(await ready(false))) return [];
      const found: ListedEntry[] = [];
      for (const name of await names()) {
        const key = ENTRY_FILE.exec(name)?.[1];
        if (key === undefined) {
          if (TEMP_FILE.test(name)) await removeStaleTemp(path.join(dir, name), now);
          continue;
        }
        const file = path.join(dir, name);
        const read = await readEntryFile(file, uid);
        if (read.state === 'ok' && remainingSeconds(read.entry, now) > 0) found.push({ ...read.entry, key });
        else if (read.state !== 'absent') await removeIfUnchanged(file, read.ino);
      }
      return found.sort((a, b) => a.credentials.expiration.getTime() - b.credentials.expiration.getTime());
    },

    async scan() {
      if (!(await ready(false))) return [];
      const found: ListedEntry[] = [];
      for (const name of await names()) {
        const key = ENTRY_FILE.exec(name)?.[1];
        if (key === undefined) continue;
        const read = await readEntryFile(path.join(dir, name), uid);
        if (read.state === 'ok') found.push({ ...read.entry, key });
      }
      return found;
    },

    async clear(filter) {
      if (!(await ready(false))) return 0;
      let removed = 0;
      for (const name of await names()) {
        if (!ENTRY_FILE.test(name)) continue;
        const file = path.join(dir, name);
        if (filter?.roleArn !== undefined || filter?.ssoProfiles !== undefined) {
          const read = await readEntryFile(file, uid);
          if (read.state !== 'ok') continue;
          if (filter.roleArn !== undefined && read.entry.roleArn !== filter.roleArn) continue;
          if (filter.ssoProfiles !== undefined && (read.entry.ssoProfile === undefined || !filter.ssoProfiles.has(read.entry.ssoProfile))) continue;
        }
        if (await removeIfUnchanged(file, undefined)) removed++;
      }
      return removed;
    },
  };
}

async function removeStaleTemp(file: string, now: Date): Promise<void> {
  try {
    if (now.getTime() - (await stat(file)).mtimeMs > STALE_TEMP_MS) await removeFile(file);
  } catch {
    // Already renamed or removed by its writer.
  }
}
