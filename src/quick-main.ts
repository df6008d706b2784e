// The answers a shell asks for all the time (which command lines these are is decided in route.ts):
// `stsx status [--prompt]` (at every prompt), `stsx __complete profiles` (at every TAB after
// --profile), and the plain `stsx profiles [--output json]` (a listing of thousands of profiles,
// where the parser's load would be a third of the time). They need neither the argument parser nor the AWS SDK, so they are answered here, before
// either loads. With main.ts, the only module that touches `process`. The npm package's launcher
// (bin/stsx.js) imports this module's own bundle (dist/quick.js, one file: scripts/build.ts) for
// these subcommands instead of the CLI's; main.ts calls it too (the single executable, and
// dist/stsx.js run directly), so both entries give the same answers from the same functions as
// the commands behind cli.ts.
import type { StatusIo } from './commands/status.ts';
import type { Diagnostics } from './diagnostics.ts';
import type { ProfilesIo } from './commands/profiles.ts';
import { diagnosticLine } from './diagnostic-lines.ts';
import { readFile } from './files/fs-async.ts';
import { route, type QuickCommand } from './route.ts';

type Answer = { stdout: string; exitCode: number };

/** The function that answers a quick command (route.ts decides which command lines are quick). */
function answerer(quick: QuickCommand): () => Promise<Answer> {
  switch (quick.command) {
    case 'status':
      return () => status(quick.prompt);
    case 'complete-profiles':
      return profileNames;
    case 'profiles':
      return () => profiles(quick.output);
  }
}

/**
 * Answers argv when it is a quick command (output written, then the process ends with its exit
 * status); returns false, having done nothing, for any other command.
 */
export async function runQuick(argv: readonly string[]): Promise<false> {
  const chosen = route(argv);
  if (chosen.path !== 'quick') return false;
  const command = answerer(chosen.quick);
  try {
    const { stdout, exitCode } = await command();
    await writeStdout(stdout);
    process.exitCode = exitCode;
  } catch (error) {
    const { formatError, toStsxError } = await import('./errors.ts');
    const failure = toStsxError(error);
    stderrLines.add(`${formatError(failure)}\n`);
    process.exitCode = failure.exitCode;
  }
  await stderrLines.flush();
  // The answer is out: end now, as main.ts ends the CLI. Left to end by itself, Node would tear
  // down the heap first, which after a listing of 5,000 profiles costs as much as a tenth of it.
  process.exit();
}

// The home directory is looked up only when it is used: a prompt in a shell without credentials
// reads nothing, and node:os is not loaded for it.
const io: StatusIo & ProfilesIo = {
  env: process.env,
  get homedir() {
    return process.getBuiltinModule('node:os').homedir();
  },
  platform: process.platform,
  now: () => new Date(),
  readFile,
};

async function status(prompt: boolean): Promise<Answer> {
  const { runStatus } = await import('./commands/status.ts');
  return runStatus(io, { prompt });
}

async function profileNames(): Promise<Answer> {
  const { profileNames: names, completionLines } = await import('./completion/profile-names.ts');
  return { stdout: completionLines(await names(io.env, io.homedir, readFile)), exitCode: 0 };
}

async function profiles(output: string): Promise<Answer> {
  const { profilesListing } = await import('./commands/profiles.ts');
  return { stdout: await profilesListing(io, stderrLines, { output }), exitCode: 0 };
}

/**
 * Warnings and notes of a quick answer, written once it is done: process.stderr (a stream, and
 * node:tty on a terminal) is set up only when there is something to say. The lines are worded by
 * diagnostic-lines.ts, as on the normal path, without colour (chalk is not in this bundle).
 */
const stderrLines = new (class implements Pick<Diagnostics, 'warn' | 'note' | 'debug'> {
  readonly #lines: string[] = [];
  warn(text: string): void {
    this.add(diagnosticLine('warn', text));
  }
  note(text: string): void {
    this.add(diagnosticLine('note', text));
  }
  debug(): void {
    // the quick forms never have --debug (cli.ts answers those)
  }
  add(line: string): void {
    this.#lines.push(line);
  }
  /** Writes the lines, resolved once they are out (a pipe on Windows is written asynchronously). */
  flush(): Promise<void> {
    if (this.#lines.length === 0) return Promise.resolve();
    // process.stderr is made only now: a prompt or a TAB with nothing to say never sets it up.
    process.stderr.on('error', () => undefined);
    return new Promise((resolve) => process.stderr.write(this.#lines.splice(0).join(''), () => resolve()));
  }
})();

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
