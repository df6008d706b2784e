// The only module that touches process, os and the real streams.
import { VERSION } from './version.ts';
import type { Deps, StartedProcess } from './deps.ts';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one answer that needs no argument parser, no file system and no other module at all.
  process.stdout.write(`${VERSION}\n`);
} else {
  // A closed pipe (`stsx ... | head -1`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  // Node's and the SDK's process warnings (process.emitWarning) never reach the user raw: only
  // --debug shows them, as stsx lines.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (argv.includes('--debug')) process.stderr.write(`stsx: debug: node warning: ${warning.name}: ${warning.message.replace(/\s+/g, ' ')}\n`);
  });
  const [{ runCli }, deps] = await Promise.all([import('./cli.ts'), processDeps()]);
  process.exitCode = await runCli(argv, deps);
}

async function processDeps(): Promise<Deps> {
  // Default exports: the bundle turns built-ins into CommonJS shims (scripts/build.ts), whose
  // dynamic import has no named exports.
  const [{ default: fs }, { default: os }] = await Promise.all([import('node:fs/promises'), import('node:os')]);
  return {
    env: process.env,
    homedir: os.homedir(),
    platform: process.platform,
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin sets up a stream (and readline internals on a terminal);
    // most commands never read it.
    get stdin() {
      return process.stdin;
    },
    readFile: (file) => fs.readFile(file, 'utf8'),
    appendFile: (file, text) => fs.appendFile(file, text, { encoding: 'utf8', mode: 0o600 }),
    now: () => new Date(),
    startProcess,
    username: () => {
      try {
        return os.userInfo().username;
      } catch {
        return process.env.USER ?? process.env.USERNAME ?? 'user';
      }
    },
  };
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
