// One cross-process lock per cache key, so N parallel callers on a cold key make one STS call and
// show one MFA prompt: the holder asks STS and stores the answer, the others wait and then read it.
//
// The algorithm is proper-lockfile's (mkdir is atomic on every file system, also NFS; the holder
// touches the directory's mtime every second and a lock not touched for STALE_MS belongs to a
// holder that died), written here because that package would bring graceful-fs (which patches
// `fs` for the whole process) and signal-exit (which hooks the signals main.ts handles), and
// throws from a timer when the lock is taken over. One addition: the holder writes its pid and
// host into the lock, because on a loaded machine (32 callers on 2 cores) a live holder busy
// loading the SDK can miss its mtime updates for seconds, and an mtime alone would then hand the
// lock to a second caller. So a lock from this host is stale when its process is gone (at once,
// after a SIGKILL), and a lock from another host (a shared home) when its mtime is old.
import { lstat, mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, errorCode } from '../files/fs-errors.ts';

/** A lock whose mtime is older than this belongs to a holder that is gone. */
const STALE_MS = 4000;
/** How often the holder shows it is alive. */
const UPDATE_MS = 1000;

export interface HeldLock {
  release(): Promise<void>;
}

export type LockResult =
  | { state: 'held'; lock: HeldLock }
  /** The lock path cannot be used (not ours, not a directory, no permission): go on without it. */
  | { state: 'unusable'; why: string }
  /** Another live holder kept it for longer than we may wait. */
  | { state: 'timeout'; waitedMs: number };

export interface LockOptions {
  /** The owner a lock directory must have (undefined where ownership means nothing, e.g. win32). */
  uid: number | undefined;
  /** How long to wait for a live holder. */
  waitMs: number;
  /** Called once when we start waiting for another holder. */
  onWait?: (() => void) | undefined;
  staleMs?: number | undefined;
  updateMs?: number | undefined;
  /** This process's id, written into the lock. */
  pid: number;
  /** Whether a process of this host is alive (process.kill(pid, 0) in main's deps). */
  isAlive: (pid: number) => boolean;
}

const OWNER = 'owner';

export async function acquireKeyLock(lockPath: string, options: LockOptions): Promise<LockResult> {
  const staleMs = options.staleMs ?? STALE_MS;
  const started = Date.now();
  let waiting = false;
  for (;;) {
    try {
      await mkdir(lockPath, { mode: 0o700 });
      return { state: 'held', lock: await hold(lockPath, options) };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') return { state: 'unusable', why: describeError(error) };
    }
    let st;
    try {
      st = await lstat(lockPath);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue; // released between our mkdir and lstat
      return { state: 'unusable', why: describeError(error) };
    }
    // A file, a symlink or someone else's directory under the lock's name is not a lock we know.
    if (!st.isDirectory()) return { state: 'unusable', why: 'not a directory' };
    if (options.uid !== undefined && st.uid !== options.uid) return { state: 'unusable', why: `owned by uid ${st.uid}, not ${options.uid}` };
    if (await isStale(lockPath, st.mtimeMs, staleMs, options)) {
      await breakStale(lockPath, st.ino);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= options.waitMs) return { state: 'timeout', waitedMs: waited };
    if (!waiting) {
      waiting = true;
      options.onWait?.();
    }
    // Jitter, so 32 waiters do not all retry in step.
    await sleep(Math.min(25 + Math.random() * 75, Math.max(1, options.waitMs - waited)));
  }
}

/** `<pid> <host>` of the holder, or undefined if it has not written it (yet) or it is not ours. */
async function readOwner(lockPath: string): Promise<{ pid: number; host: string } | undefined> {
  const file = path.join(lockPath, OWNER);
  try {
    const st = await lstat(file);
    if (!st.isFile() || st.size > 512) return undefined;
    const match = /^(\d{1,10}) (\S{1,255})\n$/.exec(await readFile(file, 'utf8'));
    return match ? { pid: Number(match[1]), host: match[2] ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(lockPath: string, mtimeMs: number, staleMs: number, options: LockOptions): Promise<boolean> {
  const owner = await readOwner(lockPath);
  // A holder on this host is alive or not, whatever its mtime says.
  if (owner && owner.host === hostname()) return owner.pid !== options.pid && !options.isAlive(owner.pid);
  // Another host, or a holder killed before it wrote its pid: mtime is the file system's clock.
  return Date.now() - mtimeMs > staleMs;
}

async function hold(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const { ino } = await lstat(lockPath);
  await writeFile(path.join(lockPath, OWNER), `${options.pid} ${hostname()}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  const updateMs = options.updateMs ?? UPDATE_MS;
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, updateMs);
  // The lock must never keep the process alive by itself.
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      try {
        // Only our own directory: if we were judged stale, the one there now belongs to another.
        if ((await lstat(lockPath)).ino === ino) await rm(lockPath, { recursive: true, force: true });
      } catch {
        // Gone already: nothing to release.
      }
    },
  };
}

/**
 * Moves a stale lock aside and removes it. The rename is atomic, and it only happens if the
 * directory is still the one judged stale, so a fresh lock taken meanwhile is (almost always) left
 * alone; losing that narrow race costs one extra STS call, never a wrong answer.
 */
async function breakStale(lockPath: string, ino: number): Promise<void> {
  // node:crypto only here: a cache hit never takes a lock (README, Benchmark).
  const { randomBytes } = (await import('node:crypto')).default;
  const aside = `${lockPath}.stale.${randomBytes(6).toString('hex')}`;
  try {
    if ((await lstat(lockPath)).ino !== ino) return;
    await rename(lockPath, aside);
  } catch {
    return;
  }
  await rm(aside, { recursive: true, force: true }).catch(() => undefined);
}
