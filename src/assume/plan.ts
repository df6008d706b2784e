// What `stsx assume` will do, as data a test can inspect without a network: which role, with which
// parameters, and where the source credentials come from.
import { UsageError } from '../errors.ts';
import { misspeltKeysLine } from '../config/known-keys.ts';
import type { LocalSettings as ResolvedSettings } from '../settings/resolve-settings.ts';
import type { Env } from '../deps.ts';
import { chooseRoleSource, chooseSource, environmentKeysWin, isRoleSession, type CredentialSource } from '../credentials/source.ts';
import {
  checkExternalId, checkMfaSerial, checkPolicyArns, checkRoleArn, checkSessionName, checkSourceIdentity, checkTokenCode,
  parseDuration, parseTags, type Tag,
} from '../names/validate.ts';
import { defaultSessionName } from '../issue/session-name.ts';

export interface AssumeFlags {
  roleArn?: string | undefined;
  roleSessionName?: string | undefined;
  duration?: string | undefined;
  externalId?: string | undefined;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  /** Already read from file:// and checked (see checkPolicy). */
  policy?: string | undefined;
  policyArn?: string[] | undefined;
  tag?: string[] | undefined;
  transitiveTagKey?: string[] | undefined;
  sourceIdentity?: string | undefined;
}

/** The AssumeRole parameters beyond the role, its session name, duration and MFA, checked. */
export interface RoleParameters {
  externalId?: string | undefined;
  policy?: string | undefined;
  policyArns: string[];
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string | undefined;
}

export interface AssumePlan extends RoleParameters {
  roleArn: string;
  sessionName: string;
  /** False when stsx made the name up (it then stays out of the cache key). */
  sessionNameGiven: boolean;
  durationSeconds: number;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  /** Where the source credentials come from (the one chooser in credentials/source.ts). */
  source: CredentialSource;
  /** What was decided about environment keys, for the person (stderr). */
  sourceNote?: string | undefined;
  /** Whether the source credentials are themselves a role session (role chaining: 1 h at most). */
  chained: boolean | 'unknown';
}

export function planAssume(flags: AssumeFlags, settings: ResolvedSettings, ctx: { user: string; now: Date; env?: Env | undefined }): AssumePlan {
  const profile = settings.profile.settings;
  // Keys in the environment stand for the implicit default profile, whose role is then not
  // assumed: the one rule of credentials/source.ts, which every command applies.
  const envKeysWin = environmentKeysWin(settings, ctx.env ?? {});
  const profileRole = envKeysWin ? undefined : profile.role_arn;
  const roleFromProfile = flags.roleArn === undefined && profileRole !== undefined;
  const roleArn = flags.roleArn !== undefined ? checkRoleArn(flags.roleArn) : profileRole ? checkRoleArn(profileRole, `role_arn in profile "${settings.profile.name}"`) : undefined;
  if (!roleArn) {
    const misspelt = misspeltKeysLine(profile);
    const hint = envKeysWin && profile.role_arn !== undefined
      ? `the keys in the environment (AWS_ACCESS_KEY_ID) stand for the implicit default profile, so its role_arn is not assumed: pass --profile ${settings.profile.name} to assume it, or --role-arn`
      : misspelt !== undefined ? `profile ${JSON.stringify(settings.profile.name)}: ${misspelt}` : 'pass --role-arn arn:aws:iam::<account>:role/<name>, or --profile with a role_arn';
    throw new UsageError('no role to assume', { hint });
  }
  // Profile defaults apply to the profile's own role, or to a profile that has no role of its own.
  const useProfileDefaults = roleFromProfile || profileRole === undefined;
  const fromProfile = (key: string): string | undefined => (useProfileDefaults ? profile[key] : undefined);

  const sessionNameRaw = flags.roleSessionName ?? fromProfile('role_session_name');
  const sessionName = sessionNameRaw !== undefined ? checkSessionName(sessionNameRaw, flags.roleSessionName !== undefined ? '--role-session-name' : 'role_session_name') : defaultSessionName(ctx.user, ctx.now);
  const durationRaw = flags.duration ?? fromProfile('duration_seconds');
  const durationSeconds = durationRaw !== undefined ? parseDuration(durationRaw, flags.duration !== undefined ? '--duration' : 'duration_seconds', 900, 43200) : 3600;
  const mfaSerialRaw = flags.mfaSerial ?? fromProfile('mfa_serial');
  if (flags.tokenCode !== undefined && mfaSerialRaw === undefined) {
    throw new UsageError('--token-code needs an MFA device', { hint: 'pass --mfa-serial, or set mfa_serial in the profile' });
  }
  // The profile's own role: its source_profile or credential_source; any other role: the profile's credentials.
  const choice = roleFromProfile ? chooseRoleSource(settings, ctx.env ?? {}) : chooseSource(settings, ctx.env ?? {});
  return {
    roleArn,
    sessionName,
    sessionNameGiven: sessionNameRaw !== undefined,
    durationSeconds,
    ...checkRoleParameters(flags, fromProfile),
    mfaSerial: mfaSerialRaw !== undefined ? checkMfaSerial(mfaSerialRaw, flags.mfaSerial !== undefined ? '--mfa-serial' : 'mfa_serial') : undefined,
    tokenCode: flags.tokenCode !== undefined ? checkTokenCode(flags.tokenCode) : undefined,
    source: choice.source,
    sourceNote: choice.note,
    chained: isRoleSession(choice.source),
  };
}

/**
 * The role parameters of the flags (and, for a profile's own role, of the profile), checked: the
 * same for `stsx assume` and the second role of a web identity.
 */
export function checkRoleParameters(flags: AssumeFlags, fromProfile: (key: string) => string | undefined = () => undefined): RoleParameters {
  const externalIdRaw = flags.externalId ?? fromProfile('external_id');
  const { tags, transitive } = parseTags(flags.tag ?? [], flags.transitiveTagKey ?? []);
  return {
    externalId: externalIdRaw !== undefined ? checkExternalId(externalIdRaw) : undefined,
    policy: flags.policy,
    policyArns: checkPolicyArns(flags.policyArn ?? []),
    tags,
    transitiveTagKeys: transitive,
    sourceIdentity: flags.sourceIdentity !== undefined ? checkSourceIdentity(flags.sourceIdentity) : undefined,
  };
}
