// What completion offers, read from the commander program itself (its visible commands, options,
// choices), so the shell scripts of `stsx init` cannot drift from the flags stsx really takes.
// Which values an option's argument takes is decided here and only here.
import type { Command, Option } from 'commander';
import { FORMATS } from '../output/credentials/formats.ts';
import { REGIONS } from '../names/regions.ts';

/** Values for an option's argument: fixed words, the profile names of the config files, or anything. */
export type ValueSource = { kind: 'words'; words: readonly string[] } | { kind: 'profiles' } | { kind: 'any' };

export interface OptionSpec {
  /** `--profile`, and `-v` style short flags too. */
  flags: readonly string[];
  description: string;
  /** undefined: a switch that takes no value. */
  value?: ValueSource;
}

export interface CommandSpec {
  /** Words after `stsx`: [] for the program, ['cache', 'list'] for a nested command. */
  path: readonly string[];
  description: string;
  options: readonly OptionSpec[];
  subcommands: readonly CommandSpec[];
  /** Words for the first positional argument, if it has a fixed set. */
  argument?: readonly string[];
}

export { SHELLS, type Shell } from './shells.ts';

const FORMAT_WORDS = FORMATS.flatMap((f) => [f.name, ...f.aliases]);

function valueOf(option: Option): ValueSource | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: 'words', words: option.argChoices };
  switch (option.long) {
    case '--profile':
      return { kind: 'profiles' };
    case '--region':
    case '--fallback-region':
      return { kind: 'words', words: REGIONS };
    case '--format':
    case '--shell':
      return { kind: 'words', words: FORMAT_WORDS };
    default:
      return { kind: 'any' };
  }
}

export function completionSpec(program: Command): CommandSpec {
  const help = program.createHelp();
  const walk = (cmd: Command, path: readonly string[]): CommandSpec => {
    const options: OptionSpec[] = help.visibleOptions(cmd).map((o) => {
      const value = valueOf(o);
      return { flags: [o.long, o.short].filter((f): f is string => !!f), description: o.description, ...(value ? { value } : {}) };
    });
    const subcommands = help.visibleCommands(cmd).filter((c) => c.name() !== 'help').map((c) => walk(c, [...path, c.name()]));
    const arg = cmd.registeredArguments[0];
    return { path, description: cmd.description(), options, subcommands, ...(arg?.argChoices ? { argument: arg.argChoices } : {}) };
  };
  return walk(program, []);
}

/** Every command of the spec, the program first. */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

/**
 * What to offer for the word being typed (`words` are the words after `stsx`, the last one the
 * one being completed): the same rules the generated bash, zsh, fish and PowerShell scripts
 * follow, for nushell's completer (`stsx __complete words`) and the unit tests.
 */
export function candidates(spec: CommandSpec, words: readonly string[], profiles: () => readonly string[]): string[] {
  let cmd = spec;
  const typed = words.slice(0, -1);
  const current = words.at(-1) ?? '';
  let pending: OptionSpec | undefined;
  for (const word of typed) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      pending = cmd.options.find((o) => o.flags.includes(word) && o.value);
      continue;
    }
    cmd = cmd.subcommands.find((s) => s.path.at(-1) === word) ?? cmd;
  }
  let offer: readonly string[];
  if (pending?.value) {
    offer = pending.value.kind === 'words' ? pending.value.words : pending.value.kind === 'profiles' ? profiles() : [];
  } else if (current.startsWith('-')) {
    offer = cmd.options.flatMap((o) => o.flags.filter((f) => f.startsWith('--')));
  } else {
    offer = [...cmd.subcommands.map((s) => s.path.at(-1) ?? ''), ...(cmd.argument ?? [])];
  }
  return offer.filter((w) => w.startsWith(current));
}
