// fish: `set -gx` / `set -e` lines, meant for `stsx ... | source`.
import { joinLines, refuseUnsafe, SHELL_RULES } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

/**
 * Inside fish single quotes the only escapes are `\\` and `\'`; every other character,
 * `$`, `(`, `*`, `~` and a lone backslash before other characters included, is literal.
 * Escaping every backslash keeps a trailing backslash from swallowing the closing quote.
 */
export function quoteFish(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function unsetLine(name: string): string {
  // `-g`: inherited environment variables live in the global scope. Without a scope, fish erases
  // the innermost one, which for a universal variable (`set -Ux`) would delete it from every
  // session on the machine. A universal exported variable cannot be hidden from child processes
  // without doing that, so say so on stderr instead. `set -e` of a missing variable prints
  // nothing in fish 3 but returns 4; the trailing `true` keeps `| source; and ...` working.
  return `set -e -g ${name} 2>/dev/null; set -q -U ${name}; and echo 'stsx: universal variable ${name} is still set; remove it with: set -e -U ${name}' >&2; true`;
}

export function renderFish(list: readonly EnvAssignment[]): string {
  refuseUnsafe(list, 'fish', SHELL_RULES, 'use --format json (credential_process) for such values');
  // `set -gx NAME '-e'` is safe: fish stops reading options at the variable name.
  return joinLines(list.map(({ name, value }) => (value === null ? unsetLine(name) : `set -gx ${name} ${quoteFish(value)}`)));
}
