// The controlling terminal for prompts: /dev/tty (CONIN$ and CONOUT$ on Windows), not stdin and
// stderr, which may be redirected (`2>file` would hide the prompt and, with echo on, record what
// was typed). Input is read in raw mode with no echo at all; the mode is restored on every way
// out: Enter, Ctrl-C, Ctrl-D, SIGINT, SIGTERM, SIGHUP (the terminal was closed) and exit. Node
// itself resets only fds 0-2, and not on SIGHUP.
import type { ReadStream, WriteStream } from 'node:tty';
import { nodeFs, nodeTty } from '../node-builtin.ts';
import { InterruptedError } from '../errors.ts';
import type { Terminal } from '../deps.ts';

type Proc = Pick<NodeJS.Process, 'platform' | 'on' | 'off' | 'once'>;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function openTerminal(proc: Proc): Terminal | undefined {
  const fs = nodeFs();
  const tty = nodeTty();
  const fds: number[] = [];
  try {
    const [inName, outName] = proc.platform === 'win32' ? ['CONIN$', 'CONOUT$'] : ['/dev/tty', '/dev/tty'];
    fds.push(fs.openSync(inName, proc.platform === 'win32' ? 'r+' : 'r'));
    fds.push(fs.openSync(outName, proc.platform === 'win32' ? 'r+' : 'w'));
    if (!fds.every((fd) => tty.isatty(fd))) throw new Error('not a terminal');
  } catch {
    for (const fd of fds) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    return undefined;
  }
  const input: ReadStream = new tty.ReadStream(fds[0] as number);
  const output: WriteStream = new tty.WriteStream(fds[1] as number);
  // A terminal that went away (SIGHUP) fails writes with EIO: nothing left to tell it.
  output.on('error', () => undefined);
  input.on('error', () => undefined);
  const restore = (): void => {
    try {
      if (input.isRaw) input.setRawMode(false);
    } catch {
      // the terminal is gone
    }
  };
  return {
    write: (text) => void output.write(text),
    readHidden: (prompt, maxLength) => readHidden(proc, input, output, restore, prompt, maxLength),
    close: () => {
      restore();
      input.destroy();
      output.destroy();
    },
  };
}

function readHidden(proc: Proc, input: ReadStream, output: WriteStream, restore: () => void, prompt: string, maxLength: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (error: Error | undefined): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      for (const signal of SIGNALS) proc.off(signal, onSignal);
      proc.off('exit', restore);
      restore();
      input.pause();
      // Enter was not echoed either: end the prompt's line.
      output.write('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onSignal = (signal: NodeJS.Signals): void => finish(new InterruptedError(`${signal} at the MFA prompt`));
    const onEnd = (): void => finish(new InterruptedError('MFA prompt closed before a code was entered'));
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(undefined);
        if (ch === '\u0003') return finish(new InterruptedError('interrupted at the MFA prompt'));
        if (ch === '\u0004') {
          if (line === '') return onEnd();
        } else if (ch === '\u007f' || ch === '\b') {
          line = line.slice(0, -1);
        } else if (ch === '\u0015') {
          line = '';
        } else if (ch >= ' ' && line.length < maxLength) {
          line += ch;
        }
      }
      return undefined;
    };
    for (const signal of SIGNALS) proc.on(signal, onSignal);
    proc.once('exit', restore);
    // Echo off before the prompt shows: a code typed as soon as it appears is never echoed.
    input.setRawMode(true);
    output.write(prompt);
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}
