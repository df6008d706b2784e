// Where a command's credentials come from: one strategy per kind (static keys, the environment, a
// role chain, an instance or container role, SSO, a credential_process, web identity), chosen in
// one function, chooseSource(), as aws-vault picks one provider per profile kind. Each kind knows
// how to describe itself in messages, its cache identity and whether it is a role session. Pure
// data from config and environment: no SDK, no network (a cache hit needs only the identity). The
// providers themselves are in providers.ts.
import { parseOwnLine } from '../keys/own-line.ts';
import { fingerprint } from '../cache/cache-key.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import type { Env } from '../deps.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import type { ConfigFiles } from '../config/config-files.ts';
import { hasStaticKeys, profileHasCredentials, readProfile, type Profile } from '../config/profile.ts';
import { ConfigError } from '../errors.ts';
import { printable } from './process-provider.ts';

const CREDENTIAL_SOURCES = ['Ec2InstanceMetadata', 'EcsContainer', 'Environment'] as const;
type CredentialSourceName = (typeof CREDENTIAL_SOURCES)[number];

interface RoleHop {
  roleArn: string;
  sessionName?: string | undefined;
  externalId?: string | undefined;
  mfaSerial?: string | undefined;
  durationSeconds?: number | undefined;
}

export type CredentialSource =
  | { kind: 'keys'; profile: string; file: string | undefined; accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }
  | { kind: 'environment'; accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined; expiration?: string | undefined }
  | { kind: 'role-chain'; profile: string; hop: RoleHop; source: CredentialSource }
  /** ambient: nothing was configured, so the instance role is the last place looked (as in the SDK). */
  | { kind: 'instance-role'; ambient?: { profile: string } | undefined }
  | { kind: 'container-role' }
  /** missing: settings GetRoleCredentials needs that the profile lacks (a login cannot add them). */
  | { kind: 'sso'; profile: string; accountId?: string | undefined; roleName?: string | undefined; missing?: MissingSetting[] | undefined }
  | { kind: 'process'; profile: string; commandLine: string }
  /** stsx's own `credential_process = stsx keys get NAME` line: the store is read directly. */
  | { kind: 'stored-keys'; profile: string; storeProfile: string; backend: 'keyring' | 'file' }
  | { kind: 'web-identity'; profile: string | undefined; roleArn: string; tokenFile: string; sessionName?: string | undefined }
  /** login_session (console credentials): left to the SDK's profile provider. */
  | { kind: 'console-login'; profile: string }
  | { kind: 'none'; profile: string; explicit: boolean };

/** A setting a source needs and the section (`[profile x]`, `[sso-session y]`) that lacks it. */
interface MissingSetting {
  key: string;
  section: string;
}

const CHAIN_ENV = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_EC2_METADATA_SERVICE_ENDPOINT'];

/** What a command decided, with a note for the person when environment keys were passed over. */
export interface SourceChoice {
  source: CredentialSource;
  note?: string | undefined;
}

/**
 * The one place that decides where credentials come from. Environment keys win for the implicit
 * `default` profile and for a chosen profile that has no credentials of its own (a stale
 * AWS_PROFILE that only sets a region); a chosen profile with credentials wins over them, as in
 * the AWS CLI.
 */
export function chooseSource(settings: Pick<LocalSettings, 'files' | 'profile' | 'profileName'>, env: Env): SourceChoice {
  const { profile, profileName } = settings;
  const envSource = environmentSource(env);
  if (envSource && environmentKeysWin(settings, env)) return { source: envSource };
  if (profileHasCredentials(profile)) {
    const source = sourceForProfile(settings.files, profile, env);
    return { source, note: passedOverNote(settings, source, env) };
  }
  return { source: ambientSource(env, profile.name, profileName.explicit) };
}

/**
 * The rule above on its own: whether keys in the environment stand for the profile, so that
 * nothing of its own (keys, role_arn, SSO...) is used. A command that takes a role from the
 * profile asks this first (`stsx exec` with an implicit default that is a role).
 */
export function environmentKeysWin(settings: Pick<LocalSettings, 'profile' | 'profileName'>, env: Env): boolean {
  return environmentSource(env) !== undefined && (!settings.profileName.explicit || !profileHasCredentials(settings.profile));
}

