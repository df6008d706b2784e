// The two answers a shell asks for all the time: `stsx status [--prompt]` (at every prompt) and
// `stsx __complete profiles` (at every TAB after --profile). They need neither the argument
// parser nor the AWS SDK, so they are answered here, before either loads. With main.ts, the only
// module that touches `process`. The npm package's launcher (bin/stsx.js) imports this module's
// own bundle (dist/quick.js, one file: scripts/build.ts) for these subcommands instead of the
// CLI's; main.ts calls it too (the single executable, and dist/stsx.js run directly), so both
// entries give the same answers from the same functions as the commands behind cli.ts.
import type { StatusIo } from './commands/status.ts';

/** Which quick answer argv asks for, if any (anything else goes through cli.ts). */
function quickCommand(argv: readonly string[]): 'status' | 'profile-names' | undefined {
  if (argv[0] === 'status' && argv.slice(1).every((a) => a === '--prompt')) return 'status';
  if (argv.length === 2 && argv[0] === '__complete' && argv[1] === 'profiles') return 'profile-names';
  return undefined;
}

/**
 * Answers argv when it is a quick command (output written, process.exitCode set) and returns
 * true; returns false, having done nothing, for any other command.
 */
export async function runQuick(argv: readonly string[]): Promise<boolean> {
  const command = quickCommand(argv);
  if (command === undefined) return false;
  try {
    const { stdout, exitCode } = await (command === 'status' ? status(argv) : profileNames());
    await writeStdout(stdout);
    process.exitCode = exitCode;
  } catch (error) {
    process.stderr.on('error', () => undefined);
    const { formatError, toStsxError } = await import('./errors.ts');
    const failure = toStsxError(error);
    process.stderr.write(`${formatError(failure)}\n`);
    process.exitCode = failure.exitCode;
  }
  return true;
}

// The home directory is looked up only when it is used: a prompt in a shell without credentials
// reads nothing, and node:os is not loaded for it.
const io: StatusIo = {
  env: process.env,
  get homedir() {
    return process.getBuiltinModule('node:os').homedir();
  },
  platform: process.platform,
  now: () => new Date(),
};

async function status(argv: readonly string[]): Promise<{ stdout: string; exitCode: number }> {
  const { runStatus } = await import('./commands/status.ts');
  return runStatus(io, { prompt: argv.includes('--prompt') });
}

async function profileNames(): Promise<{ stdout: string; exitCode: number }> {
  const { profileNames: names, completionLines } = await import('./completion/profile-names.ts');
  // One synchronous read (node:fs is loaded with Node itself; fs/promises reads in chunks and
  // costs a module load), failing as the promise would.
  const fs = process.getBuiltinModule('node:fs');
  const readFile = (file: string): Promise<string> => new Promise((resolve) => resolve(fs.readFileSync(file, 'utf8')));
  return { stdout: completionLines(await names(io.env, io.homedir, readFile)), exitCode: 0 };
}

/**
 * Straight to descriptor 1: process.stdout, on a pipe (`$(stsx status --prompt)`), sets up a
 * socket and the stream modules, which cost more than the rest of a prompt. A failed write is the
 * OutputError of write-output.ts (exit 74), as on the normal path; a non-blocking descriptor that
 * is full (EAGAIN) hands the rest to process.stdout, which waits for it.
 */
async function writeStdout(text: string): Promise<void> {
  if (text === '') return;
  const fs = process.getBuiltinModule('node:fs');
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(1, bytes, written);
  } catch (error) {
    const { outputError } = await import('./output/write-output.ts');
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw outputError(error);
    // The rest as bytes: the descriptor may have taken part of a character.
    process.stdout.on('error', () => undefined);
    const rest = bytes.subarray(written);
    await new Promise<void>((resolve, reject) => process.stdout.write(rest, (e) => (e ? reject(outputError(process.stdout.errored ?? e)) : resolve())));
  }
}
