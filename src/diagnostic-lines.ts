// How a note, a warning or a --debug line reads on stderr: one place for both entries.
// diagnostics.ts colours the prefix on a terminal; quick-main.ts (no chalk in its one-file
// bundle) writes the same lines plain.
import { terminalText } from './text/terminal-text.ts';
import { redact } from './text/redact.ts';

const PREFIX = { note: 'stsx:', warn: 'stsx: warning:', debug: 'stsx: debug:' } as const;

export type LineKind = keyof typeof PREFIX;

/** The line, secrets redacted and escaped for the terminal, with its newline; `colour` styles the prefix. */
export function diagnosticLine(kind: LineKind, text: string, colour: (prefix: string) => string = (prefix) => prefix): string {
  return `${colour(PREFIX[kind])} ${terminalText(redact(text))}\n`;
}
