// `stsx profiles` as data: one row per profile of the config and credentials files, classified by
// the one credential-source chooser (credentials/source.ts), with its source chain, region, MFA
// device and the cached session stsx holds for it. A profile the files get wrong (a source_profile
// loop, a missing sso-session) is a row with its error, never the end of the list.
import type { ConfigFiles } from '../config/config-files.ts';
import { listProfiles, readProfile, walkSourceProfileChain, type Profile } from '../config/profile.ts';
import { sourceForProfile, type CredentialSource } from '../credentials/source.ts';
import { ConfigError } from '../errors.ts';
import type { ListedEntry } from '../cache/credential-cache.ts';
import { accountFromArn } from '../cache/cache-entry.ts';

type ProfileKind = 'keys' | 'role' | 'sso' | 'process' | 'web-identity' | 'instance-role' | 'container-role' | 'environment' | 'console-login' | 'none';

export interface ProfileRow {
  name: string;
  kind: ProfileKind | 'error';
  roleArn?: string | undefined;
  /** The profile's sso_account_id; accountOf() gives the account a row shows. */
  ssoAccountId?: string | undefined;
  /** The profile, then each source it takes credentials from: ['dev', 'base'], ['ci', 'instance role']. */
  chain: string[];
  region?: string | undefined;
  mfaSerial?: string | undefined;
  /** The cached session of this profile (the latest to expire), if any. */
  cached?: ListedEntry | undefined;
  error?: { message: string; hint?: string | undefined } | undefined;
}

// A listing describes the files, not this shell: credential_source = Environment is shown as the
// environment whether or not keys happen to be exported right now (nothing is read from these).
const LISTING_ENV = { AWS_ACCESS_KEY_ID: 'listing', AWS_SECRET_ACCESS_KEY: 'listing' };

/** The account of a row: its role's, else its SSO account (worked out when shown: a table of 5,000 roles shows none). */
export function accountOf(row: ProfileRow): string | undefined {
  return accountFromArn(row.roleArn) ?? row.ssoAccountId;
}

export function profileRows(files: ConfigFiles, cached: readonly ListedEntry[]): ProfileRow[] {
  const sessions = sessionsByProfile(cached);
  const names = listProfiles(files);
  // A loop, and per profile only what its row needs: a listing makes 5,000 of them.
  const rows: ProfileRow[] = [];
  for (const name of names) rows.push(profileRow(files, readProfile(files, name), sessions.get(name)));
  return rows;
}

const NO_SESSIONS: readonly ListedEntry[] = [];

function profileRow(files: ConfigFiles, profile: Profile, sessions: readonly ListedEntry[] | undefined): ProfileRow {
  const s = profile.settings;
  // The first region along the source_profile chain (a role's own, else its source's).
  let region: string | undefined;
  let source: CredentialSource;
  try {
    walkSourceProfileChain(files, profile, (p) => {
      if (region === undefined && p.settings.region !== undefined && p.settings.region !== '') region = p.settings.region;
    });
    source = sourceForProfile(files, profile, LISTING_ENV);
    const end = endOf(source);
    if (end.kind === 'none' && end.profile !== profile.name) {
      throw new ConfigError(`profile "${profile.name}" takes its credentials from profile "${end.profile}", which has none`, { hint: `give profile "${end.profile}" keys, SSO, credential_process or a role` });
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { name: profile.name, mfaSerial: s.mfa_serial, roleArn: s.role_arn, ssoAccountId: s.sso_account_id, kind: 'error', chain: [profile.name], error: { message: error.message, hint: error.hint } };
  }
  const kind = kindOf(source);
  let session: ListedEntry | undefined;
  // The latest to expire of the sessions cached for this profile's own role or keys.
  for (const e of sessions ?? NO_SESSIONS) {
    const match = kind === 'role' ? e.kind === 'assume-role' && e.roleArn === s.role_arn : kind !== 'none' && e.kind === 'session-token';
    if (match && (!session || e.credentials.expiration.getTime() > session.credentials.expiration.getTime())) session = e;
  }
  return {
    name: profile.name,
    mfaSerial: s.mfa_serial,
    roleArn: s.role_arn,
    ssoAccountId: s.sso_account_id,
    kind,
    chain: chainOf(source, profile.name),
    region,
    cached: session,
  };
}

function kindOf(source: CredentialSource): ProfileKind {
  switch (source.kind) {
    case 'role-chain':
      return 'role';
    case 'stored-keys':
      return 'keys';
    case 'keys':
    case 'environment':
    case 'instance-role':
    case 'container-role':
    case 'sso':
    case 'process':
    case 'web-identity':
    case 'console-login':
    case 'none':
      return source.kind;
  }
}

function endOf(source: CredentialSource): CredentialSource {
  return source.kind === 'role-chain' ? endOf(source.source) : source;
}

/** Where chainOf collects names: each row keeps an exact copy (5,000 rows keep no spare room). */
const collected: string[] = [];

/** ['dev', 'base']: each profile a role chain passes through, then where the first credentials come from. */
function chainOf(source: CredentialSource, self: string): string[] {
  collected.length = 0;
  let current = source;
  while (current.kind === 'role-chain') {
    collected.push(current.profile);
    current = current.source;
  }
  const end = endName(current, self);
  if (collected[collected.length - 1] !== end) collected.push(end);
  return collected.slice();
}

function endName(source: Exclude<CredentialSource, { kind: 'role-chain' }>, self: string): string {
  switch (source.kind) {
    case 'keys':
    case 'stored-keys':
    case 'sso':
    case 'process':
    case 'console-login':
    case 'none':
      return source.profile;
    case 'web-identity':
      return source.profile ?? self;
    case 'environment':
      return 'environment';
    case 'instance-role':
      return 'instance role';
    case 'container-role':
      return 'container role';
  }
}

/** Sessions stsx cached for a profile's own role or keys (entries record the profile they were issued for; older entries without one match no profile). */
function sessionsByProfile(entries: readonly ListedEntry[]): Map<string, ListedEntry[]> {
  const map = new Map<string, ListedEntry[]>();
  for (const e of entries) {
    if (e.profile === undefined) continue;
    const list = map.get(e.profile);
    if (list) list.push(e);
    else map.set(e.profile, [e]);
  }
  return map;
}
