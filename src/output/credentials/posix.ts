// bash, zsh and sh (dash): one `export` or `unset` per line, meant for `eval "$(stsx ...)"`.
import { joinLines, refuseUnsafe, SHELL_RULES } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

/**
 * POSIX single quotes make every byte literal except `'` itself, which cannot appear inside
 * them at all; `'\''` closes the quote, adds an escaped quote and reopens. That is the whole
 * grammar, identical in bash, zsh, dash, ksh and busybox sh, so one renderer serves them all.
 */
function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderPosix(list: readonly EnvAssignment[], format: string): string {
  // Single quotes could carry a newline, but many users paste or grep these lines: refuse instead.
  refuseUnsafe(list, format, SHELL_RULES, 'use --format json (credential_process) for such values');
  // `unset` of a variable that is not set succeeds silently in every POSIX shell. Every line
  // ends with `;` so that the unquoted `eval $(stsx ...)`, whose word splitting joins all lines
  // into one, still runs one statement per line instead of passing `unset` to `export`.
  return joinLines(list.map(({ name, value }) => (value === null ? `unset ${name};` : `export ${name}=${quotePosix(value)};`)));
}
