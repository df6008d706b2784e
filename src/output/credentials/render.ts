// Entry point for the credential renderers: format name in, text out. Every shell format is a
// pure function of the same ordered variable list (env-vars.ts); json follows the
// credential_process contract instead. Which renderer serves which format is the FORMATS table
// (formats.ts). Nothing here reads the process or writes anything.
import { UsageError } from '../../errors.ts';
import { formatSpec, SHELL_FORMATS, type Format } from './formats.ts';
import type { CredentialOutput, RenderContext, RenderedCredentials } from './types.ts';

export { parseFormat, FORMAT_NAMES, SHELL_FORMATS, usageLine } from './formats.ts';
export type { Format } from './formats.ts';
export type { CredentialOutput, EnvAssignment, RenderContext, RenderedCredentials } from './types.ts';
export { credentialEnv, unsetEnv } from './env-vars.ts';
export { detectFormat, processAncestry } from './detect-format.ts';
export { requireGithubEnvFile } from './github.ts';

export function renderCredentials(format: Format, out: CredentialOutput, ctx: RenderContext = {}): RenderedCredentials {
  return formatSpec(format).render(out, ctx);
}

/** The lines for `stsx unset`: clear every variable stsx sets. Only shells can unset. */
export function renderUnset(format: Format): string {
  const unset = formatSpec(format).unset;
  if (!unset) {
    throw new UsageError(`the ${format} format cannot unset variables`, { hint: `use a shell format: ${SHELL_FORMATS.join(', ')}` });
  }
  return unset();
}
