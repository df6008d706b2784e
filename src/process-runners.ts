// What starts other programs in a real run: a credential_process or MFA helper, the browser, and
// `stsx exec`'s command. main.ts (the CLI) and dist/sts.js (src/sts-main.ts, the plain STS
// commands) hand the same functions to processDeps.
import type { BrowserOpened, Deps, StartedProcess } from './deps.ts';

export const PROCESS_RUNNERS: Pick<Deps, 'startProcess' | 'openBrowser' | 'runChild'> = { startProcess, openBrowser, runChild };

/**
 * A shell command line, or an argv with no shell, in its own process group (so a kill reaches
 * what it started), stdin closed.
 */
async function startProcess(command: string | readonly string[], env: Record<string, string>): Promise<StartedProcess> {
  const { spawn } = (await import('node:child_process')).default;
  const windows = process.platform === 'win32';
  const options = { env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], detached: !windows, windowsHide: true };
  const child = typeof command === 'string' ? spawn(command, { ...options, shell: true }) : spawn(command[0] ?? '', command.slice(1), { ...options, shell: false });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    // 'close', not 'exit': all of stdout has been read by then.
    onExit: (listener) => child.on('close', listener),
    onError: (listener) => child.on('error', listener),
    kill: () => {
      try {
        if (!windows && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
    },
  };
}

/**
 * The platform's opener with a private page that forwards to the URL (console/browser-handoff.ts) as its one argument, no shell: macOS `open`, Windows
 * `rundll32 url.dll,FileProtocolHandler` (what `start` does, without cmd.exe re-parsing the `&`
 * in the URL), elsewhere `xdg-open`. Waits up to 5 s for the opener to finish (xdg-open hands the
 * URL over and exits); one still running then is left to itself.
 */
/**
 * `$BROWSER`, as xdg-open and Python's webbrowser read it: a `:`-separated list of commands, the
 * first one used; `%s` in it stands for the URL, else the URL is its last argument. Split on
 * spaces and started without a shell, so nothing in it or in the URL is shell text.
 */
function browserCommand(value: string | undefined, url: string): string[] | undefined {
  const first = value?.split(':').find((c) => c.trim() !== '');
  if (first === undefined) return undefined;
  const words = first.trim().split(/\s+/);
  return words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url];
}

async function openBrowser(url: string): Promise<BrowserOpened> {
  const [{ spawn }, handoff] = await Promise.all([import('node:child_process').then((m) => m.default), import('./console/browser-handoff.ts')]);
  // The opener gets a private page that forwards to the URL, never the URL (a console sign-in
  // token, an authorization request) itself in its argv.
  const { fileUrl, dir } = handoff.writeHandoff(url);
  handoff.scheduleRemoval(dir);
  const [opener, ...args] = browserCommand(process.env.BROWSER, fileUrl) ?? (process.platform === 'darwin' ? ['open', fileUrl] : process.platform === 'win32' ? ['rundll32', 'url.dll,FileProtocolHandler', fileUrl] : ['xdg-open', fileUrl]);
  const name = opener ?? 'xdg-open';
  return new Promise((resolve) => {
    const child = spawn(name, args, { stdio: 'ignore', detached: process.platform !== 'win32', windowsHide: true, shell: false });
    const timer = setTimeout(() => {
      child.unref();
      resolve({ ok: true, opener: name });
    }, 5000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, opener: name, reason: error.code === 'ENOENT' ? 'missing' : 'failed', detail: error.code ?? error.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true, opener: name } : { ok: false, opener: name, reason: 'failed', detail: signal ? `killed by ${signal}` : `exit status ${String(code)}` });
    });
  });
}

