// Asks for an MFA code on the controlling terminal (deps.openTerminal: /dev/tty, not stderr, which
// may be redirected, nor stdout, which `eval "$(...)"` captures); the code is never echoed, only
// six digits are accepted, and without a terminal on stdin it fails at once instead of waiting
// for input that will never come (CI).
import { UsageError } from '../errors.ts';
import type { Deps, Terminal } from '../deps.ts';

const ATTEMPTS = 3;
/** Bounded input: a code is six digits; anything longer is cut here and refused below. */
const MAX_INPUT = 64;

export function createMfaPrompt(deps: Pick<Deps, 'stdin' | 'openTerminal'>): (serial: string) => Promise<string> {
  const asked = new Map<string, Promise<string>>();
  return (serial) => {
    // One code per device per run: a chain that needs the same device twice asks once.
    let pending = asked.get(serial);
    if (!pending) {
      pending = ask(deps, serial);
      asked.set(serial, pending);
    }
    return pending;
  };
}

async function ask(deps: Pick<Deps, 'stdin' | 'openTerminal'>, serial: string): Promise<string> {
  const noTerminal = (): UsageError => new UsageError(`an MFA code is needed for ${serial}, but there is no terminal to ask on`, {
    hint: 'pass --token-code <6 digits> (in CI, use credentials that need no MFA)',
  });
  if (!deps.stdin.isTTY) throw noTerminal();
  const terminal: Terminal | undefined = await deps.openTerminal?.();
  if (!terminal) throw noTerminal();
  try {
    // The retry notice is part of the next prompt, written after echo is off: a code typed as
    // soon as "try again" shows is not echoed either. (Raw mode: the line ends with \r\n.)
    let notice = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const answer = (await terminal.readHidden(`${notice}Enter MFA code for ${printable(serial)}: `, MAX_INPUT)).trim();
      if (/^\d{6}$/.test(answer)) return answer;
      notice = 'stsx: the code must be six digits, try again\r\n';
    }
    terminal.write('stsx: the code must be six digits\n');
    throw new UsageError(`no valid MFA code after ${ATTEMPTS} attempts`, { hint: 'enter the six digits shown by the MFA device, or pass --token-code' });
  } finally {
    terminal.close();
  }
}

/** Control characters never reach the terminal as such. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
