// The Deps of a real run (the process, its streams, files and clock), for main.ts and for the
// cache hit's own bundle (src/hit-main.ts), so both answer from the same functions. What starts
// other programs is passed in: the cache hit never does.
import type { Deps } from './deps.ts';

/**
 * `spawning`: what starts other programs. `streams`: where stdout and stderr go; by default the
 * process's, which are set up (stream modules, a socket on a pipe) only when this runs without them.
 */
export async function processDeps(spawning: Pick<Deps, 'startProcess' | 'openBrowser' | 'runChild'>, streams?: Pick<Deps, 'stdout' | 'stderr'>, handOver = false): Promise<Deps> {
  // Default exports: the bundle turns built-ins into CommonJS shims (scripts/build.ts), whose
  // dynamic import has no named exports.
  const [fs, { default: os }, { default: fsSync }, childProcess] = await Promise.all([
    import('./files/fs-async.ts'), import('node:os'), import('node:fs'),
    // macOS has no /proc: the parent process is found with `ps` (only when a format is guessed).
    process.platform === 'darwin' ? import('node:child_process').then((m) => m.default) : undefined,
  ]);
  return {
    env: process.env,
    homedir: os.homedir(),
    platform: process.platform,
    stdout: streams ? streams.stdout : process.stdout,
    stderr: streams ? streams.stderr : process.stderr,
    // A getter: touching process.stdin sets up a stream (and readline internals on a terminal);
    // most commands never read it.
    get stdin() {
      return process.stdin;
    },
    readFile: handedOver(fs.readFile, handOver),
    readFileHead: fs.readFileHead,
    appendFile: (file, text) => fs.appendFile(file, text, 0o600),
    now: () => new Date(),
    processStartedAt: new Date(Date.now() - process.uptime() * 1000),
    launcher: process.argv[1] && /stsx(\.js)?$/.test(process.argv[1]) && process.argv[1] !== process.execPath ? [process.execPath, process.argv[1]] : [process.execPath],
    ppid: process.ppid,
    pid: process.pid,
    processAlive: (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        // EPERM: it exists, as another user's.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    readProcFile: (file) => {
      try {
        return fsSync.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    listProcesses: () => {
      const r = childProcess?.spawnSync('ps', ['-A', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8', timeout: 2000, maxBuffer: 4 * 1024 * 1024 });
      return r?.status === 0 ? r.stdout : undefined;
    },
    ...spawning,
    dieOf: (signal) => {
      // Only signals whose default ends a process without a core file (which would hold the
      // credentials); SIGUSR1 would start Node's inspector instead.
      if (process.platform === 'win32' || !['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL', 'SIGALRM', 'SIGUSR2'].includes(signal)) return;
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    },
    // Loaded only when a prompt is really shown; it opens /dev/tty and watches signals.
    openTerminal: async () => (await import('./input/terminal.ts')).openTerminal(process),
    username: () => {
      try {
        return os.userInfo().username;
      } catch {
        return process.env.USER ?? process.env.USERNAME ?? 'user';
      }
    },
  };
}

/**
 * The files the cache hit's bundle read (dist/hit.js) are handed to the CLI's bundle when the hit
 * falls through, so one run reads each config file once, whichever bundle answers. One process,
 * two module graphs: the hand-over lives on globalThis, and each text is taken once (a later read
 * of the same file, a token file on a refresh, reads it anew).
 */
const HANDOFF = Symbol.for('stsx.files-read-by-the-cache-hit');

function handedOver(read: (file: string) => Promise<string>, record: boolean): (file: string) => Promise<string> {
  const store = globalThis as { [HANDOFF]?: Map<string, Promise<string>> };
  const texts = (store[HANDOFF] ??= new Map());
  return (file) => {
    const given = texts.get(file);
    if (given) {
      texts.delete(file);
      return given;
    }
    const text = read(file);
    if (record) texts.set(file, text);
    return text;
  };
}
