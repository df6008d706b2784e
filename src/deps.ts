// What commands may touch of the outside world, passed in rather than reached for, so every
// resolver is a pure function of its inputs and tests never mutate process.env.
export type Env = Readonly<Record<string, string | undefined>>;

export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface InStream extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean | undefined;
}

export interface Deps {
  env: Env;
  homedir: string;
  platform: NodeJS.Platform;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  readFile(file: string): Promise<string>;
  /** At most maxBytes + 1 bytes from the start of a file (so "too large" is seen without reading it all). */
  readFileHead?(file: string, maxBytes: number): Promise<Buffer>;
  /** Appends text to a file (GITHUB_ENV), creating it if needed. */
  appendFile(file: string, text: string): Promise<void>;
  now(): Date;
  /** Local user name, for default session names. */
  username(): string;
}
