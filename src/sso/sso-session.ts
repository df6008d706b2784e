// Which Identity Center session a profile (or an `[sso-session x]` section) logs in to, and the
// key of the token cache the AWS CLI and the SDKs share: the session's name for `sso_session`
// profiles, the start URL for legacy `sso_start_url` profiles (botocore `SSOTokenLoader`, the JS
// SDK's `getSSOTokenFilepath`).
import type { ConfigFiles } from '../config/config-files.ts';
import { readProfile } from '../config/profile.ts';
import { ConfigError } from '../errors.ts';

export interface SsoSession {
  /** What the token cache file is named after (sha1 of it). */
  cacheKey: string;
  /** The `[sso-session x]` name; undefined for a legacy profile. */
  sessionName: string | undefined;
  startUrl: string;
  /** Identity Center's region (`sso_region`), where the OIDC and portal endpoints are. */
  region: string;
  scopes: string[];
  /** For messages: `sso-session "x"` or `profile "p"`. */
  label: string;
  /** The profile the user named, if any: what a message tells them to log in with. */
  profile: string | undefined;
}

/** The default scope the AWS CLI registers with when `sso_registration_scopes` is not set. */
const DEFAULT_SCOPES = ['sso:account:access'];

export function ssoSessionOfProfile(files: ConfigFiles, profileName: string): SsoSession {
  const profile = readProfile(files, profileName);
  if (!profile.exists) throw new ConfigError(`profile "${profileName}" is not in ${files.paths.config}`, { hint: 'name a profile with sso_session or sso_start_url (`stsx profiles` lists them)' });
  const s = profile.settings;
  if (s.sso_session !== undefined) return ssoSessionNamed(files, s.sso_session, profileName);
  if (s.sso_start_url === undefined) {
    throw new ConfigError(`profile "${profileName}" has neither sso_session nor sso_start_url: there is nothing to log in to`, {
      hint: `add sso_session = <name> and an [sso-session <name>] section with sso_start_url and sso_region to ${files.paths.config}`,
    });
  }
  if (!s.sso_region) throw new ConfigError(`profile "${profileName}" has sso_start_url but no sso_region`, { hint: `add sso_region (the region of your Identity Center) to [profile ${profileName}]` });
  return { cacheKey: s.sso_start_url, sessionName: undefined, startUrl: s.sso_start_url, region: s.sso_region, scopes: DEFAULT_SCOPES, label: `profile "${profileName}"`, profile: profileName };
}

export function ssoSessionNamed(files: ConfigFiles, name: string, profile?: string): SsoSession {
  const section = files.config.get(`sso-session.${name}`);
  const where = profile === undefined ? '' : ` (named by profile "${profile}")`;
  if (section === undefined) {
    throw new ConfigError(`there is no [sso-session ${name}] section in ${files.paths.config}${where}`, { hint: `add [sso-session ${name}] with sso_start_url and sso_region` });
  }
  const startUrl = section.sso_start_url;
  const region = section.sso_region;
  if (!startUrl || !region) {
    const missing = [startUrl ? undefined : 'sso_start_url', region ? undefined : 'sso_region'].filter(Boolean).join(' and ');
    throw new ConfigError(`[sso-session ${name}] in ${files.paths.config} has no ${missing}`, { hint: `add ${missing} to [sso-session ${name}]` });
  }
  const scopes = section.sso_registration_scopes?.split(',').map((x) => x.trim()).filter((x) => x !== '');
  return { cacheKey: name, sessionName: name, startUrl, region, scopes: scopes && scopes.length > 0 ? scopes : DEFAULT_SCOPES, label: `sso-session "${name}"`, profile };
}

/** The token cache key a profile's credentials come from (its sso-session, or its start URL), or undefined for a profile that is not SSO. */
export function ssoCacheKeyOf(files: ConfigFiles, profileName: string): string | undefined {
  const s = readProfile(files, profileName).settings;
  return s.sso_session ?? s.sso_start_url;
}

/** Every `[sso-session x]` of the config file, for `stsx logout --all`. */
export function allSsoSessionNames(files: ConfigFiles): string[] {
  return [...(files.config.others?.().ssoSessions.keys() ?? [])].sort();
}

/** What to tell the user to run to log in to this session again. */
export function loginCommand(session: SsoSession): string {
  return session.profile !== undefined ? `stsx login --profile ${session.profile}` : `stsx login --sso-session ${session.sessionName ?? ''}`;
}
