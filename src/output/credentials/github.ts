// github: for a GitHub Actions step. Masks go to stdout as workflow commands; the variables go
// to the file named by GITHUB_ENV, which the runner reads after the step and exports to every
// later step. The caller appends the returned text to that file; this module does no I/O.
import { ConfigError, UsageError, type StsxError } from '../../errors.ts';
import { outputError } from '../write-output.ts';
import { SECRET_VARS } from './env-vars.ts';
import { CARRIAGE_RETURN, joinLines, LONE_SURROGATE, NUL, refuseUnsafe } from './refuse-unsafe.ts';
import type { EnvAssignment } from './types.ts';

export interface GithubOutput {
  /** `::add-mask::` lines, so the runner redacts these values from all later log output. */
  stdout: string;
  /** Text to append to the GITHUB_ENV file. */
  githubEnv: string;
}

/** Thrown when --format github is used outside a GitHub Actions step. */
export function missingGithubEnvError(): UsageError {
  return new UsageError('--format github writes to the file named by GITHUB_ENV, and GITHUB_ENV is not set', {
    hint: 'GitHub Actions sets GITHUB_ENV in every step; outside Actions use a shell format or --format json',
  });
}

/** The GITHUB_ENV file path from an environment, or the error explaining why there is none. */
export function requireGithubEnvFile(env: Readonly<Record<string, string | undefined>>): string {
  const file = env['GITHUB_ENV'];
  if (!file) throw missingGithubEnvError();
  return file;
}

/**
 * Why appending to the GITHUB_ENV file failed, as the error the user can act on: a path that is
 * a directory, whose folder is missing, or that may not be written is configuration (3); a full
 * disk or an I/O error is an output failure (74). The path is quoted: it comes from the
 * environment and may hold control characters.
 */
export function githubEnvError(error: unknown, file: string): StsxError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const path = JSON.stringify(file);
  const hint = 'GITHUB_ENV must name a writable file (GitHub Actions sets it in every step); outside Actions use a shell format or --format json';
  switch (code) {
    case 'EISDIR':
      return new ConfigError(`GITHUB_ENV is ${path}, which is a directory, not a file`, { hint, cause: error });
    case 'ENOENT':
    case 'ENOTDIR':
      return new ConfigError(`GITHUB_ENV is ${path}, and the folder it should be in does not exist`, { hint, cause: error });
    case 'ENXIO':
    case 'ENOTREG':
      return new ConfigError(`GITHUB_ENV is ${path}, which is not a regular file (a FIFO or a socket): stsx does not wait for a reader`, { hint, cause: error });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ConfigError(`GITHUB_ENV is ${path}, which stsx may not write (${code})`, { hint, cause: error });
    default:
      return outputError(error, `the GITHUB_ENV file ${path}`);
  }
}

/**
 * Workflow command data is percent-decoded by the runner (actions/toolkit `escapeData`): without
 * this, a secret containing `%25` would be unescaped and the runner would mask the wrong string.
 */
function escapeCommandData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * `NAME<<DELIMITER`, the value, `DELIMITER`: the runner's multi-line syntax, which carries any
 * value, `=` and newlines included, as long as no line of it equals the delimiter. The delimiter
 * is random (`ghadelimiter_<uuid>`, as @actions/core makes it) so a value cannot be crafted to
 * end the block early and inject other variables; one that happens to contain it gets another.
 */
function heredoc(name: string, value: string, randomId: () => string): string {
  let delimiter = `ghadelimiter_${randomId()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomId()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}`;
}

// GITHUB_ENV has no way to unset. A blank token or expiration reads as absent to the SDKs and
// the CLI (aws-actions/configure-aws-credentials clears credentials that way), so "unset"
// becomes blank. A blank profile does not: botocore then fails with "The config profile () could
// not be found", so those two are left as the job had them (rarely set in CI).
const NEVER_BLANK: ReadonlySet<string> = new Set(['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']);

export function renderGithub(list: readonly EnvAssignment[], randomId: () => string): GithubOutput {
  // Newlines are fine here, but the runner's line reader drops a CR before LF, and no
  // environment can hold NUL.
  refuseUnsafe(list, 'github', [CARRIAGE_RETURN, NUL, LONE_SURROGATE], 'use --format json (credential_process) for such values');
  // Logs are redacted line by line, so a multi-line secret is masked one line at a time. The
  // runner warns on an empty mask, and an empty line reveals nothing anyway.
  const masks = list.flatMap(({ name, value }) =>
    value !== null && SECRET_VARS.has(name) ? value.split('\n').filter(Boolean).map((line) => `::add-mask::${escapeCommandData(line)}`) : [],
  );
  const env = list.flatMap(({ name, value }) => {
    if (value !== null) return [heredoc(name, value, randomId)];
    return NEVER_BLANK.has(name) ? [] : [heredoc(name, '', randomId)];
  });
  return { stdout: joinLines(masks), githubEnv: joinLines(env) };
}
