// The plain forms of `stsx whoami` and of an `stsx assume` the cache did not answer, run without
// the argument parser: only the flags src/flags.ts marks `early` (src/early-flags.ts), the same
// run functions cli.ts calls, with the same options commander would give them
// (test/unit/early-sts.test.ts compares them), and errors reported in cli.ts's words. Whether a
// command line is plain is decided before anything is read or printed: any other form is left to
// cli.ts whole. src/sts-main.ts runs this from its own one-file bundle (dist/sts.js).
import type { Deps } from './deps.ts';
import type { PlainStsCommand } from './route.ts';
import type { GlobalFlags } from './settings/resolve-settings.ts';
import type { WhoamiOptions } from './commands/whoami.ts';
import type { AssumeOptions } from './commands/assume.ts';
import { GLOBAL_FLAGS, MFA_FLAGS, WHOAMI_FLAGS } from './flags.ts';
import { earlyFlags, plainOptions } from './early-flags.ts';
import { plainAssumeOptions } from './early-cache-hit.ts';
import { contextFlags, type CommandContext } from './steps/command-context.ts';
import { createDiagnostics } from './diagnostics.ts';
import { formatError, toStsxError } from './errors.ts';
import { writeOutput } from './output/write-output.ts';
import { rememberSecrets } from './text/redact.ts';
import { runWhoami } from './commands/whoami.ts';
import { runAssume } from './commands/assume.ts';

/** `stsx whoami`'s early flags, from the declarations cli.ts mounts on it. */
const WHOAMI_EARLY = earlyFlags([...GLOBAL_FLAGS, ...WHOAMI_FLAGS, ...MFA_FLAGS]);

export type PlainSts =
  | { readonly command: 'whoami'; readonly options: WhoamiOptions & GlobalFlags }
  | { readonly command: 'assume'; readonly options: AssumeOptions & GlobalFlags };

/** The command and its options when `stsx COMMAND ARGS` is plain; undefined: cli.ts answers. */
export function plainSts(command: PlainStsCommand, args: readonly string[]): PlainSts | undefined {
  if (command === 'assume') {
    const options = plainAssumeOptions(args);
    return options && { command, options };
  }
  // The profile as the first word (`stsx whoami prod`), as cli.ts takes it; given with --profile
  // too, cli.ts decides (the same profile twice is fine, two are an error).
  const word = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const given = plainOptions(word === undefined ? args : args.slice(1), WHOAMI_EARLY);
  if (given === undefined || (word !== undefined && given.has('profile'))) return undefined;
  if (word !== undefined) given.set('profile', word);
  return { command, options: Object.fromEntries(given) as WhoamiOptions & GlobalFlags };
}

/** Runs a plain command as cli.ts runs it; the exit code. */
export async function answerPlainSts(plain: PlainSts, deps: Deps): Promise<number> {
  // As runCli: the environment's secrets never appear on stderr.
  rememberSecrets(deps.env.AWS_SECRET_ACCESS_KEY, deps.env.AWS_SESSION_TOKEN, deps.env.AWS_SECURITY_TOKEN);
  const ctx: CommandContext = { deps, diag: await createDiagnostics(deps.stderr, deps.env, false), flags: contextFlags(plain.options) };
  try {
    if (plain.command === 'whoami') await runWhoami(ctx, plain.options);
    else await runAssume(ctx, plain.options);
    await writeOutput(deps.stdout, '');
    return 0;
  } catch (error) {
    // As cli.ts reports it (without --debug, which is never plain).
    const failure = toStsxError(error);
    deps.stderr.write(`${formatError(failure)}\n`);
    return failure.exitCode;
  }
}
