// The settings a profile may have: the ones stsx reads and the others the AWS CLI and SDKs read
// (which stsx leaves alone but must not call misspelt). The one table of them; a key that is not
// in it but is one edit away from one (a letter wrong, missing, extra or two swapped, or `-` for
// `_`) gets a "did you mean" line, in `stsx profiles` and where the missing setting is an error.
import type { IniSection } from './config-files.ts';

export const KNOWN_PROFILE_KEYS: ReadonlySet<string> = new Set([
  // credentials and roles
  'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_account_id', 'role_arn', 'source_profile',
  'credential_source', 'external_id', 'mfa_serial', 'role_session_name', 'duration_seconds', 'web_identity_token_file',
  'credential_process', 'login_session',
  // IAM Identity Center
  'sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name', 'sso_registration_scopes',
  // endpoints and requests
  'region', 'output', 'endpoint_url', 'ignore_configured_endpoint_urls', 'services', 'sts_regional_endpoints', 'ca_bundle',
  'retry_mode', 'max_attempts', 'use_fips_endpoint', 'use_dualstack_endpoint', 'defaults_mode', 'account_id_endpoint_mode',
  'ec2_metadata_service_endpoint', 'ec2_metadata_service_endpoint_mode', 'ec2_metadata_v1_disabled',
  'metadata_service_timeout', 'metadata_service_num_attempts', 'request_checksum_calculation', 'response_checksum_validation',
  'sigv4a_signing_region_set', 'disable_request_compression', 'request_min_compression_size_bytes', 'tcp_keepalive',
  'parameter_validation', 'cli_pager', 'cli_timestamp_format', 'cli_binary_format', 'cli_auto_prompt', 'cli_history',
  // stsx's own
  'stsx_fallback_regions',
]);

/** Whether a and b are at most one edit apart (optimal string alignment distance ≤ 1). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    // One letter replaced, or two neighbours swapped.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // One letter missing from the shorter.
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The known key `key` is probably a misspelling of, or undefined (a known key, or nothing close). */
export function suggestKey(key: string): string | undefined {
  if (KNOWN_PROFILE_KEYS.has(key) || key.includes('.')) return undefined;
  const plain = key.toLowerCase().replaceAll('-', '_');
  if (KNOWN_PROFILE_KEYS.has(plain)) return plain;
  for (const known of KNOWN_PROFILE_KEYS) if (oneEditApart(plain, known)) return known;
  return undefined;
}

/** The keys of a section that look like misspelt known keys, with the known key each is close to. */
export function misspeltKeys(settings: IniSection): Array<{ key: string; known: string }> {
  const found: Array<{ key: string; known: string }> = [];
  for (const key of Object.keys(settings)) {
    const known = suggestKey(key);
    if (known !== undefined) found.push({ key, known });
  }
  return found;
}

/** The line that names them: `role-arn: did you mean role_arn?` (several joined by `; `). */
export function misspeltKeysLine(settings: IniSection): string | undefined {
  const found = misspeltKeys(settings);
  return found.length === 0 ? undefined : found.map(({ key, known }) => `unknown setting ${JSON.stringify(key)}: did you mean ${known}?`).join('; ');
}
