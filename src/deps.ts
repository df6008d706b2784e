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
  /** Appends text to a file (GITHUB_ENV), creating it if needed. */
  appendFile(file: string, text: string): Promise<void>;
  now(): Date;
  /** Local user name, for default session names. */
  username(): string;
  /** Starts a credential_process (see credentials/process-provider.ts). */
  startProcess: StartProcess;
}

/** A started process (credential_process): its output streams, its end, and a kill for its whole group. */
export interface StartedProcess {
  stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Kills the process and everything it started (its process group). */
  kill(): void;
}

/** Runs a command line through the shell, with this environment, stdin closed. */
export type StartProcess = (commandLine: string, env: Record<string, string>) => Promise<StartedProcess>;
