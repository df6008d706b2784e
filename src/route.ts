// Which entry answers a command line: the one decision of the fast paths (docs/how-stsx-runs.md).
//   version   `stsx --version`: printed by main.ts before anything else loads
//   quick     what a shell asks all the time, answered by the one-file bundle dist/quick.js
//             (src/quick-main.ts) without the argument parser: `status [--prompt]` (every
//             prompt), `__complete profiles` (every TAB after --profile), a plain `profiles
//             [--output text|json]`
//   assume    `stsx assume ...`: first the early cache hit (src/early-cache-hit.ts), which takes
//             only the flags src/flags.ts marks `early` and falls through to the CLI otherwise;
//             the launcher tries it from the one-file dist/hit.js (src/hit-main.ts), and then
//             the CLI's bundle routes `assume` to the CLI at once
//   plain     `stsx whoami ...` and an `assume` the cache did not answer: their plain forms (only
//             the flags src/flags.ts marks `early`, src/early-flags.ts) run from the one-file
//             dist/sts.js (src/sts-main.ts, src/early-sts.ts) without the argument parser and the
//             CLI's graph of chunks; any other form falls through to the CLI
//   cli       everything else: commander (src/cli.ts)
// Any other form of a quick command (--debug, --help, a bad flag) goes through the CLI, which gives
// the same answers. No imports: dist/quick.js and bin/stsx.js's choice of bundle depend on it.

/** The first words whose command line may be a quick one; bin/stsx.js loads dist/quick.js only for these. */
export const QUICK_COMMANDS: readonly string[] = ['status', '__complete', 'profiles'];

export type QuickCommand =
  | { readonly command: 'status'; readonly prompt: boolean }
  | { readonly command: 'complete-profiles' }
  | { readonly command: 'profiles'; readonly output: 'text' | 'json' };

/** The first words dist/sts.js may answer; bin/stsx.js loads it only for these. */
export const PLAIN_STS_COMMANDS = ['whoami', 'assume'] as const;
export type PlainStsCommand = (typeof PLAIN_STS_COMMANDS)[number];

export type Route =
  | { readonly path: 'version' }
  | { readonly path: 'quick'; readonly quick: QuickCommand }
  | { readonly path: 'assume'; readonly args: readonly string[] }
  | { readonly path: 'plain'; readonly command: PlainStsCommand; readonly args: readonly string[] }
  | { readonly path: 'cli' };

/** The entry for argv (the words after `stsx`). */
export function route(argv: readonly string[]): Route {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) return { path: 'version' };
  const quick = quickCommand(argv);
  if (quick !== undefined) return { path: 'quick', quick };
  if (argv[0] === 'assume' && !tried(HIT_TRIED)) return { path: 'assume', args: argv.slice(1) };
  const plain = PLAIN_STS_COMMANDS.find((c) => c === argv[0]);
  if (plain !== undefined && !tried(PLAIN_TRIED)) return { path: 'plain', command: plain, args: argv.slice(1) };
  return { path: 'cli' };
}

// dist/hit.js (src/hit-main.ts), dist/sts.js (src/sts-main.ts) and dist/stsx.js are separate
// bundles of one process: a mark on the global object is what a later one sees of an earlier one.
const HIT_TRIED = Symbol.for('stsx.cache-hit-tried');
const PLAIN_TRIED = Symbol.for('stsx.plain-sts-tried');

/** dist/hit.js tried this process's cache hit and it was a miss: the next path answers, without trying again. */
export function markCacheHitTried(): void {
  (globalThis as Record<symbol, unknown>)[HIT_TRIED] = true;
}

/** dist/sts.js found the command line not plain: the CLI answers it. */
export function markPlainTried(): void {
  (globalThis as Record<symbol, unknown>)[PLAIN_TRIED] = true;
}

function tried(mark: symbol): boolean {
  return (globalThis as Record<symbol, unknown>)[mark] === true;
}

function quickCommand(argv: readonly string[]): QuickCommand | undefined {
  if (argv[0] === 'status' && argv.slice(1).every((a) => a === '--prompt')) return { command: 'status', prompt: argv.includes('--prompt') };
  if (argv.length === 2 && argv[0] === '__complete' && argv[1] === 'profiles') return { command: 'complete-profiles' };
  const output = argv[0] === 'profiles' ? listingOutput(argv.slice(1)) : undefined;
  return output === undefined ? undefined : { command: 'profiles', output };
}

/** `--output text|json` in the two spellings commander takes, or nothing: 'text'; else undefined (the CLI). */
function listingOutput(flags: readonly string[]): 'text' | 'json' | undefined {
  if (flags.length === 0) return 'text';
  const value = flags.length === 2 && flags[0] === '--output' ? flags[1] : flags.length === 1 && flags[0]?.startsWith('--output=') ? flags[0].slice('--output='.length) : undefined;
  return value === 'text' || value === 'json' ? value : undefined;
}
