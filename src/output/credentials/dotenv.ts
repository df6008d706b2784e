// dotenv: `NAME=value` lines for an `.env` file.
//
// Consumers disagree on everything but the simplest lines:
// - `docker run --env-file` takes the text after `=` literally, quotes included;
// - motdotla/dotenv and `node --env-file` strip quotes; in double quotes they turn `\n` into a
//   newline and leave other backslashes; single quotes are fully literal;
// - python-dotenv expands `${VAR}` in every value, single-quoted ones included (1.2), and decodes
//   `\\` and `\'` even in single quotes; Ruby dotenv and compose expand `$VAR` too;
// - `set -a; . file` in a POSIX shell reads shell syntax, and zsh then expands a word-initial
//   `=cmd` (`=ls` becomes /usr/bin/ls), and in an assignment also `=cmd` after a `:`;
// - unquoted values lose a ` #comment` tail and surrounding spaces in most of them.
//
// So: values made only of characters no consumer treats specially (every real key, secret,
// token, region and expiration is), and with no `=` where zsh would expand it, are written bare,
// which all of them, docker included, read the same. Anything else is single-quoted, the one form
// the dotenv libraries and `set -a; . file` read literally; docker would keep those quotes, which
// is the documented limit. What a single-quoted value still cannot carry without some consumer
// changing it (`'`, `\` and `${`) is refused.
import { refuseUnsafe, SHELL_RULES, joinLines, type CharRule } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

const BARE = /^[A-Za-z0-9_./:+=@,-]*$/;
/** zsh's `=cmd` expansion: at the start of the value, or after a `:` in an assignment. */
const ZSH_EQUALS = /(^|:)=/;

const DOTENV_RULES: readonly CharRule[] = [
  ...SHELL_RULES,
  { pattern: /'/, what: "a single quote (')" },
  { pattern: /\\/, what: 'a backslash (\\)' },
  { pattern: /\$\{/, what: 'a "${" (python-dotenv expands it even in single quotes)' },
];

function quoteDotenv(value: string): string {
  return BARE.test(value) && !ZSH_EQUALS.test(value) ? value : `'${value}'`;
}

export function renderDotenv(list: readonly EnvAssignment[]): string {
  refuseUnsafe(list, 'dotenv', DOTENV_RULES, 'use --format json (credential_process) or a shell format for such values');
  // A .env file can only assign: variables to unset are left out (no dotenv syntax removes one).
  return joinLines(list.flatMap(({ name, value }) => (value === null ? [] : [`${name}=${quoteDotenv(value)}`])));
}
