// postject's injection, without its noise: LIEF (inside postject's WebAssembly) writes a
// "warning: Can't find string offset for section name '.note.100'" line through console.warn for
// every note section of an official Node ELF binary (9 per build), which says nothing about the
// result. Those lines are dropped; any other line it writes is passed on, and its errors stay errors.
import { createRequire } from 'node:module';

type Inject = (file: string, name: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string }) => Promise<void>;

/** The lines of postject's that say nothing about the result. */
export const isPostjectNoise = (line: string): boolean => /^warning: Can't find string offset for section name '\.note(\.\d+)?'$/.test(line);

/** postject's inject, its harmless warnings dropped and the others written through `warn`. */
export async function injectQuietly(file: string, name: string, data: Buffer, options: Parameters<Inject>[3], warn: (line: string) => void): Promise<void> {
  const { inject } = createRequire(import.meta.url)('postject') as { inject: Inject };
  const original = console.warn;
  const lines: string[] = [];
  // postject binds console.warn when each call loads its module: replaced around the call, it is ours.
  console.warn = (...args: unknown[]): void => void lines.push(args.map(String).join(' '));
  try {
    await inject(file, name, data, options);
  } finally {
    console.warn = original;
    for (const line of lines) if (!isPostjectNoise(line)) warn(line);
  }
}