/** The role a profile names, from its own source (role_arn + source_profile / credential_source). */
export function chooseRoleSource(settings: Pick<LocalSettings, 'files' | 'profile' | 'profileName'>, env: Env): SourceChoice {
  const source = roleSource(settings.files, settings.profile, env);
  return { source, note: passedOverNote(settings, source, env) };
}

/** Said once on stderr when a chosen profile wins over keys in the environment (as in the AWS CLI). */
function passedOverNote(settings: Pick<LocalSettings, 'profile' | 'profileName'>, source: CredentialSource, env: Env): string | undefined {
  if (!settings.profileName.explicit || !environmentSource(env) || usesEnvironment(source)) return undefined;
  return `using profile "${settings.profile.name}"; the keys in the environment (AWS_ACCESS_KEY_ID) are not used`;
}

function usesEnvironment(source: CredentialSource): boolean {
  return source.kind === 'environment' || (source.kind === 'role-chain' && usesEnvironment(source.source));
}

/** A named credential_source of a role profile. */
function credentialSourceFor(name: CredentialSourceName, env: Env, profile: string): CredentialSource {
  if (name === 'Environment') return environmentSource(env) ?? { kind: 'none', profile, explicit: true };
  return name === 'Ec2InstanceMetadata' ? { kind: 'instance-role' } : { kind: 'container-role' };
}

function parseCredentialSource(profile: Profile): CredentialSourceName | undefined {
  const raw = profile.settings.credential_source;
  if (raw === undefined) return undefined;
  const name = CREDENTIAL_SOURCES.find((s) => s.toLowerCase() === raw.toLowerCase());
  if (!name) throw new ConfigError(`profile "${profile.name}" has credential_source = ${printable(raw)}`, { hint: `use one of ${CREDENTIAL_SOURCES.join(', ')}` });
  return name;
}

/**
 * The profiles a source_profile walk came through, newest first: a list that each hop extends
 * without copying (a listing walks 5,000 chains).
 */
interface Trail {
  name: string;
  previous: Trail | undefined;
}

function onTrail(trail: Trail | undefined, name: string): boolean {
  for (let t = trail; t; t = t.previous) if (t.name === name) return true;
  return false;
}

function trailNames(trail: Trail | undefined): string[] {
  const names: string[] = [];
  for (let t = trail; t; t = t.previous) names.unshift(t.name);
  return names;
}

/** A profile's own credentials, following source_profile hops (loops are refused). */
export function sourceForProfile(files: ConfigFiles, profile: Profile, env: Env, trail?: Trail): CredentialSource {
  const s = profile.settings;
  if (hasStaticKeys(profile)) {
    return { kind: 'keys', profile: profile.name, file: profile.keyFiles.aws_access_key_id, accessKeyId: s.aws_access_key_id ?? '', secretAccessKey: s.aws_secret_access_key ?? '', sessionToken: s.aws_session_token };
  }
  if (isWebIdentityProfile(profile)) {
    return { kind: 'web-identity', profile: profile.name, roleArn: s.role_arn ?? '', tokenFile: s.web_identity_token_file ?? '', sessionName: s.role_session_name };
  }
  if (s.role_arn !== undefined && (s.source_profile !== undefined || s.credential_source !== undefined)) {
    return { kind: 'role-chain', profile: profile.name, hop: roleHop(profile), source: roleSource(files, profile, env, trail) };
  }
  if (s.sso_session !== undefined || s.sso_start_url !== undefined || s.sso_account_id !== undefined) {
    const missing = missingSsoSettings(files, profile);
    return { kind: 'sso', profile: profile.name, accountId: s.sso_account_id, roleName: s.sso_role_name, ...(missing.length > 0 ? { missing } : {}) };
  }
  if (s.credential_process !== undefined) {
    const own = parseOwnLine(s.credential_process);
    if (own) return { kind: 'stored-keys', profile: profile.name, storeProfile: own.profile, backend: own.backend ?? 'keyring' };
    return { kind: 'process', profile: profile.name, commandLine: s.credential_process };
  }
  if (s.login_session !== undefined) return { kind: 'console-login', profile: profile.name };
  if (s.role_arn !== undefined) {
    throw new ConfigError(`profile "${profile.name}" has role_arn but neither source_profile nor credential_source`, {
      hint: 'add source_profile = <profile with keys> or credential_source = Ec2InstanceMetadata (or web_identity_token_file = <token file>)',
    });
  }
  // Settings that only mean something for a role: without role_arn there is no role to use them for.
  const roleKeys = ROLE_ONLY_KEYS.filter((key) => s[key] !== undefined);
  if (roleKeys.length > 0) {
    throw new ConfigError(`profile "${profile.name}" has ${roleKeys.join(' and ')} but no role_arn`, {
      hint: `add role_arn = arn:aws:iam::<account>:role/<name> to profile "${profile.name}" (the role ${roleKeys.includes('web_identity_token_file') ? 'the token is for' : 'to assume'})`,
    });
  }
  return { kind: 'none', profile: profile.name, explicit: true };
}

