// Everything that is not the output the user asked for goes to stderr through here: notes,
// warnings, --debug lines, and the one-line summaries. Colour only on a terminal, never with
// NO_COLOR (no-color.org), and chalk is loaded only when colour is really used.
import type { Env, OutStream } from './deps.ts';

export type Style = 'dim' | 'yellow' | 'green' | 'red' | 'bold' | 'cyan';

export interface Diagnostics {
  note(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
  /** A line for the person at the terminal (e.g. what was assumed), with optional styling. */
  info(text: string, style?: Style): void;
  readonly debugEnabled: boolean;
  colour(text: string, style: Style): string;
}

export function useColour(stream: OutStream, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export async function createDiagnostics(stderr: OutStream, env: Env, debugEnabled: boolean): Promise<Diagnostics> {
  let colour = (text: string, _style: Style): string => text;
  if (useColour(stderr, env)) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    colour = (text, style) => chalk[style](text);
  }
  return {
    debugEnabled,
    colour,
    note: (text) => stderr.write(`${colour('stsx:', 'dim')} ${text}\n`),
    warn: (text) => stderr.write(`${colour('stsx: warning:', 'yellow')} ${text}\n`),
    debug: (text) => {
      if (debugEnabled) stderr.write(`${colour('stsx: debug:', 'dim')} ${text}\n`);
    },
    info: (text, style) => stderr.write(`${style ? colour(text, style) : text}\n`),
  };
}
