// PowerShell (Windows PowerShell 5.1 and pwsh 7): one statement per line, meant for
// `stsx ... | Invoke-Expression`, which evaluates each piped line on its own.
import { joinLines, refuseUnsafe, SHELL_RULES } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

/**
 * A PowerShell expression whose value is exactly `value`, written in printable ASCII only.
 *
 * - In a single-quoted string nothing is special (`$`, backtick, `"` are literal) except the
 *   quote, written twice. PowerShell also takes U+2018, U+2019, U+201A and U+201B as single
 *   quotes, so they could end the string early.
 * - PowerShell decodes a native program's output with [Console]::OutputEncoding, which on
 *   Windows is still the OEM code page by default: UTF-8 bytes would arrive as mojibake.
 *
 * Both are avoided by writing every character outside printable ASCII (those quotes included)
 * as `[char]0xNNNN`, one UTF-16 code unit each, so a surrogate pair becomes two `[char]`s that
 * .NET joins back into the same string. `string + [char]` is a string, so the expression always
 * starts with a string literal (`''` when the value starts with such a character).
 */
function quotePowerShell(value: string): string {
  const parts: string[] = [];
  for (const run of value.match(/[\x20-\x7e]+|[^\x20-\x7e]/g) ?? []) {
    const code = run.charCodeAt(0);
    if (run.length === 1 && (code < 0x20 || code > 0x7e)) {
      if (parts.length === 0) parts.push("''");
      parts.push(`[char]0x${code.toString(16).toUpperCase().padStart(4, '0')}`);
    } else {
      parts.push(`'${run.replaceAll("'", "''")}'`);
    }
  }
  return parts.length === 0 ? "''" : parts.join(' + ');
}

export function renderPowerShell(list: readonly EnvAssignment[]): string {
  // `[char]` could carry a line break, but piped lines are evaluated one by one, and the rule
  // is the same in every shell format.
  refuseUnsafe(list, 'powershell', SHELL_RULES, 'use --format json (credential_process) for such values');
  return joinLines(
    list.map(({ name, value }) =>
      value === null
        ? // SilentlyContinue: removing a variable that is not there is not an error for us.
          `Remove-Item Env:${name} -ErrorAction SilentlyContinue`
        : // Assigning '' removes the variable on Windows (an empty variable does not exist
          // there); the AWS SDKs treat empty and absent alike.
          `$Env:${name} = ${quotePowerShell(value)}`,
    ),
  );
}
