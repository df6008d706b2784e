// Entry point for the credential renderers: format name in, text out. Every shell format is a
// pure function of the same ordered variable list (env-vars.ts); json follows the
// credential_process contract instead. Nothing here reads the process or writes anything.
import { randomUUID } from 'node:crypto';
import { UsageError } from '../../errors.ts';
import { renderCmd } from './cmd.ts';
import { renderDotenv } from './dotenv.ts';
import { credentialEnv, unsetEnv } from './env-vars.ts';
import { renderFish } from './fish.ts';
import { missingGithubEnvError, renderGithub } from './github.ts';
import { renderJson } from './json.ts';
import { renderPosix } from './posix.ts';
import { renderPowerShell } from './powershell.ts';
import type { CredentialOutput, EnvAssignment, Format } from './types.ts';

export { parseFormat, FORMATS, FORMAT_ALIASES, SHELL_FORMATS } from './types.ts';
export type { CredentialOutput, EnvAssignment, Format, TemporaryCredentials } from './types.ts';
export { credentialEnv, unsetEnv } from './env-vars.ts';
export { detectFormat, type DetectedFormat } from './detect-format.ts';
export { usageLine } from './usage-line.ts';
export { requireGithubEnvFile, missingGithubEnvError } from './github.ts';

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

export function renderCredentials(format: Format, out: CredentialOutput, ctx: RenderContext = {}): RenderedCredentials {
  if (format === 'json') return { stdout: renderJson(out) };
  const list = credentialEnv(out);
  if (format === 'github') {
    if (!ctx.githubEnvFile) throw missingGithubEnvError();
    return renderGithub(list, ctx.randomId ?? randomUUID);
  }
  return { stdout: renderEnvList(format, list) };
}

/** The lines for `stsx unset`: clear every variable stsx sets. Only shells can unset. */
export function renderUnset(format: Format): string {
  if (format === 'json' || format === 'dotenv' || format === 'github') {
    throw new UsageError(`the ${format} format cannot unset variables`, {
      hint: 'use a shell format: bash, zsh, sh, fish, powershell or cmd',
    });
  }
  return renderEnvList(format, unsetEnv());
}

function renderEnvList(format: Exclude<Format, 'json' | 'github'>, list: readonly EnvAssignment[]): string {
  switch (format) {
    case 'bash':
    case 'zsh':
    case 'sh':
      return renderPosix(list, format);
    case 'fish':
      return renderFish(list);
    case 'powershell':
      return renderPowerShell(list);
    case 'cmd':
      return renderCmd(list);
    case 'dotenv':
      return renderDotenv(list);
  }
}
