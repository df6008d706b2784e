// Random config files made of chosen headers and lines (a seeded LCG, so a failure repeats): the
// fuzz tests that compare stsx's reading of the files with the JS SDK's and botocore's.
export interface IniPieces {
  headers: readonly string[];
  lines: readonly string[];
  /** Some files with CRLF line ends (the JS SDK's reading) or every file with LF and a final newline. */
  crlf?: boolean;
}

/** A seeded linear congruential generator: `next(n)` is 0..n-1, the same sequence for a seed. */
export function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor(s / 65536) % n;
  };
}

/** `count` files of one to four sections, each a header, `role_arn = r` and up to two lines. */
export function sectionFiles(count: number, seed: number, pieces: IniPieces): string[] {
  const next = seeded(seed);
  const files: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const out: string[] = [];
    for (let h = 1 + next(4); h > 0; h -= 1) {
      out.push(pieces.headers[next(pieces.headers.length)] ?? '', 'role_arn = r');
      for (let n = next(3); n > 0; n -= 1) out.push(pieces.lines[next(pieces.lines.length)] ?? '');
    }
    files.push(pieces.crlf ? out.join(next(4) === 0 ? '\r\n' : '\n') : `${out.join('\n')}\n`);
  }
  return files;
}