const ROLE_ONLY_KEYS = ['web_identity_token_file', 'source_profile', 'credential_source'] as const;

/**
 * A profile of its own web identity role (role_arn + web_identity_token_file), as every SDK reads
 * it: AssumeRoleWithWebIdentity with the token file is its credentials, not a role on top of them.
 */
export function isWebIdentityProfile(profile: Profile): boolean {
  return !hasStaticKeys(profile) && profile.settings.role_arn !== undefined && profile.settings.web_identity_token_file !== undefined;
}

/**
 * What GetRoleCredentials needs that an SSO profile lacks: its own settings, or its
 * [sso-session x] section's (whose absence is refused where the profile is read).
 */
function missingSsoSettings(files: ConfigFiles, profile: Profile): MissingSetting[] {
  const s = profile.settings;
  const blank = (value: string | undefined): boolean => value === undefined || value === '';
  const own = (s.sso_session !== undefined ? ['sso_account_id', 'sso_role_name'] : ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'])
    .filter((key) => blank(s[key]))
    .map((key) => ({ key, section: `[profile ${profile.name}]` }));
  if (s.sso_session === undefined) return own;
  const section = files.config.get(`sso-session.${s.sso_session}`);
  if (section === undefined) return own;
  return [...own, ...['sso_start_url', 'sso_region'].filter((key) => blank(section[key]) && blank(s[key])).map((key) => ({ key, section: `[sso-session ${s.sso_session ?? ''}]` }))];
}

/** Where a role profile's source credentials come from: its credential_source or its source_profile. */
function roleSource(files: ConfigFiles, profile: Profile, env: Env, trail?: Trail): CredentialSource {
  const { source_profile: sourceProfile } = profile.settings;
  const credentialSource = parseCredentialSource(profile);
  if (sourceProfile !== undefined && credentialSource !== undefined) {
    throw new ConfigError(`profile "${profile.name}" has both source_profile and credential_source`, { hint: 'keep one of them' });
  }
  if (credentialSource !== undefined) return credentialSourceFor(credentialSource, env, profile.name);
  if (sourceProfile === undefined) {
    throw new ConfigError(`profile "${profile.name}" has role_arn but neither source_profile nor credential_source`, {
      hint: 'add source_profile = <profile with keys> or credential_source = Ec2InstanceMetadata',
    });
  }
  const visited: Trail = { name: profile.name, previous: trail };
  // A profile naming itself with static keys is the AWS CLI's "keys for this role" shape.
  if (onTrail(visited, sourceProfile) && !(sourceProfile === profile.name && hasStaticKeys(profile))) {
    throw new ConfigError(`source_profile loop: ${[...trailNames(visited), sourceProfile].join(' -> ')}`, {
      hint: 'one profile in the chain must end it with keys, credential_source, SSO or credential_process',
    });
  }
  const next = readProfile(files, sourceProfile);
  if (!next.exists) {
    throw new ConfigError(`profile "${profile.name}" names source_profile "${sourceProfile}", which is not in ${files.paths.config} or ${files.paths.credentials}`, {
      hint: `add a [profile ${sourceProfile}] section or fix source_profile`,
    });
  }
  return sourceForProfile(files, next, env, visited);
}

function roleHop(profile: Profile): RoleHop {
  const s = profile.settings;
  const duration = s.duration_seconds !== undefined && /^\d+$/.test(s.duration_seconds) ? Number(s.duration_seconds) : undefined;
  return { roleArn: s.role_arn ?? '', sessionName: s.role_session_name, externalId: s.external_id, mfaSerial: s.mfa_serial, durationSeconds: duration };
}

function environmentSource(env: Env): CredentialSource | undefined {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    kind: 'environment',
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    sessionToken: env.AWS_SESSION_TOKEN || undefined,
    expiration: env.AWS_CREDENTIAL_EXPIRATION || undefined,
  };
}

