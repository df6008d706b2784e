// What completion offers, read from the commander program itself (its visible commands, options,
// choices), so the shell scripts of `stsx init` cannot drift from the flags stsx really takes.
// Which values an option's argument takes is decided here and only here.
import type { Command, Option } from 'commander';
import { FORMATS } from '../output/credentials/formats.ts';
import { REGIONS } from '../names/regions.ts';

/**
 * Values for an option's argument: fixed words, the profile names of the config files, a
 * `file://PATH` (files once `file://` is typed), or anything (the shell's own file completion).
 */
export type ValueSource = { kind: 'words'; words: readonly string[] } | { kind: 'profiles' } | { kind: 'file-url' } | { kind: 'any' };

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
  /** The first positional argument when it is not a fixed set: a profile name, or a `file://PATH`. */
  positional?: 'profiles' | 'file-url';
  /** After `--` comes a command line (exec): a command name, then its own arguments. */
  commandLine?: true;
}

export { SHELLS, type Shell } from './shells.ts';

const FORMAT_WORDS = FORMATS.flatMap((f) => [f.name, ...f.aliases]);

function valueOf(option: Option): ValueSource | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: 'words', words: option.argChoices };
  switch (option.long) {
    case '--profile':
      return { kind: 'profiles' };
    case '--policy':
      return { kind: 'file-url' };
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
    // Which positional argument takes what, by its name in cli.ts.
    const positional = arg?.name() === 'profile' ? 'profiles' : arg?.name() === 'message' ? 'file-url' : undefined;
    return {
      path, description: cmd.description(), options, subcommands,
      ...(arg?.argChoices ? { argument: arg.argChoices } : {}),
      ...(positional ? { positional } : {}),
      ...(arg?.name() === 'command' ? { commandLine: true } : {}),
    } as CommandSpec;
  };
  return walk(program, []);
}

/** Every command of the spec, the program first. */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

/** What candidates() asks of the machine: profile names, files under a path prefix, commands on PATH. */
export interface CompletionSources {
  profiles: () => readonly string[];
  /** Paths that begin with the prefix (directories ending in `/`). */
  files?: (prefix: string) => readonly string[];
  /** Command names on PATH that begin with the prefix. */
  commands?: (prefix: string) => readonly string[];
}

/**
 * What to offer for the word being typed (`words` are the words after `stsx`, the last one the
 * one being completed): the same rules the generated bash, zsh, fish and PowerShell scripts
 * follow, for nushell's completer (`stsx __complete words`) and the unit tests. An empty answer
 * leaves the word to the shell's own completion (files).
 */
export function candidates(spec: CommandSpec, words: readonly string[], sources: CompletionSources | (() => readonly string[])): string[] {
  const src: CompletionSources = typeof sources === 'function' ? { profiles: sources } : sources;
  let cmd = spec;
  const typed = words.slice(0, -1);
  let current = words.at(-1) ?? '';
  let pending: OptionSpec | undefined;
  let positionals = 0;
  for (const [i, word] of typed.entries()) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word === '--') {
      // A command line: its first word is a command, the rest are its own (the shell's files).
      if (!cmd.commandLine) return [];
      const rest = typed.length - i - 1;
      if (rest > 0) return [];
      return current.includes('/') ? [...(src.files?.(current) ?? [])] : [...(src.commands?.(current) ?? [])];
    }
    if (word.startsWith('-')) {
      pending = cmd.options.find((o) => o.flags.includes(word) && o.value);
      continue;
    }
    const sub = cmd.subcommands.find((s) => s.path.at(-1) === word);
    if (sub) cmd = sub;
    else positionals += 1;
  }
  // `--profile=ad`: the value of --profile, each candidate with `--profile=` before it.
  let before = '';
  const eq = current.startsWith('--') ? current.indexOf('=') : -1;
  if (!pending && eq > 0) {
    pending = cmd.options.find((o) => o.flags.includes(current.slice(0, eq)) && o.value);
    if (!pending) return [];
    before = current.slice(0, eq + 1);
    current = current.slice(eq + 1);
  }
  const fileUrl = (): readonly string[] => (current.startsWith('file://') ? (src.files?.(current.slice('file://'.length)) ?? []).map((f) => `file://${f}`) : []);
  let offer: readonly string[];
  if (pending?.value) {
    const v = pending.value;
    offer = v.kind === 'words' ? v.words : v.kind === 'profiles' ? src.profiles() : v.kind === 'file-url' ? fileUrl() : [];
  } else if (current.startsWith('-')) {
    offer = cmd.options.flatMap((o) => o.flags.filter((f) => f.startsWith('--')));
  } else {
    offer = [...cmd.subcommands.map((s) => s.path.at(-1) ?? ''), ...(cmd.argument ?? [])];
    if (positionals === 0 && cmd.positional === 'profiles') offer = [...offer, ...src.profiles()];
    if (positionals === 0 && cmd.positional === 'file-url') offer = [...offer, ...fileUrl()];
  }
  return offer.filter((w) => w.startsWith(current)).map((w) => before + w);
}
