// The only module that touches process, os and the real streams.
import { VERSION } from './version.ts';
import { route } from './route.ts';
import type { BrowserOpened, StartedProcess } from './deps.ts';
import { processDeps } from './process-deps.ts';

const argv = process.argv.slice(2);
// A failed write to stdout (full disk, closed pipe or descriptor) also arrives as an 'error'
// event, which would crash with a stack trace if nobody listened. runCli learns of it from the
// write callbacks and reports it (exit 74); one that surfaces only after it returned (or after
// --version) is reported here. stderr has nowhere left to report its own failure: ignore it,
// and keep the exit code.
// Set up only once the quick answers and the cache hit have had their turn: they write to the
// descriptors and never make process.stdout (quick-main.ts, hit-main.ts).
let finished = false;
function watchStreams(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (finished) void reportLateOutputError(error);
  });
  process.stderr.on('error', () => undefined);
}
// Which entry answers argv is decided once, in route.ts (docs/how-stsx-runs.md).
const chosen = route(argv);
if (chosen.path === 'version') {
  // The one answer that needs no argument parser, no file system and no other module at all.
  watchStreams();
  process.stdout.write(`${VERSION}\n`);
} else {
  // The quick commands are answered without the argument parser, and the process ends there
  // (quick-main.ts; the launcher goes there directly).
  if (chosen.path === 'quick') await (await import('./quick-main.ts')).runQuick(argv);
  // A cache hit of `stsx assume` with plain flags likewise (hit-main.ts, which the launcher loads
  // as its own bundle); anything else falls through to cli.ts.
  if (chosen.path === 'assume') await (await import('./hit-main.ts')).runCachedAssume(argv);
  watchStreams();
  // Node's and the SDK's process warnings (process.emitWarning) never reach the user raw: only
  // --debug shows them, as stsx lines.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (argv.includes('--debug')) process.stderr.write(`stsx: debug: node warning: ${warning.name}: ${warning.message.replace(/\s+/g, ' ')}\n`);
  });
  const deps = await processDeps({ startProcess, openBrowser, runChild });
  const { runCli } = await import('./cli.ts');
  process.exitCode = await runCli(argv, deps);
  // The answer is printed: end now. Whatever is still pending (a getaddrinfo() on libuv's thread
  // pool that cannot be cancelled, a stalled socket of an abandoned attempt) must not keep the
  // process, and an `eval "$(stsx ...)"`, waiting for its own timeouts.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
finished = true;

async function reportLateOutputError(error: Error): Promise<void> {
  const [{ outputError }, { formatError }] = await Promise.all([import('./output/write-output.ts'), import('./errors.ts')]);
  if (process.exitCode === undefined || process.exitCode === 0) {
    const failure = outputError(error);
    process.stderr.write(`${formatError(failure)}\n`);
    process.exitCode = failure.exitCode;
  }
}

/** A shell command in its own process group (so a kill reaches what it started), stdin closed. */
async function startProcess(commandLine: string, env: Record<string, string>): Promise<StartedProcess> {
  const { spawn } = (await import('node:child_process')).default;
  const windows = process.platform === 'win32';
  const child = spawn(commandLine, { shell: true, env, stdio: ['ignore', 'pipe', 'pipe'], detached: !windows, windowsHide: true });
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
 * The platform's opener with the URL as its one argument, no shell: macOS `open`, Windows
 * `rundll32 url.dll,FileProtocolHandler` (what `start` does, without cmd.exe re-parsing the `&`
 * in the URL), elsewhere `xdg-open`. Waits up to 5 s for the opener to finish (xdg-open hands the
 * URL over and exits); one still running then is left to itself.
 */
async function openBrowser(url: string): Promise<BrowserOpened> {
  const { spawn } = (await import('node:child_process')).default;
  const [opener, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['rundll32', 'url.dll,FileProtocolHandler', url] : ['xdg-open', url];
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
async function runChild(file: string, args: readonly string[], env: Record<string, string>): Promise<{ status: number; signal?: string | undefined }> {
  const [{ spawn }, { default: os }] = await Promise.all([import('node:child_process').then((m) => m.default), import('node:os')]);
  let plan = { file, args: [...args], verbatim: false };
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
  }
  const child = spawn(plan.file, plan.args, { stdio: 'inherit', env, windowsVerbatimArguments: plan.verbatim });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (signal: NodeJS.Signals): void => {
    // Ctrl-C (and a hang-up) on our terminal signals its whole foreground process group, the child
    // included: a second SIGINT from us would read as "interrupt twice" (Terraform then aborts
    // at once). Only a signal that reached stsx alone is passed on.
    if ((signal === 'SIGINT' || signal === 'SIGHUP') && inTerminalForeground()) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        if (code !== null) resolve({ status: code });
        else resolve({ status: 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0), signal: signal ?? undefined });
      });
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
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