/** Nothing configured: web identity or container from the environment, else the instance role. */
function ambientSource(env: Env, profile: string, explicit: boolean): CredentialSource {
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    return { kind: 'web-identity', profile: undefined, roleArn: env.AWS_ROLE_ARN, tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE, sessionName: env.AWS_ROLE_SESSION_NAME };
  }
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return { kind: 'container-role' };
  if ((env.AWS_EC2_METADATA_DISABLED ?? '').toLowerCase() === 'true') return { kind: 'none', profile, explicit };
  return { kind: 'instance-role', ambient: { profile } };
}

/** Whether the credentials are themselves a role session (role chaining: 1 h at most). */
export function isRoleSession(source: CredentialSource): boolean | 'unknown' {
  switch (source.kind) {
    case 'role-chain':
    case 'instance-role':
    case 'container-role':
    case 'web-identity':
      return true;
    case 'keys':
      return source.sessionToken ? 'unknown' : false;
    case 'stored-keys':
      return false;
    case 'environment':
      return source.sessionToken ? 'unknown' : false;
    case 'sso':
    case 'process':
    case 'console-login':
    case 'none':
      return 'unknown';
  }
}

/**
 * Who the credentials belong to, for the cache key: a different source user must never get
 * another user's cached role. Keys are their access key id; everything else is the profile chain's
 * settings plus the environment that steers it.
 */
export function cacheIdentity(source: CredentialSource, settings: Pick<LocalSettings, 'chain' | 'profile'>, env: Env): string {
  const print = (): string => fingerprint({ chain: settings.chain.map((p) => p.settings), source: sourceShape(source), env: Object.fromEntries(CHAIN_ENV.map((k) => [k, env[k]])) });
  switch (source.kind) {
    case 'keys':
    case 'environment':
      return `key:${source.accessKeyId}`;
    case 'none':
      return 'none';
    default:
      return `${source.kind}:${'profile' in source && source.profile !== undefined ? source.profile : ''}:${print()}`;
  }
}

/** The source without secrets, for fingerprints and --debug. */
export function sourceShape(source: CredentialSource): unknown {
  switch (source.kind) {
    case 'keys':
      return { kind: source.kind, profile: source.profile, accessKeyId: maskAccessKeyId(source.accessKeyId) };
    case 'environment':
      return { kind: source.kind, accessKeyId: maskAccessKeyId(source.accessKeyId), expiration: source.expiration };
    case 'role-chain':
      return { kind: source.kind, profile: source.profile, roleArn: source.hop.roleArn, source: sourceShape(source.source) };
    case 'sso':
      // The profile's settings are in the chain's fingerprint already.
      return { kind: source.kind, profile: source.profile };
    default:
      return source;
  }
}

/** The real source, for messages: "the environment (AWS_ACCESS_KEY_ID ASIA...)", "the credential_process of profile "x"". */
export function describeSource(source: CredentialSource): string {
  switch (source.kind) {
    case 'keys':
      return `the keys of profile "${source.profile}"${source.file ? ` (${source.file})` : ''}`;
    case 'stored-keys':
      return `the keys of profile "${source.profile}" in the ${source.backend === 'file' ? 'encrypted keys file' : 'OS keyring'} (stsx keys)`;
    case 'environment':
      return `the credentials in the environment (AWS_ACCESS_KEY_ID ${maskAccessKeyId(source.accessKeyId)})`;
    case 'role-chain':
      return `role ${source.hop.roleArn} of profile "${source.profile}" (from ${describeSource(source.source)})`;
    case 'instance-role':
      return 'the EC2 instance role (instance metadata)';
    case 'container-role':
      return 'the container role (ECS/EKS credentials endpoint)';
    case 'sso':
      return `the SSO session of profile "${source.profile}"`;
    case 'process':
      return `the credential_process of profile "${source.profile}"`;
    case 'web-identity':
      return `web identity for ${source.roleArn}${source.profile ? ` (profile "${source.profile}")` : ' (AWS_WEB_IDENTITY_TOKEN_FILE)'}`;
    case 'console-login':
      return `the console login session of profile "${source.profile}"`;
    case 'none':
      return `profile "${source.profile}"`;
  }
}
