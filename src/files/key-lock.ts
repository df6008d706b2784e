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
//
// A pid alone does not name a process: it is reused, and in a container every stsx may be pid 1
// of its own namespace, alive for ever as seen from the next run. So the owner file also holds
// the holder's start time, the boot id and the pid namespace (Linux's /proc; elsewhere they are
// `-` and the pid plus the lock's age decide), and a lock untouched for ABANDON_MS is stale
// whatever its owner file says: a live holder touches it every second.
import { lstat, mkdir, readFile, readlink, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, errorCode } from './fs-errors.ts';

/** A lock whose mtime is older than this belongs to a holder that is gone. */
const STALE_MS = 4000;
/** How often the holder shows it is alive. */
const UPDATE_MS = 1000;
/**
 * A lock untouched for this long is stale even if its owner looks alive: far longer than a starved
 * holder misses its updates, far shorter than the --timeout a waiter would otherwise run out.
 */
const ABANDON_MS = 30_000;

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
  abandonMs?: number | undefined;
  updateMs?: number | undefined;
  /** This process's id, written into the lock. */
  pid: number;
  /** Whether a process of this host is alive (tests pass their own; by default, process.kill(pid, 0)). */
  isAlive?: ((pid: number) => boolean) | undefined;
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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (then it is not our holder, but not gone either).
    return errorCode(error) === 'EPERM';
  }
}

/** What tells one process from another that had (or will have) the same pid; undefined where unknown. */
interface Incarnation {
  /** Clock ticks after boot at which the process started (/proc/PID/stat, field 22). */
  start: string | undefined;
  boot: string | undefined;
  /** The pid namespace the pid is counted in. */
  pidNs: string | undefined;
}

interface Owner extends Incarnation {
  pid: number;
  host: string;
}

const TOKEN = /^[\w:[\]-]{1,64}$/;
const known = (s: string | undefined): string | undefined => (s !== undefined && s !== '-' && TOKEN.test(s) ? s : undefined);

async function readSmall(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).slice(0, 4096);
  } catch {
    return undefined;
  }
}

/** The start time of a process of this pid namespace, or undefined (gone, or no /proc). */
async function startTime(pid: number | 'self'): Promise<string | undefined> {
  const stat = await readSmall(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return known(fields?.[19]);
}

let self: Promise<Incarnation> | undefined;
function selfIncarnation(): Promise<Incarnation> {
  self ??= (async () => ({
    start: await startTime('self'),
    boot: known((await readSmall('/proc/sys/kernel/random/boot_id'))?.trim()),
    pidNs: known(await readlink('/proc/self/ns/pid').catch(() => undefined)),
  }))();
  return self;
}

/** The holder's owner file, or undefined if it has not written it (yet) or it is not ours. */
async function readOwner(lockPath: string): Promise<Owner | undefined> {
  const file = path.join(lockPath, OWNER);
  try {
    const st = await lstat(file);
    if (!st.isFile() || st.size > 512) return undefined;
    // `<pid> <host>` alone is what stsx wrote before it recorded the incarnation.
    const match = /^(\d{1,10}) (\S{1,255})(?: (\S+) (\S+) (\S+))?\n$/.exec(await readFile(file, 'utf8'));
    return match ? { pid: Number(match[1]), host: match[2] ?? '', start: known(match[3]), boot: known(match[4]), pidNs: known(match[5]) } : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(lockPath: string, mtimeMs: number, staleMs: number, options: LockOptions): Promise<boolean> {
  const age = Date.now() - mtimeMs;
  if (age > (options.abandonMs ?? ABANDON_MS)) return true;
  const owner = await readOwner(lockPath);
  // Another host, or a holder killed before it wrote its pid: mtime is the file system's clock.
  if (!owner || owner.host !== hostname()) return age > staleMs;
  const me = await selfIncarnation();
  // Written before this machine last booted: no process of it is left.
  if (owner.boot && me.boot && owner.boot !== me.boot) return true;
  // Another pid namespace (another container with our host name): its pid means nothing here.
  if (owner.pidNs && me.pidNs && owner.pidNs !== me.pidNs) return age > staleMs;
  if (owner.pid === options.pid) {
    // Our own pid: this very process, unless an earlier process had it and started at another time.
    return owner.start !== undefined && me.start !== undefined && owner.start !== me.start;
  }
  if (!(options.isAlive ?? processAlive)(owner.pid)) return true;
  if (owner.start === undefined) return false;
  const now = await startTime(owner.pid);
  // A live process with that pid that started at another time is not the holder: the pid was reused.
  return now !== undefined && now !== owner.start;
}

async function hold(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const { ino } = await lstat(lockPath);
  const me = await selfIncarnation();
  // Our start time only describes options.pid if that is really us (tests pass other pids).
  const start = options.pid === process.pid ? me.start : undefined;
  const owner = `${options.pid} ${hostname()} ${start ?? '-'} ${me.boot ?? '-'} ${me.pidNs ?? '-'}\n`;
  await writeFile(path.join(lockPath, OWNER), owner, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
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
  // node:crypto only here: a cache hit never takes a lock (docs/benchmarks.md).
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
