// How to consume a format's output: one line to show in help and hints. `command` is the stsx
// invocation as the user should type it (include `--format X` to pin a format).
import type { Format } from './types.ts';

export function usageLine(format: Format, command: string): string {
  switch (format) {
    case 'bash':
    case 'zsh':
    case 'sh':
      // The double quotes keep the output one word, so eval sees the lines with quoting intact.
      return `eval "$(${command})"`;
    case 'fish':
      return `${command} | source`;
    case 'powershell':
      // Each piped line is one complete statement, so line-by-line Invoke-Expression is enough.
      return `${command} | Invoke-Expression`;
    case 'cmd':
      // `@` stops cmd echoing each `set` (and so the secrets) to the console; `delims=` keeps
      // the whole line. In a .bat file the variable is written `%%i`.
      return `for /f "delims=" %i in ('${command}') do @%i`;
    case 'dotenv':
      return `${command} > .env`;
    case 'json':
      return `credential_process = ${command}`;
    case 'github':
      return `run: ${command}`;
  }
}
