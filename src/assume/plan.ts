// What `stsx assume` will do, as data a test can inspect without a network: which role, with which
// parameters, and where the source credentials come from.
import { ConfigError, UsageError } from '../errors.ts';
import type { LocalSettings as ResolvedSettings } from '../settings/resolve-settings.ts';
import { hasStaticKeys, readProfile } from '../config/profile.ts';
import {
  checkExternalId, checkMfaSerial, checkPolicyArns, checkRoleArn, checkSessionName, checkSourceIdentity, checkTokenCode,
  defaultSessionName, parseDuration, parseTags, type Tag,
} from './validate.ts';

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

export const CREDENTIAL_SOURCES = ['Ec2InstanceMetadata', 'EcsContainer', 'Environment'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export type SourcePlan =
  /** The selected profile's own credentials through the SDK's default chain. */
  | { kind: 'profile-chain'; profile: string | undefined }
  /** The role profile's source_profile (itself keys, a role, SSO or credential_process). */
  | { kind: 'source-profile'; profile: string }
  | { kind: 'credential-source'; source: CredentialSource };

export interface AssumePlan {
  roleArn: string;
  sessionName: string;
  /** False when stsx made the name up (it then stays out of the cache key). */
  sessionNameGiven: boolean;
  durationSeconds: number;
  externalId?: string | undefined;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  policy?: string | undefined;
  policyArns: string[];
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string | undefined;
  source: SourcePlan;
  /** Whether the source credentials are themselves a role session (role chaining: 1 h at most). */
  chained: boolean | 'unknown';
}

export function planAssume(flags: AssumeFlags, settings: ResolvedSettings, ctx: { user: string; now: Date }): AssumePlan {
  const profile = settings.profile.settings;
  const roleFromProfile = flags.roleArn === undefined && profile.role_arn !== undefined;
  const roleArn = flags.roleArn !== undefined ? checkRoleArn(flags.roleArn) : profile.role_arn ? checkRoleArn(profile.role_arn, `role_arn in profile "${settings.profile.name}"`) : undefined;
  if (!roleArn) {
    throw new UsageError('no role to assume', { hint: 'pass --role-arn arn:aws:iam::<account>:role/<name>, or --profile with a role_arn' });
  }
  // Profile defaults apply to the profile's own role, or to a profile that has no role of its own.
  const useProfileDefaults = roleFromProfile || profile.role_arn === undefined;
  const fromProfile = (key: string): string | undefined => (useProfileDefaults ? profile[key] : undefined);

  const sessionNameRaw = flags.roleSessionName ?? fromProfile('role_session_name');
  const sessionName = sessionNameRaw !== undefined ? checkSessionName(sessionNameRaw, flags.roleSessionName !== undefined ? '--role-session-name' : 'role_session_name') : defaultSessionName(ctx.user, ctx.now);
  const durationRaw = flags.duration ?? fromProfile('duration_seconds');
  const durationSeconds = durationRaw !== undefined ? parseDuration(durationRaw, flags.duration !== undefined ? '--duration' : 'duration_seconds', 900, 43200) : 3600;
  const externalIdRaw = flags.externalId ?? fromProfile('external_id');
  const mfaSerialRaw = flags.mfaSerial ?? fromProfile('mfa_serial');
  if (flags.tokenCode !== undefined && mfaSerialRaw === undefined) {
    throw new UsageError('--token-code needs an MFA device', { hint: 'pass --mfa-serial, or set mfa_serial in the profile' });
  }
  const { tags, transitive } = parseTags(flags.tag ?? [], flags.transitiveTagKey ?? []);
  const source = planSource(settings, roleFromProfile);
  return {
    roleArn,
    sessionName,
    sessionNameGiven: sessionNameRaw !== undefined,
    durationSeconds,
    externalId: externalIdRaw !== undefined ? checkExternalId(externalIdRaw) : undefined,
    mfaSerial: mfaSerialRaw !== undefined ? checkMfaSerial(mfaSerialRaw, flags.mfaSerial !== undefined ? '--mfa-serial' : 'mfa_serial') : undefined,
    tokenCode: flags.tokenCode !== undefined ? checkTokenCode(flags.tokenCode) : undefined,
    policy: flags.policy,
    policyArns: checkPolicyArns(flags.policyArn ?? []),
    tags,
    transitiveTagKeys: transitive,
    sourceIdentity: flags.sourceIdentity !== undefined ? checkSourceIdentity(flags.sourceIdentity) : undefined,
    source,
    chained: isChained(source, settings),
  };
}

function planSource(settings: ResolvedSettings, roleFromProfile: boolean): SourcePlan {
  const profile = settings.profile;
  if (!roleFromProfile) return { kind: 'profile-chain', profile: settings.profileName.explicit ? profile.name : undefined };
  const { source_profile: sourceProfile, credential_source: credentialSource } = profile.settings;
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw new ConfigError(`profile "${profile.name}" has both source_profile and credential_source`, { hint: 'keep one of them' });
  }
  if (credentialSource !== undefined) {
    const source = CREDENTIAL_SOURCES.find((s) => s.toLowerCase() === credentialSource.toLowerCase());
    if (!source) {
      throw new ConfigError(`profile "${profile.name}" has credential_source = ${credentialSource}`, { hint: `use one of ${CREDENTIAL_SOURCES.join(', ')}` });
    }
    return { kind: 'credential-source', source };
  }
  if (sourceProfile !== undefined) return { kind: 'source-profile', profile: sourceProfile };
  throw new ConfigError(`profile "${profile.name}" has role_arn but neither source_profile nor credential_source`, {
    hint: 'add source_profile = <profile with keys> or credential_source = Ec2InstanceMetadata',
  });
}

function isChained(source: SourcePlan, settings: ResolvedSettings): boolean | 'unknown' {
  switch (source.kind) {
    case 'credential-source':
      // Instance and task roles are role sessions; environment keys may be anything.
      return source.source === 'Environment' ? 'unknown' : true;
    case 'source-profile': {
      const p = readProfile(settings.files, source.profile);
      return p.settings.role_arn !== undefined && !hasStaticKeys(p) ? true : hasStaticKeys(p) ? false : 'unknown';
    }
    case 'profile-chain': {
      const p = settings.profile;
      if (p.settings.role_arn !== undefined && !hasStaticKeys(p)) return true;
      return hasStaticKeys(p) ? false : 'unknown';
    }
  }
}
