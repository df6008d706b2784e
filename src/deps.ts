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

/** The controlling terminal, opened for a prompt: /dev/tty (CONIN$/CONOUT$ on Windows), whatever
 * stdout and stderr are redirected to. */
export interface Terminal {
  write(text: string): void;
  /** Shows the prompt once echo is off, then reads one line; rejects with InterruptedError on
   * Ctrl-C, Ctrl-D, SIGINT, SIGTERM or SIGHUP, after the terminal's mode is restored. */
  readHidden(prompt: string, maxLength: number): Promise<string>;
  close(): void;
}

export interface Deps {
  env: Env;
  homedir: string;
  platform: NodeJS.Platform;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  readFile(file: string): Promise<string>;
  /** Appends text to a file (GITHUB_ENV), creating it if needed. */
  appendFile(file: string, text: string): Promise<void>;
  now(): Date;
  /** Local user name, for default session names. */
  username(): string;
  /** The controlling terminal, or undefined when there is none. */
  openTerminal?(): Promise<Terminal | undefined>;
}
