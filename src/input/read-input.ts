// An argument that may be a literal, file://path, or - (stdin), as the AWS CLI accepts.
import { UsageError } from '../errors.ts';
import type { Deps } from '../deps.ts';

const MAX_INPUT_BYTES = 1024 * 1024;

export async function readInputArgument(value: string | undefined, deps: Pick<Deps, 'stdin' | 'readFile'>, what: string): Promise<string> {
  if (value === undefined || value === '-') {
    if (value === undefined && deps.stdin.isTTY) {
      throw new UsageError(`no ${what} given`, { hint: `pass the ${what} as an argument, as file://path, or pipe it in with -` });
    }
    return readStdin(deps.stdin, what);
  }
  if (value.startsWith('file://')) {
    const file = value.slice('file://'.length);
    try {
      return await deps.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new UsageError(`cannot read ${file} (${code})`, { hint: `check the path after file://`, cause: error });
    }
  }
  return value;
}

async function readStdin(stdin: Deps['stdin'], what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError(`the ${what} on stdin is larger than 1 MiB`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new UsageError(`stdin was empty; expected the ${what}`);
  return text;
}
