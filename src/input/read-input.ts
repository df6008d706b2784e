// An argument that may be a literal, file://path, or - (stdin), as the AWS CLI accepts. Never
// more than a size STS itself could accept is read (sts/limits.ts SIZE_LIMITS): a file such as
// /dev/zero or a runaway pipe fails at the cap instead of filling memory.
import { UsageError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { SIZE_LIMITS } from '../sts/limits.ts';

/** The cap for an input: the session policy and the encoded message have their own. */
function capFor(what: string): number {
  if (what === 'policy') return SIZE_LIMITS.policyInputBytes;
  if (what === 'message') return SIZE_LIMITS.messageInputBytes;
  return SIZE_LIMITS.messageInputBytes;
}

const kib = (bytes: number): string => `${bytes / 1024} KiB`;

export async function readInputArgument(value: string | undefined, deps: Pick<Deps, 'stdin' | 'readFile' | 'readFileHead'>, what: string, maxBytes = capFor(what)): Promise<string> {
  if (value === undefined || value === '-') {
    if (value === undefined && deps.stdin.isTTY) {
      throw new UsageError(`no ${what} given`, { hint: `pass the ${what} as an argument, as file://path, or pipe it in with -` });
    }
    return readStdin(deps.stdin, what, maxBytes);
  }
  if (value.startsWith('file://')) {
    const file = value.slice('file://'.length);
    let text: string;
    try {
      text = deps.readFileHead ? (await deps.readFileHead(file, maxBytes)).toString('utf8') : await deps.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // A FIFO that delivers nothing, or never ends (fs-async.ts), says so in its message.
      const why = code === 'ETIMEDOUT' || code === 'EFBIG' ? `${code}: ${(error as Error).message}` : code;
      throw new UsageError(`cannot read ${file} (${why})`, { hint: `check the path after file://`, cause: error });
    }
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(`the ${what} in ${file}`, maxBytes, what);
    return text;
  }
  if (Buffer.byteLength(value) > maxBytes) throw tooLarge(`the ${what}`, maxBytes, what);
  return value;
}

function tooLarge(subject: string, maxBytes: number, what: string): UsageError {
  return new UsageError(`${subject} is larger than ${kib(maxBytes)}, more than STS accepts`, {
    hint: what === 'policy' ? 'a session policy is at most 2048 characters without whitespace; use --policy-arn for more' : 'pass only the encoded message (at most 10240 characters) or the error text around it',
  });
}

async function readStdin(stdin: Deps['stdin'], what: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > maxBytes) throw tooLarge(`the ${what} on stdin`, maxBytes, what);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new UsageError(`stdin was empty; expected the ${what}`);
  return text;
}
