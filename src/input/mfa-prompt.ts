// Asks for an MFA code on the terminal: the prompt goes to stderr (stdout is being captured by
// `eval "$(...)"`), only six digits are accepted, and without a terminal it fails at once instead
// of waiting for input that will never come (CI).
import type readline from 'node:readline';
import { nodeReadline } from '../node-builtin.ts';
import type { Readable, Writable } from 'node:stream';
import { InterruptedError, UsageError } from '../errors.ts';
import type { Deps } from '../deps.ts';

const ATTEMPTS = 3;

export function createMfaPrompt(deps: Pick<Deps, 'stdin' | 'stderr'>): (serial: string) => Promise<string> {
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

async function ask(deps: Pick<Deps, 'stdin' | 'stderr'>, serial: string): Promise<string> {
  if (!deps.stdin.isTTY) {
    throw new UsageError(`an MFA code is needed for ${serial}, but there is no terminal to ask on`, {
      hint: 'pass --token-code <6 digits> (in CI, use credentials that need no MFA)',
    });
  }
  // readline (and the REPL history code it drags in) loads only when a code is really asked for.
  const rl = nodeReadline().createInterface({ input: deps.stdin as unknown as Readable, output: deps.stderr as unknown as Writable, terminal: true });
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const answer = (await question(rl, `Enter MFA code for ${serial}: `)).trim();
      if (/^\d{6}$/.test(answer)) return answer;
      deps.stderr.write(`stsx: the code must be six digits${attempt < ATTEMPTS ? ', try again' : ''}\n`);
    }
    throw new UsageError(`no valid MFA code after ${ATTEMPTS} attempts`, { hint: 'enter the six digits shown by the MFA device, or pass --token-code' });
  } finally {
    rl.close();
  }
}

function question(rl: readline.Interface, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onClose = (): void => reject(new InterruptedError('MFA prompt closed before a code was entered'));
    rl.once('close', onClose);
    rl.once('SIGINT', () => reject(new InterruptedError('interrupted at the MFA prompt')));
    rl.question(prompt, (answer) => {
      rl.off('close', onClose);
      resolve(answer);
    });
  });
}
