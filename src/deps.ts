// What commands may touch of the outside world, passed in rather than reached for, so every
// resolver is a pure function of its inputs and tests never mutate process.env.
export type Env = Readonly<Record<string, string | undefined>>;

export interface OutStream {
  /**
   * Node's Writable.write: the callback runs once the text is written, with the error if it
   * could not be (src/output/write-output.ts waits for it). A fake that takes only the text is
   * treated as writing at once.
   */
  write(text: string, callback?: (error?: Error | null) => void): unknown;
  readonly isTTY?: boolean | undefined;
  /** Node's Writable.errored: the error that broke the stream, if one did. */
  readonly errored?: Error | null | undefined;
}

interface InStream extends AsyncIterable<Buffer | string> {
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
  /** At most maxBytes + 1 bytes from the start of a file (so "too large" is seen without reading it all). */
  readFileHead?(file: string, maxBytes: number): Promise<Buffer>;
  /** Appends text to a file (GITHUB_ENV), creating it if needed. */
  appendFile(file: string, text: string): Promise<void>;
  now(): Date;
  /**
   * When this process started (before its code loaded): `stsx login` takes a token another
   * process wrote since then as its own sign-in (8 started together open one browser tab).
   * Undefined in a test's stand-in: now() at the command's start.
   */
  processStartedAt?: Date | undefined;
  /** The words that start this stsx (node and the script, or the single binary): what `stsx keys` writes into credential_process. */
  launcher?: readonly string[] | undefined;
  /** Local user name, for default session names. */
  username(): string;
  /** Our own process id, and whether another one is running (`exec --server` cleans up after a killed run). */
  pid?: number | undefined;
  processAlive?(pid: number): boolean;
  /** Our parent process id: the format guess starts there (src/output/credentials/detect-format.ts). */
  ppid?: number | undefined;
  /** Linux: a /proc file's text, read synchronously; undefined when it cannot be read. */
  readProcFile?(path: string): string | undefined;
  /** macOS: `ps -A -o pid=,ppid=,comm=` output; undefined when ps cannot run. */
  listProcesses?(): string | undefined;
  /** Starts a credential_process or an MFA code process (see credentials/process-provider.ts). */
  startProcess: StartProcess;
  /** HTTP requests (the GitHub OIDC token endpoint); default: the global fetch. */
  fetch?: typeof fetch | undefined;
  /** The controlling terminal, or undefined when there is none. */
  openTerminal?(): Promise<Terminal | undefined>;
  /** Opens a URL in the default browser (`stsx console`); the URL is one argument, never shell text. */
  openBrowser?(url: string): Promise<BrowserOpened>;
  /** `stsx exec`: runs a command (no shell) with our stdin, stdout and stderr. */
  runChild?: RunChild;
  /**
   * Ends this process by a signal its command died of, as a shell expects (a loop stops on
   * Ctrl-C); returns when it cannot (Windows, or a signal whose default leaves a core file).
   */
  dieOf?(signal: string): void;
}

/** How the browser opener ended: `missing` when the opener program is not installed. */
export type BrowserOpened = { ok: true; opener: string } | { ok: false; opener: string; reason: 'missing' | 'failed'; detail: string };

/**
 * Runs a command directly (no shell; on Windows found through PATH and PATHEXT, a .cmd/.bat
 * through cmd.exe with checked quoting, see exec/windows.ts) with this environment and our own
 * stdio, forwarding SIGINT, SIGTERM, SIGHUP and SIGQUIT (as SIGTERM) sent to stsx alone (not the
 * terminal's, which reached it already) while it runs; on
 * Linux it ends with us however we end (a parent-death signal, where setpriv can set one; `debug`
 * says when it cannot). Resolves with its exit status (a death by signal n as 128+n, and the
 * signal); rejects with the spawn error (code ENOENT, EACCES...) when it cannot start.
 */
type RunChild = (file: string, args: readonly string[], env: Record<string, string>, hooks?: { debug(line: string): void }) => Promise<{ status: number; signal?: string | undefined }>;

/** A started process (credential_process): its output streams, its end, and a kill for its whole group. */
export interface StartedProcess {
  stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Kills the process and everything it started (its process group). */
  kill(): void;
}

/**
 * Starts a process with this environment, stdin closed: a command line through the shell
 * (credential_process), or an argv (program first) with no shell (mfa_process, MFA prompts).
 */
export type StartProcess = (command: string | readonly string[], env: Record<string, string>) => Promise<StartedProcess>;
