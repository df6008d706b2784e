// Everything that is not the output the user asked for goes to stderr through here: notes,
// warnings, --debug lines, and the one-line summaries. Colour only on a terminal, never with
// NO_COLOR (no-color.org), and chalk is loaded only when colour is really used.
// Every line is escaped (terminal-text.ts): server or file text can neither forge a line nor send
// escape sequences; only the colour applied here (and via colour()) reaches the terminal.
import type { Env, OutStream } from './deps.ts';
import { terminalText } from './text/terminal-text.ts';
import { diagnosticLine } from './diagnostic-lines.ts';
import { redact } from './text/redact.ts';

type Style = 'dim' | 'yellow' | 'green' | 'red' | 'bold' | 'cyan';

export interface Diagnostics {
  note(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
  /** A line for the person at the terminal (e.g. what was assumed), with optional styling. */
  info(text: string, style?: Style): void;
  readonly debugEnabled: boolean;
  colour(text: string, style: Style): string;
}

function useColour(stream: OutStream, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export async function createDiagnostics(stderr: OutStream, env: Env, debugEnabled: boolean): Promise<Diagnostics> {
  let colour = (text: string, _style: Style): string => text;
  // The exact sequences our own colour() produced: info() lets only those through unescaped.
  const ours = new Set<string>();
  if (useColour(stderr, env)) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    colour = (text, style) => {
      const [open = '', close = ''] = chalk[style]('\u0000').split('\u0000');
      ours.add(open).add(close);
      return chalk[style](terminalText(text));
    };
  }
  const safeInfo = (text: string): string => {
    if (ours.size === 0) return terminalText(text);
    const sgr = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');
    let out = '';
    let last = 0;
    for (const m of text.matchAll(sgr)) {
      if (!ours.has(m[0])) continue;
      out += terminalText(text.slice(last, m.index)) + m[0];
      last = m.index + m[0].length;
    }
    return out + terminalText(text.slice(last));
  };
  return {
    debugEnabled,
    colour,
    note: (text) => stderr.write(diagnosticLine('note', text, (p) => colour(p, 'dim'))),
    warn: (text) => stderr.write(diagnosticLine('warn', text, (p) => colour(p, 'yellow'))),
    debug: (text) => {
      if (debugEnabled) stderr.write(diagnosticLine('debug', text, (p) => colour(p, 'dim')));
    },
    info: (text, style) => stderr.write(`${style ? colour(redact(text), style) : safeInfo(redact(text))}\n`),
  };
}
