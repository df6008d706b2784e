// The one error hierarchy: every failure a user can see is one of these, with one exit code per kind.
// main.ts is the only place that turns them into text and an exit status.
import { terminalText } from './text/terminal-text.ts';
import { redact } from './text/redact.ts';

export const ExitCode = {
  ok: 0,
  /** `stsx status` only: no credentials in the environment (so a script can test for them). */
  noCredentials: 1,
  /** Bad flags, arguments or input values: fix the command line. */
  usage: 2,
  /** Config/credentials files, profiles, regions, endpoints as configured: fix the configuration. */
  config: 3,
  /** AWS refused the credentials or the caller: expired, invalid, denied, no credentials at all. */
  auth: 4,
  /** The STS endpoint could not be reached or did not answer sensibly. */
  network: 5,
  /** STS answered with an error about the request itself (validation, policy, region disabled...). */
  aws: 6,
  /** A bug in stsx. */
  internal: 70,
  /** The output could not be written: full disk, closed pipe or stream (sysexits EX_IOERR). */
  output: 74,
  /** Interrupted by the user (Ctrl-C). */
  interrupted: 130,
  /** `stsx exec`: the command was found but could not be run (as a shell says it). */
  cannotExecute: 126,
  /** `stsx exec`: no such command (as a shell says it). */
  commandNotFound: 127,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, in the words `stsx --help` prints (the table of docs/usage.md says more). */
const EXIT_CODE_WORDS: ReadonlyArray<[ExitCodeValue, string]> = [
  [ExitCode.ok, 'ok'],
  [ExitCode.noCredentials, 'status: no credentials'],
  [ExitCode.usage, 'usage'],
  [ExitCode.config, 'configuration'],
  [ExitCode.auth, 'credentials/authorization'],
  [ExitCode.network, 'network/endpoint'],
  [ExitCode.aws, 'STS refused the request'],
  [ExitCode.internal, 'internal'],
  [ExitCode.output, 'output could not be written'],
  [ExitCode.cannotExecute, 'exec: the command could not be run'],
  [ExitCode.commandNotFound, 'exec: no such command'],
  [ExitCode.interrupted, 'interrupted'],
];

/** The help's exit-code line, from the one table above. */
export function exitCodesLine(): string {
  return `Exit codes: ${EXIT_CODE_WORDS.map(([code, words]) => `${code} ${words}`).join(', ')}.`;
}

export interface ErrorDetails {
  /** What the user can do about it; shown after the message. */
  hint?: string | undefined;
  /** The underlying error, shown only with --debug. */
  cause?: unknown;
  /** The STS error code, when STS sent one. */
  code?: string | undefined;
  /** The host that could not be reached, when known. */
  host?: string | undefined;
}

export abstract class StsxError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** A short machine-readable kind, shown with --debug and used by tests. */
  abstract readonly kind: string;
  readonly hint: string | undefined;
  readonly code: string | undefined;
  readonly host: string | undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.hint = details.hint;
    this.code = details.code;
    this.host = details.host;
  }
}

export class UsageError extends StsxError {
  readonly exitCode = ExitCode.usage;
  readonly kind = 'usage';
}

export class ConfigError extends StsxError {
  readonly exitCode = ExitCode.config;
  readonly kind = 'config';
}

export class AuthError extends StsxError {
  readonly exitCode = ExitCode.auth;
  readonly kind = 'auth';
}

export class NetworkError extends StsxError {
  readonly exitCode = ExitCode.network;
  readonly kind = 'network';
}

export class AwsRequestError extends StsxError {
  readonly exitCode = ExitCode.aws;
  readonly kind = 'aws';
}

export class InternalError extends StsxError {
  readonly exitCode = ExitCode.internal;
  readonly kind = 'internal';
}

export class OutputError extends StsxError {
  readonly exitCode = ExitCode.output;
  readonly kind = 'output';
}

export class InterruptedError extends StsxError {
  readonly exitCode = ExitCode.interrupted;
  readonly kind = 'interrupted';
}

/** `stsx exec` could not start the command: 127 when it does not exist, 126 when it cannot run. */
export class CommandStartError extends StsxError {
  readonly kind = 'exec';
  readonly exitCode: typeof ExitCode.cannotExecute | typeof ExitCode.commandNotFound;
  constructor(message: string, notFound: boolean, details: ErrorDetails = {}) {
    super(message, details);
    this.exitCode = notFound ? ExitCode.commandNotFound : ExitCode.cannotExecute;
  }
}

/** One line (or two, with the hint) for the user; no stack. */
export function formatError(error: StsxError): string {
  const message = oneLine(error.message);
  return error.hint ? `stsx: ${message}\n  hint: ${oneLine(error.hint)}` : `stsx: ${message}`;
}

/** Turns anything thrown into a StsxError; unknown throwables are bugs. */
export function toStsxError(error: unknown): StsxError {
  if (error instanceof StsxError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`unexpected error: ${message}`, {
    hint: 'this is a bug in stsx; run again with --debug and report the output (it never contains secrets)',
    cause: error,
  });
}

/** One line, with whatever a server or a file put in it shown, never obeyed, by the terminal, and no secret. */
function oneLine(text: string): string {
  return terminalText(redact(text).replace(/\s*\n\s*/g, ' ').trim());
}
