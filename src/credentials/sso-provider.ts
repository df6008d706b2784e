// The SSO (IAM Identity Center) source's own settings, checked before any token is looked at: a
// profile without sso_account_id or sso_role_name (or an [sso-session] without its start URL or
// region) is a configuration to finish, which no login fixes. The credentials themselves come from
// src/sso/ (token cache, refresh, login when allowed, GetRoleCredentials named by cause).
import { ConfigError } from '../errors.ts';
import type { CredentialSource } from './source.ts';

type SsoSource = Extract<CredentialSource, { kind: 'sso' }>;

export function checkSsoSettings(source: SsoSource): void {
  if (source.missing !== undefined && source.missing.length > 0) {
    const sections = [...new Set(source.missing.map((m) => m.section))];
    const lines = sections.map((section) => `${source.missing?.filter((m) => m.section === section).map((m) => `${m.key} = ...`).join(', ') ?? ''} to ${section}`);
    const own = `[profile ${source.profile}]`;
    const what = source.missing.map((m) => (m.section === own ? m.key : `${m.key} (in ${m.section})`)).join(', ');
    throw new ConfigError(`profile "${source.profile}" is an SSO profile without ${what}`, {
      hint: `add ${lines.join(' and ')} (stsx sso populate writes complete profiles); logging in does not add them`,
    });
  }
}
