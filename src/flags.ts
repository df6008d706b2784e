// The flags several commands share, declared once as data: cli.ts mounts them on commander (and
// so --help, the completion scripts and the generated command reference show them), and the
// early paths (early-cache-hit.ts, early-sts.ts) read the plain ones themselves, with the same
// value parsers and choices, before commander loads. No commander here: the early paths must not load it.
import { parseFormat } from './output/credentials/formats.ts';
import { ROLE_FLAGS } from './assume/role-flags.ts';
import { MFA_PROMPTS, parseMfaPrompt } from './input/mfa-prompts.ts';

export interface FlagDeclaration {
  /** As commander takes it: `--name <value>`, `--name [value]` or `--name`. */
  readonly flags: string;
  readonly description: string;
  /** Turns the text into the option's value (commander's argParser); the early path calls the same one. */
  readonly parse?: (value: string, previous: unknown) => unknown;
  /** The only values commander accepts (its Option.choices), exactly as written. */
  readonly choices?: readonly string[];
  /**
   * The early paths of `stsx assume` and `stsx whoami` (early-flags.ts) take this flag when it is
   * given once, with a non-empty value that does not start with a dash (one of `choices`, if
   * any); any other flag sends the command to commander.
   */
  readonly early?: true;
}

const collect = (value: string, previous: unknown): string[] => [...((previous as string[] | undefined) ?? []), value];

/** Every command that calls STS: where the settings come from and how long a call may take. */
export const GLOBAL_FLAGS: readonly FlagDeclaration[] = [
  { flags: '--profile <name>', description: 'profile from the AWS config files (default: $AWS_PROFILE, else "default")', early: true },
  { flags: '--region <region>', description: 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile, the EC2 instance, us-east-1)', early: true },
  { flags: '--endpoint-url <url>', description: 'STS endpoint URL (default: the regional endpoint of the region)', early: true },
  { flags: '--fallback-region <region>', description: 'opt-in failover: another region (or region=url) to try when the endpoint cannot be reached (repeatable; default $STSX_FALLBACK_REGIONS or stsx_fallback_regions)', parse: collect },
  { flags: '--connect-timeout <seconds>', description: 'TCP/TLS connect timeout per attempt (default $STSX_CONNECT_TIMEOUT, else 3)' },
  { flags: '--timeout <seconds>', description: 'time allowed per endpoint, retries included (default $STSX_TIMEOUT, else 15)' },
  { flags: '--debug', description: 'show where each setting came from, the STS calls, and stack traces (never secrets)' },
];

/** `stsx whoami`'s own flags. */
export const WHOAMI_FLAGS: readonly FlagDeclaration[] = [
  { flags: '--output <format>', description: 'text or json (json is the AWS CLI shape)', choices: ['text', 'json'], early: true },
  { flags: '--query <field>', description: 'print only this field', choices: ['Account', 'Arn', 'UserId'], early: true },
  { flags: '--access-key-id <id>', description: 'which account owns this access key id (GetAccessKeyInfo)', early: true },
];

/**
 * Where an MFA code comes from, on every command that may need one (assume, session-token, whoami,
 * decode, endpoint --check, exec, console); the order is input/mfa-prompt.ts's mfaCodeFrom.
 */
export const MFA_FLAGS: readonly FlagDeclaration[] = [
  { flags: '--token-code <code>', description: 'six-digit MFA code (instead of asking)' },
  { flags: '--mfa-process <command>', description: 'a command that prints the six-digit MFA code, run without a shell (default: mfa_process of the profile)' },
  { flags: '--prompt <how>', description: `where to ask for the MFA code: ${MFA_PROMPTS.join(', ')} (default: $STSX_MFA_PROMPT, else mfa_prompt, else the terminal)`, parse: parseMfaPrompt },
];

/**
 * The AssumeRole parameters, the same for every command that assumes a role (assume, exec);
 * `roleArnHelp` says what --role-arn means for that command, `roleArnRepeatable` lets it be
 * given twice (assume --web-identity: the second role is assumed from the first).
 */
export function roleFlags(roleArnHelp: string, roleArnRepeatable = false): FlagDeclaration[] {
  const twice = (value: string, previous: unknown): string | string[] => (previous === undefined ? value : [previous as string | string[], value].flat());
  return [
    { flags: '--role-arn <arn>', description: roleArnHelp, early: true, ...(roleArnRepeatable ? { parse: twice } : {}) },
    // The rest from the one table of role flags (assume/role-flags.ts); where the MFA code comes from, as every MFA command declares it.
    ...ROLE_FLAGS.flatMap((f): FlagDeclaration[] => (f.key === 'tokenCode' ? [...MFA_FLAGS] : [{ flags: f.option, description: f.help, ...(f.repeatable ? { parse: collect } : {}), ...(f.early ? { early: true as const } : {}) }])),
  ];
}

/** The credential cache's flags, the same wherever a command caches what it obtains. */
export function cacheFlags(minTtlMore = ''): FlagDeclaration[] {
  return [
    { flags: '--no-cache', description: 'neither read nor write the credential cache' },
    { flags: '--refresh', description: 'ignore a cached answer and ask STS again (the new answer is cached)' },
    { flags: '--min-ttl <time>', description: `reuse a cached answer only while this much time remains${minTtlMore} (default 5m)`, early: true },
  ];
}

/** --format and its alias --shell: the format name or an alias, parsed once by parseFormat. */
export function formatFlags(formatHelp: string): FlagDeclaration[] {
  return [
    { flags: '--format <format>', description: formatHelp, parse: parseFormat, early: true },
    { flags: '--shell <format>', description: 'same as --format', parse: parseFormat, early: true },
  ];
}

/** Which credentials may be printed and where they go: a shell's lines, or a section of the credentials file (assume, session-token). */
export function deliveryFlags(formatHelp: string): FlagDeclaration[] {
  return [
    { flags: '--allowed-account-id <id>', description: 'refuse to print credentials of any other account (repeatable)', parse: collect },
    ...formatFlags(formatHelp),
    { flags: '--write-profile <name>', description: 'write the credentials as [name] of the shared credentials file instead of printing them' },
    { flags: '--force', description: 'with --write-profile: replace a section that holds long-term keys or other settings' },
  ];
}

/** The long name of a declaration (`--endpoint-url`) and the key commander stores its value under (`endpointUrl`). */
export function flagNames(declaration: FlagDeclaration): { long: string; key: string } {
  const long = declaration.flags.split(/[ ,]/)[0] ?? declaration.flags;
  const key = long.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  return { long, key };
}
