// The plain form of a command line, read without the argument parser: only the flags src/flags.ts
// marks `early`, each at most once, as `--flag value` or `--flag=value`, with a non-empty value that
// does not start with a dash (and is one of the flag's `choices`, if it has them), through the
// flag's own parser. Anything else (another flag, a word, --debug, --help) is not plain: the
// caller leaves the command line to cli.ts, which decides it, errors included. The early cache
// hit (early-cache-hit.ts) and the plain STS commands (early-sts.ts) read their flags here.
import { flagNames, type FlagDeclaration } from './flags.ts';

export type EarlyFlags = ReadonlyMap<string, { key: string; parse: FlagDeclaration['parse']; choices: FlagDeclaration['choices'] }>;

/** The early flags among `declarations`, by long name, under the key commander stores them at. */
export function earlyFlags(declarations: readonly FlagDeclaration[]): EarlyFlags {
  return new Map(
    declarations
      .filter((d) => d.early)
      .map((d) => {
        const { long, key } = flagNames(d);
        return [long, { key, parse: d.parse, choices: d.choices }] as const;
      }),
  );
}

/** The options `args` gives, as commander would hand them to the command, or undefined when `args` is not plain. */
export function plainOptions(args: readonly string[], flags: EarlyFlags): Map<string, unknown> | undefined {
  const given = new Map<string, unknown>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : args[(i += 1)];
    const declared = flags.get(flag);
    if (declared === undefined || given.has(declared.key) || value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (declared.choices && !declared.choices.includes(value)) return undefined;
    try {
      given.set(declared.key, declared.parse ? declared.parse(value, undefined) : value);
    } catch {
      // A value its parser refuses (an unknown format): commander says so, not this path.
      return undefined;
    }
  }
  return given;
}
