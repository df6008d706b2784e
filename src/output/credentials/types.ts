// The data every credential renderer shares: what STS handed us, the ordered variable list, and
// what a renderer takes and returns. The formats themselves are in formats.ts.

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

export interface CredentialOutput {
  credentials: TemporaryCredentials;
  /** Written as AWS_REGION and AWS_DEFAULT_REGION; left alone when unknown. */
  region?: string | undefined;
}

/** One line of output: `value: null` means "unset this variable". */
export type EnvAssignment = { name: string; value: string | null };

export interface RenderContext {
  /** Path of the GITHUB_ENV file; required by --format github (the caller appends to it). */
  githubEnvFile?: string | undefined;
  /** Random part of GITHUB_ENV delimiters; tests pass a fixed one. */
  randomId?: (() => string) | undefined;
}

export interface RenderedCredentials {
  /** What goes to stdout: the lines to eval, the JSON, or the GitHub mask commands. */
  stdout: string;
  /** github only: text to append to the GITHUB_ENV file. */
  githubEnv?: string;
}
