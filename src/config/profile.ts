// Which profile is in play and what it says, following `source_profile` with loop detection.
// Raw INI sections and the resolved profile are different types (as in aws-vault).
import { ConfigError, UsageError } from '../errors.ts';
import type { Env } from '../deps.ts';
import type { ConfigFiles, IniSection } from './config-files.ts';
import { newSection } from './parse-ini.ts';

export type Origin =
  | { kind: 'flag'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'profile'; profile: string; key: string; file: string }
  | { kind: 'instance'; name: string }
  | { kind: 'default'; name: string };

export interface ProfileName {
  name: string;
  origin: Origin;
  /** True when the user chose it (flag or AWS_PROFILE), false for the implicit `default`. */
  explicit: boolean;
}

export interface Profile {
  name: string;
  /** Merged settings: credentials-file keys win over config-file keys, as in the SDK. Read only (it may be a file's own section). */
  readonly settings: IniSection;
  /** Which file each key came from. */
  readonly keyFiles: Record<string, string>;
  /** True if either file has a section for it. */
  exists: boolean;
}

/**
 * `--profile ""` is a mistake worth naming (exit 2). An empty AWS_PROFILE counts as unset, as the
 * AWS SDK and CLI treat it (`process.env.AWS_PROFILE || "default"`).
 */
export function resolveProfileName(flag: string | undefined, env: Env): ProfileName {
  if (flag === '') throw new UsageError('--profile is empty', { hint: 'name a profile, or leave out --profile to use AWS_PROFILE or default' });
  if (flag !== undefined) return { name: flag, origin: { kind: 'flag', name: '--profile' }, explicit: true };
  if (env.AWS_PROFILE) return { name: env.AWS_PROFILE, origin: { kind: 'env', name: 'AWS_PROFILE' }, explicit: true };
  return { name: 'default', origin: { kind: 'default', name: 'default' }, explicit: false };
}

// Each profile is merged once per loaded files: `stsx profiles` follows every chain of a
// 5,000-profile config, and each hop would otherwise merge its sections again.
const merged = new WeakMap<ConfigFiles, Map<string, Profile>>();

/** The profile `name` as both files define it (the same frozen object for the same files). */
export function readProfile(files: ConfigFiles, name: string): Profile {
  let known = merged.get(files);
  if (!known) merged.set(files, (known = new Map()));
  let profile = known.get(name);
  if (!profile) known.set(name, (profile = mergeProfile(files, name)));
  return profile;
}

function mergeProfile(files: ConfigFiles, name: string): Profile {
  return new MergedProfile(name, files.config.get(name), files.paths.config, files.credentials.get(name), files.paths.credentials);
}

/**
 * A profile as both files define it. One in a single file (nearly all) shares that file's section
 * rather than a copy: `stsx profiles` reads 5,000 of them, and the settings are only ever read.
 * Which file each key came from is asked for a few keys of the one profile a command uses, so it
 * is worked out when first read.
 */
class MergedProfile implements Profile {
  readonly name: string;
  readonly settings: IniSection;
  readonly exists: boolean;
  readonly #fromConfig: IniSection | undefined;
  readonly #configFile: string;
  readonly #fromCredentials: IniSection | undefined;
  readonly #credentialsFile: string;
  #keyFiles: Record<string, string> | undefined;

  constructor(name: string, fromConfig: IniSection | undefined, configFile: string, fromCredentials: IniSection | undefined, credentialsFile: string) {
    this.name = name;
    this.#fromConfig = fromConfig;
    this.#configFile = configFile;
    this.#fromCredentials = fromCredentials;
    this.#credentialsFile = credentialsFile;
    this.exists = fromConfig !== undefined || fromCredentials !== undefined;
    if (fromConfig === undefined || fromCredentials === undefined) {
      this.settings = fromCredentials ?? fromConfig ?? newSection();
    } else {
      // Credentials-file keys win, as in the SDK. for-in: sections inherit nothing (newSection).
      const settings = newSection();
      for (const key in fromConfig) settings[key] = fromConfig[key];
      for (const key in fromCredentials) settings[key] = fromCredentials[key];
      this.settings = settings;
    }
  }

