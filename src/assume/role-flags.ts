// The AssumeRole flags of `stsx assume` and `stsx exec`, declared once: cli.ts declares them to
// commander from this table, the early cache hit (src/early-cache-hit.ts) takes the plain ones,
// exec refuses them without a role, and a web identity refuses the ones its first role cannot
// take. A new role flag is a row here, a field and its check in plan.ts, and a request field in
// issue/assume-role.ts (docs/development.md, "Adding a role flag").
import type { AssumeFlags } from './plan.ts';

export interface RoleFlag {
  /** The option as commander declares it: `--external-id <id>`. */
  option: string;
  /** The options key commander gives its value. */
  key: Exclude<keyof AssumeFlags, 'roleArn'>;
  help: string;
  /** Given again, the values are collected into a list. */
  repeatable?: true;
  /**
   * A plain value the early cache hit may take: it changes the cache key and nothing else (no
   * prompt, no file or stdin read, no list).
   */
  early?: true;
  /** AssumeRole only: AssumeRoleWithWebIdentity does not take it (only a second --role-arn does). */
  assumeRoleOnly?: true;
}

export const ROLE_FLAGS: readonly RoleFlag[] = [
  { option: '--role-session-name <name>', key: 'roleSessionName', help: 'session name (default: role_session_name, else stsx-<user>-<unix time>)', early: true },
  { option: '--duration <time>', key: 'duration', help: 'session length: seconds or 15m, 1h, 1h30m, 12h (default: duration_seconds, else 1h)', early: true },
  { option: '--external-id <id>', key: 'externalId', help: 'external id required by the role (default: external_id)', early: true, assumeRoleOnly: true },
  { option: '--mfa-serial <serial>', key: 'mfaSerial', help: 'MFA device serial or ARN (default: mfa_serial); the code comes from --token-code, mfa_process, a --prompt or the terminal' },
  { option: '--token-code <code>', key: 'tokenCode', help: 'six-digit MFA code (instead of the prompt)' },
  { option: '--policy <json>', key: 'policy', help: 'inline session policy: JSON, file://path, or - for stdin' },
  { option: '--policy-arn <arn>', key: 'policyArn', help: 'managed session policy ARN (repeatable)', repeatable: true },
  { option: '--tag <Key=Value>', key: 'tag', help: 'session tag (repeatable)', repeatable: true, assumeRoleOnly: true },
  { option: '--transitive-tag-key <key>', key: 'transitiveTagKey', help: 'session tag that passes on to chained roles (repeatable)', repeatable: true, assumeRoleOnly: true },
  { option: '--source-identity <name>', key: 'sourceIdentity', help: 'source identity to set on the session', assumeRoleOnly: true },
];

/** `--external-id` of `--external-id <id>`. */
export function flagName(flag: RoleFlag): string {
  return flag.option.split(' ')[0] ?? flag.option;
}