/** `stsx exec`: the command with our stdio, signals forwarded, its status as a shell reports it. */
async function runChild(file: string, args: readonly string[], env: Record<string, string>, hooks?: { debug(line: string): void }): Promise<{ status: number; signal?: string | undefined }> {
  const [{ spawn }, { default: os }] = await Promise.all([import('node:child_process').then((m) => m.default), import('node:os')]);
  let plan = { file, args: [...args], verbatim: false };
  const setprivFound = new Map<string, string | null>();
  if (process.platform === 'win32') {
    const [{ resolveWindowsCommand, windowsSpawnPlan }, { default: fsSync }] = await Promise.all([import('./exec/windows.ts'), import('node:fs')]);
    const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
    const extKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATHEXT');
    const isFile = (candidate: string): boolean => {
      try {
        return fsSync.statSync(candidate).isFile();
      } catch {
        return false;
      }
    };
    const found = resolveWindowsCommand(file, { path: pathKey ? env[pathKey] : undefined, pathext: extKey ? env[extKey] : undefined, cwd: process.cwd(), isFile });
    if (found === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
    plan = windowsSpawnPlan(found, args, env.ComSpec ?? env.COMSPEC);
  } else if (process.platform === 'linux') {
    plan = await withParentDeathSignal(plan, env, setprivFound, hooks);
  }
  const child = spawn(plan.file, plan.args, { stdio: 'inherit', env, windowsVerbatimArguments: plan.verbatim });
  // Listened to at once: the command may fail to start, or end, before the witness is up.
  const ended = new Promise<{ status: number; signal?: string | undefined }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== null) resolve({ status: code });
      else resolve({ status: 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0), signal: signal ?? undefined });
    });
  });
  let witness: Awaited<ReturnType<typeof groupWitness>>;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
  const forward = (signal: NodeJS.Signals): void => {
    // Ctrl-C, Ctrl-\ and a hang-up on our terminal signal its whole foreground process group, the
    // child included: a second SIGINT from us would read as "interrupt twice" (Terraform then
    // aborts at once). Only a signal that reached stsx alone is passed on; without a witness to
    // tell them apart, one that may be the terminal's is not.
    if (signal !== 'SIGTERM' && inTerminalForeground() && (signal === 'SIGQUIT' || witness?.sawGroupSignal(signal) !== false)) return;
    try {
      // SIGQUIT ends stsx as SIGTERM does (caught here, so no core file holds the credentials), and
      // is passed on as SIGTERM: the command holds them too.
      child.kill(signal === 'SIGQUIT' ? 'SIGTERM' : signal);
    } catch {
      // Already gone.
    }
  };
  for (const signal of signals) process.on(signal, forward);
  try {
    if (process.platform === 'linux' && inTerminalForeground()) {
      // A start failure is reported by `ended` below, not as an unhandled rejection meanwhile.
      ended.catch(() => undefined);
      witness = await groupWitness(env, setprivFound);
    }
    return await ended;
  } finally {
    for (const signal of signals) process.off(signal, forward);
    witness?.stop();
  }
}

/**
 * Linux, in a terminal's foreground: a `sleep` in our process group (through setpriv, so it dies
 * with us), whose only purpose is to be signalled with the group. A SIGINT or SIGHUP that reached
 * it too (it is dying, dead, or has the signal pending) was the terminal's, which the command got
 * as well; one it did not get was sent to stsx alone (`kill -INT <pid>`) and is passed on. After
 * each group signal a new witness takes its place. Undefined when setpriv is missing.
 */
