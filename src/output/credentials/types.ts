// The data every credential renderer shares: what STS handed us, the ordered variable list, and
// the names of the output formats (with the aliases users type from other tools).
import { UsageError } from '../../errors.ts';

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

export const FORMATS = ['bash', 'zsh', 'sh', 'fish', 'powershell', 'cmd', 'dotenv', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** Other spellings, including the AWS CLI's own `export-credentials --format` names. */
export const FORMAT_ALIASES: Readonly<Record<string, Format>> = {
  pwsh: 'powershell',
  dash: 'sh',
  env: 'sh',
  'windows-cmd': 'cmd',
  process: 'json',
  'github-actions': 'github',
};

/** Formats a user evaluates in an interactive shell; they can also unset variables. */
export const SHELL_FORMATS: readonly Format[] = ['bash', 'zsh', 'sh', 'fish', 'powershell', 'cmd'];

export function parseFormat(name: string): Format {
  const key = name.trim().toLowerCase();
  const found = FORMATS.find((f) => f === key) ?? FORMAT_ALIASES[key];
  if (found) return found;
  const aliases = Object.entries(FORMAT_ALIASES).map(([alias, f]) => `${alias}=${f}`);
  throw new UsageError(`unknown output format "${name}"`, {
    hint: `use one of: ${FORMATS.join(', ')} (aliases: ${aliases.join(', ')})`,
  });
}
