// A command line from a config file or a flag, split into argv the way a POSIX shell (and
// Python's shlex, which the AWS CLI uses) splits a simple command: blanks separate words, single
// quotes keep everything, double quotes keep everything but \" \\ \$ \`, a backslash outside
// quotes keeps the next character. A line that needs more than that (a pipe, a redirection, a
// variable, a glob, `VAR=value cmd`...) cannot be run without a shell and says so, with the reason.

export type SplitCommand =
  | { kind: 'argv'; argv: string[] }
  /** Shell syntax outside quotes: only a shell can run it as written. */
  | { kind: 'shell'; reason: string }
  /** Not a command line at all: empty, or a quote or a backslash left open. */
  | { kind: 'invalid'; problem: string };

/** Characters that mean something to sh outside quotes, anywhere in a word. */
const SHELL_ANYWHERE = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', '\n']);
/** Characters that mean something to sh at the start of a word only. */
const SHELL_AT_START = new Set(['~', '#']);

export function splitCommand(line: string): SplitCommand {
  const argv: string[] = [];
  let word: string | undefined;
  const chars = [...line];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      if (word !== undefined) argv.push(word);
      word = undefined;
      continue;
    }
    if (word === undefined && SHELL_AT_START.has(c)) return shell(c);
    if (SHELL_ANYWHERE.has(c)) return shell(c);
    if (c === '\\') {
      i += 1;
      if (i >= chars.length) return { kind: 'invalid', problem: 'it ends with a backslash' };
      word = (word ?? '') + (chars[i] ?? '');
      continue;
    }
    if (c === "'") {
      const end = chars.indexOf("'", i + 1);
      if (end < 0) return { kind: 'invalid', problem: 'a single quote is not closed' };
      word = (word ?? '') + chars.slice(i + 1, end).join('');
      i = end;
      continue;
    }
    if (c === '"') {
      let text = '';
      let closed = false;
      for (i += 1; i < chars.length; i += 1) {
        const d = chars[i] ?? '';
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '$' || d === '`') return shell(d);
        if (d === '\\' && ['"', '\\', '$', '`', '\n'].includes(chars[i + 1] ?? '')) {
          i += 1;
          text += chars[i] === '\n' ? '' : (chars[i] ?? '');
          continue;
        }
        text += d;
      }
      if (!closed) return { kind: 'invalid', problem: 'a double quote is not closed' };
      word = (word ?? '') + text;
      continue;
    }
    word = (word ?? '') + c;
  }
  if (word !== undefined) argv.push(word);
  if (argv.length === 0 || argv[0] === '') return { kind: 'invalid', problem: 'it names no program' };
  // `NAME=value program`: an assignment only a shell performs.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0] ?? '') && !/^['"\\]/.test(line.trimStart())) return { kind: 'shell', reason: 'it starts with a variable assignment' };
  return { kind: 'argv', argv };
}

function shell(c: string): SplitCommand {
  return { kind: 'shell', reason: `it has shell syntax (${c === '\n' ? 'a line break' : c}) outside quotes` };
}
