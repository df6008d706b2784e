// A cache hit of `stsx assume` answered before the argument parser: the parser
// (commander, which loads child_process and with it net, dgram and worker_threads) and every other
// command's modules are skipped. Only plain flags are taken (those src/flags.ts marks `early`, each at
// most once, with a non-empty value that does not start with a dash); anything else, --debug included, is
// left to cli.ts. The answer comes from the same runAssume, with the same options commander would
// give it (test/unit/early-cache-hit.test.ts compares them), and ctx.cacheOnly: a miss, an expired
// entry or a disabled cache throws NotCached before anything reaches stdout, and the normal path
// then runs from the start. Nothing is said on stderr before the hit is certain: the notes are
// held and dropped on a fall-through, so the normal path's output is never doubled.
import type { Deps, OutStream } from './deps.ts';
import type { AssumeOptions } from './commands/assume.ts';
import { contextFlags, type CommandContext } from './steps/command-context.ts';
import type { GlobalFlags } from './settings/resolve-settings.ts';
import { NotCached } from './issue/issue-cached.ts';
import { withFormat } from './output/credentials/formats.ts';
import { cacheFlags, deliveryFlags, GLOBAL_FLAGS, roleFlags } from './flags.ts';
import { earlyFlags, plainOptions } from './early-flags.ts';
import { createDiagnostics } from './diagnostics.ts';
import { formatError, toStsxError } from './errors.ts';
import { writeOutput } from './output/write-output.ts';
import { runAssume } from './commands/assume.ts';

/** The flags taken here: those of `stsx assume` that src/flags.ts marks `early`, from the same declarations cli.ts mounts. */
const EARLY = earlyFlags([...GLOBAL_FLAGS, ...roleFlags(''), ...cacheFlags(), ...deliveryFlags('')]);

/**
 * The options of `stsx assume ARGS` as cli.ts hands them to runAssume, or undefined when ARGS has
 * anything but the flags above, each at most once (the normal path then decides, errors included).
 */
export function plainAssumeOptions(args: readonly string[]): (AssumeOptions & GlobalFlags) | undefined {
  const given = plainOptions(args, EARLY);
  if (given === undefined) return undefined;
  const options: Record<string, unknown> = { cache: true, format: undefined, ...Object.fromEntries(given) };
  return withFormat(options) as AssumeOptions & GlobalFlags;
}

/** The exit code when `stsx assume ARGS` was answered from the cache; undefined: run the normal path. */
export async function answerCachedAssume(args: readonly string[], deps: Deps): Promise<number | undefined> {
  const options = plainAssumeOptions(args);
  if (options === undefined) return undefined;
  // stderr is held until the hit is certain, then passes through.
  let held: string[] | undefined = [];
  const stderr: OutStream = {
    write: (text: string, callback?: (error?: Error | null) => void) => {
      if (held === undefined) return deps.stderr.write(text, callback);
      held.push(text);
      callback?.();
      return true;
    },
    isTTY: deps.stderr.isTTY,
  };
  let answered = false;
  const onHit = (): void => {
    answered = true;
    for (const text of held ?? []) deps.stderr.write(text);
    held = undefined;
  };
  // Object.create: deps.stdin is a getter that must not run unless a command reads stdin.
  const ctxDeps = Object.assign(Object.create(deps) as Deps, { stderr });
  const ctx: CommandContext = {
    deps: ctxDeps,
    diag: await createDiagnostics(stderr, deps.env, false),
    flags: contextFlags(options),
    cacheOnly: { onHit },
  };
  try {
    await runAssume(ctx, options);
    await writeOutput(deps.stdout, '');
    return 0;
  } catch (error) {
    if (!answered || error instanceof NotCached) return undefined;
    // As cli.ts reports it (without --debug, which never comes here).
    const failure = toStsxError(error);
    deps.stderr.write(`${formatError(failure)}\n`);
    return failure.exitCode;
  }
}
