// cmd.exe: `set "NAME=value"` lines, meant for
//   for /f "delims=" %i in ('stsx ... --format cmd') do @%i
// and equally safe when pasted at the prompt or saved as a .cmd/.bat file and run.
import { joinLines, refuseUnsafe, SHELL_RULES, type CharRule } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

/**
 * What `set "NAME=value"` cannot carry in all three of those uses. cmd has no escape that works
 * in all of them, so these are refused rather than escaped:
 *
 * - `"` ends the quoted region, after which `& | < > ^` are live again: command injection when
 *   pasted or run from a file. (`set` itself keeps text up to the *last* quote, but the line
 *   parser has already split the command at the `&` by then.)
 * - `%` starts a variable expansion (`%PATH%`) at the prompt and in files; in a file a single
 *   `%` is dropped. Inside `for /f ... do %i` it would be safe, but that is only one of the uses.
 * - `!` starts a delayed expansion (`!x!`) whenever delayed expansion is on (`cmd /v:on`,
 *   `setlocal EnableDelayedExpansion`, or the registry default), and then `^` is also eaten.
 * - Characters outside printable ASCII: cmd reads a program's output, and `for /f` reads it, in
 *   the console code page (OEM 437/850... unless `chcp 65001`), so UTF-8 bytes arrive mangled.
 *   Control characters (other than tab, which is literal inside quotes) are never credentials.
 *
 * Safe inside the quotes: `& | < > ^ ( ) ; , =` and spaces (leading and trailing ones too), as
 * the quote keeps the parser from treating them specially and no `!` means no caret removal.
 */
const CMD_RULES: readonly CharRule[] = [
  ...SHELL_RULES,
  { pattern: /"/, what: 'a double quote (")' },
  { pattern: /%/, what: 'a percent sign (%)' },
  { pattern: /!/, what: 'an exclamation mark (!)' },
  { pattern: /[^\t\x20-\x7e]/, what: 'a character outside printable ASCII' },
];

export function renderCmd(list: readonly EnvAssignment[]): string {
  refuseUnsafe(list, 'cmd', CMD_RULES, 'use --format powershell, or --format json (credential_process)');
  // `set "NAME="` deletes the variable and is silent when it is not set. Windows has no empty
  // variables, so an empty value also deletes; the AWS SDKs treat empty and absent alike.
  // LF line ends: `for /f` splits on LF (and drops a CR before it), the prompt takes either,
  // and only labels/goto in a .bat file care, which these lines never have.
  return joinLines(list.map(({ name, value }) => `set "${name}=${value ?? ''}"`));
}