  get keyFiles(): Record<string, string> {
    if (!this.#keyFiles) {
      const keyFiles = Object.create(null) as Record<string, string>;
      for (const key in this.#fromConfig) keyFiles[key] = this.#configFile;
      for (const key in this.#fromCredentials) keyFiles[key] = this.#credentialsFile;
      this.#keyFiles = keyFiles;
    }
    return this.#keyFiles;
  }
}

/** The selected profile; a named profile that does not exist is an error naming the files searched. */
export function selectProfile(files: ConfigFiles, profileName: ProfileName): Profile {
  const profile = readProfile(files, profileName.name);
  if (!profile.exists && profileName.explicit) {
    const known = listProfiles(files);
    throw new ConfigError(
      `profile "${profileName.name}" (from ${describeOrigin(profileName.origin)}) is not in ${files.paths.config} or ${files.paths.credentials}`,
      { hint: known.length > 0 ? `known profiles: ${known.join(', ')}` : 'no profiles are configured; run `aws configure` or set AWS_CONFIG_FILE' },
    );
  }
  return profile;
}

export function listProfiles(files: ConfigFiles): string[] {
  // The config file's profiles, then the credentials file's that the config file lacks.
  const names = files.config.names();
  const inConfig = new Set(names);
  for (const key of files.credentials.names()) if (!inConfig.has(key)) names.push(key);
  return names.sort();
}

/**
 * How many `source_profile` hops a chain may take. Real chains are two or three roles deep; a
 * limit keeps a hostile or generated config (thousands of profiles) from exhausting the stack of
 * the SDK's own recursive resolver, which follows the same chain after us.
 */
export const MAX_SOURCE_PROFILE_HOPS = 10;

/**
 * The profile followed by its `source_profile` chain. A profile with static keys ends the chain
 * (the SDK uses those keys even when it also has `role_arn`). Loops, dangling names, chains
 * longer than MAX_SOURCE_PROFILE_HOPS and an `sso_session` without its section are errors.
 */
export function sourceProfileChain(files: ConfigFiles, start: Profile): Profile[] {
  const chain: Profile[] = [];
  walkSourceProfileChain(files, start, (profile) => chain.push(profile));
  return chain;
}

/**
 * sourceProfileChain one profile at a time, with the same checks, and nothing allocated for the
 * chain itself: `stsx profiles` walks the chain of each of 5,000 profiles.
 */
export function walkSourceProfileChain(files: ConfigFiles, start: Profile, visit: (profile: Profile) => void): void {
  let current = start;
  let length = 1;
  checkSsoSession(files, start);
  visit(start);
  while (current.settings.source_profile && current.settings.role_arn && !hasStaticKeys(current)) {
    const next = current.settings.source_profile;
    if (length > MAX_SOURCE_PROFILE_HOPS) {
      throw new ConfigError(`the source_profile chain from profile "${start.name}" is longer than ${MAX_SOURCE_PROFILE_HOPS} hops; stopped at profile "${current.name}"`, {
        hint: `shorten the chain in ${files.paths.config}: let a profile nearer "${start.name}" use keys, credential_source, SSO or credential_process`,
      });
    }
    // A loop: `next` is one of the `length` profiles walked so far (a dozen at most, walked again).
    if (walkedSoFarHas(files, start, length, next)) {
      throw new ConfigError(`source_profile loop: ${[...walkedSoFar(files, start, length), next].join(' -> ')}`, {
        hint: `break the cycle in ${files.paths.config}: one profile in the chain must have keys, credential_source, SSO or credential_process`,
      });
    }
    const profile = readProfile(files, next);
    if (!profile.exists) {
      throw new ConfigError(`profile "${current.name}" names source_profile "${next}", which is not in ${files.paths.config} or ${files.paths.credentials}`, {
        hint: `add a [profile ${next}] section or fix source_profile`,
      });
    }
    checkSsoSession(files, profile);
    visit(profile);
    length += 1;
    current = profile;
  }
}

/** Whether `name` is one of the first `length` profiles of a chain already walked that far (a dozen at most). */
function walkedSoFarHas(files: ConfigFiles, start: Profile, length: number, name: string): boolean {
  for (let p = start, n = 1; p.name !== name; n += 1) {
    if (n === length) return false;
    p = readProfile(files, p.settings.source_profile ?? '');
  }
  return true;
}

/** Their names, for the message. */
function walkedSoFar(files: ConfigFiles, start: Profile, length: number): string[] {
  const names = [start.name];
  for (let p = start; names.length < length; names.push(p.name)) p = readProfile(files, p.settings.source_profile ?? '');
  return names;
}

/** A profile's `sso_session` must name an `[sso-session x]` section (the SDK crashes otherwise). */
function checkSsoSession(files: ConfigFiles, profile: Profile): void {
  const name = profile.settings.sso_session;
  if (name === undefined || files.config.get(`sso-session.${name}`) !== undefined) return;
  throw new ConfigError(`profile "${profile.name}" names sso_session "${name}", but there is no [sso-session ${name}] section in ${files.paths.config}`, {
    hint: `add the section (sso_start_url, sso_region) then \`stsx login --sso-session NAME\` and \`stsx sso populate\``,
  });
}

export function hasStaticKeys(profile: Profile): boolean {
  return Boolean(profile.settings.aws_access_key_id && profile.settings.aws_secret_access_key);
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'flag':
      return origin.name;
    case 'env':
      return `$${origin.name}`;
    case 'profile':
      return `${origin.key} in profile "${origin.profile}" (${origin.file})`;
    case 'instance':
      return `EC2 instance metadata (${origin.name})`;
    case 'default':
      return `default (${origin.name})`;
  }
}

const CREDENTIAL_KEYS = ['aws_access_key_id', 'role_arn', 'credential_process', 'credential_source', 'sso_session', 'sso_start_url', 'sso_account_id', 'web_identity_token_file', 'login_session'];

/** Whether a profile can produce credentials itself (keys, a role, SSO, a process, web identity). */
export function profileHasCredentials(profile: Profile): boolean {
  return CREDENTIAL_KEYS.some((key) => profile.settings[key] !== undefined);
}