async function groupWitness(env: Record<string, string>, setprivFound: Map<string, string | null>): Promise<{ sawGroupSignal(signal: NodeJS.Signals): boolean | undefined; stop(): void } | undefined> {
  const [{ spawn }, { default: os }] = await Promise.all([import('node:child_process').then((m) => m.default), import('node:os')]);
  const plan = await withParentDeathSignal({ file: 'sleep', args: ['2147483647'], verbatim: false }, { PATH: env.PATH ?? '/usr/bin:/bin' }, setprivFound).catch(() => undefined);
  if (!plan || plan.file === 'sleep') return undefined;
  let current: ReturnType<typeof spawn> | undefined;
  let stopped = false;
  const start = (): void => {
    if (stopped) return;
    const witness = spawn(plan.file, plan.args, { stdio: 'ignore', env: { PATH: env.PATH ?? '/usr/bin:/bin' } });
    witness.on('error', () => undefined);
    witness.once('exit', () => {
      if (current === witness) current = undefined;
    });
    witness.unref();
    current = witness;
  };
  const read = (file: string): string | undefined => {
    try {
      return process.getBuiltinModule('node:fs').readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  start();
  return {
    sawGroupSignal: (signal) => {
      const pid = current?.pid;
      // Already gone (and reaped): it died of a signal we cannot see; assume the terminal's.
      if (pid === undefined) {
        start();
        return undefined;
      }
      const stat = read(`/proc/${pid}/stat`);
      const status = read(`/proc/${pid}/status`);
      const bit = 1n << BigInt((os.constants.signals[signal] ?? 1) - 1);
      const pending = (name: string): boolean => (BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status ?? '')?.[1] ?? '0'}`) & bit) !== 0n;
      const dying = stat === undefined || /^\d+ \(.*\) [ZX]/s.test(stat) || pending('ShdPnd') || pending('SigPnd');
      if (dying) start();
      return dying;
    },
    stop: () => {
      stopped = true;
      current?.kill('SIGKILL');
    },
  };
}

/**
 * Linux: the command through util-linux `setpriv --pdeathsig SIGTERM`, which sets the parent-death
 * signal (prctl, which Node cannot call) and execs it, so the command ends when stsx ends, even by
 * SIGKILL: a command left running would keep asking a freed port for credentials. SIGTERM, not
 * SIGKILL, so that a Terraform can still release its state lock. Without a setpriv that knows
 * --pdeathsig (not util-linux, or before 2.33), the command runs as it is and --debug says so. The
 * command is looked up first, so that a missing one is still stsx's "command not found".
 */
async function withParentDeathSignal(plan: { file: string; args: string[]; verbatim: boolean }, env: Record<string, string>, setprivFound: Map<string, string | null>, hooks?: { debug(line: string): void }): Promise<{ file: string; args: string[]; verbatim: boolean }> {
  const [{ default: fsSync }, { default: path }, { spawnSync }] = await Promise.all([import('node:fs'), import('node:path'), import('node:child_process').then((m) => m.default)]);
  const dirs = (env.PATH ?? '').split(':').filter((d) => d !== '');
  // execvp's search: the first executable file; a match that is not executable is EACCES only when no other is.
  const lookup = (name: string): string | NodeJS.ErrnoException => {
    let denied = false;
    for (const candidate of name.includes('/') ? [name] : dirs.map((d) => path.join(d, name))) {
      try {
        if (!fsSync.statSync(candidate).isFile()) {
          denied = true;
          continue;
        }
        fsSync.accessSync(candidate, fsSync.constants.X_OK);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EACCES') denied = true;
      }
    }
    const code = denied ? 'EACCES' : 'ENOENT';
    return Object.assign(new Error(`spawn ${name} ${code}`), { code });
  };
  const command = lookup(plan.file);
  if (typeof command !== 'string') throw command;
  // Asked once per run (the command and the witness share the answer).
  const pathKey = env.PATH ?? '';
  let setpriv = setprivFound.get(pathKey);
  if (setpriv === undefined) {
    const found = lookup('setpriv');
    const help = typeof found === 'string' ? spawnSync(found, ['--help'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }) : undefined;
    setpriv = typeof found === 'string' && help?.stdout?.includes('--pdeathsig') === true ? found : null;
    setprivFound.set(pathKey, setpriv);
  }
  if (setpriv === null) {
    hooks?.debug(`no setpriv with --pdeathsig (util-linux 2.33 or later) on PATH: ${plan.file} would outlive a stsx killed by SIGKILL`);
    return plan;
  }
  return { file: setpriv, args: ['--pdeathsig', 'SIGTERM', '--', plan.file, ...plan.args], verbatim: false };
}

/** Linux: whether our process group is the foreground group of our controlling terminal (so the
 * terminal's SIGINT and SIGHUP reach the child as well as us). Elsewhere: unknown, so false. */
function inTerminalForeground(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = process.getBuiltinModule('node:fs').readFileSync('/proc/self/stat', 'utf8');
    // pid (comm) state ppid pgrp session tty_nr tpgid ...; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    const tpgid = Number(fields[5]);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}
