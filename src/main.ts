// The only module that touches process, os and the real streams.
import { VERSION } from './version.ts';
import type { Deps } from './deps.ts';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
  // The one answer that needs no argument parser, no file system and no other module at all.
  process.stdout.write(`${VERSION}\n`);
} else {
  // A closed pipe (`stsx ... | head -1`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
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
