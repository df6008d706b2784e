// The one ordered list of environment variables every format renders. Order matters: the
// credentials first, then region, then unsets of what would override or shadow them.
import type { CredentialOutput, EnvAssignment } from './types.ts';
import { isoSeconds } from '../../text/expiry.ts';

/** Variables stsx writes; `stsx unset` clears exactly these plus the stale AWS_SECURITY_TOKEN. */
const CREDENTIAL_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'] as const;
const REGION_VARS = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

// AWS_SECURITY_TOKEN is the boto2-era name some tools still read before AWS_SESSION_TOKEN, so a
// stale one would pair old token with new keys. AWS_PROFILE makes the JS SDK v3 default chain skip
// environment credentials entirely, and AWS_DEFAULT_PROFILE does the same for older tools.
const SHADOWING_VARS = ['AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const;

/** Every variable an applied assume, session-token or unset may change: what `stsx init`'s function keeps to put back. */
export const TOUCHED_VARS: readonly string[] = [...CREDENTIAL_VARS, ...REGION_VARS, ...SHADOWING_VARS];

/** Variables whose values are secret enough to mask in CI logs. */
export const SECRET_VARS: ReadonlySet<string> = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

export function credentialEnv(out: CredentialOutput): EnvAssignment[] {
  const { credentials: c, region } = out;
  const list: EnvAssignment[] = [
    { name: 'AWS_ACCESS_KEY_ID', value: c.accessKeyId },
    { name: 'AWS_SECRET_ACCESS_KEY', value: c.secretAccessKey },
    // null rather than omitted: a token left over from an earlier session must not survive.
    { name: 'AWS_SESSION_TOKEN', value: c.sessionToken ?? null },
    { name: 'AWS_CREDENTIAL_EXPIRATION', value: c.expiration ? formatExpiration(c.expiration) : null },
  ];
  // An unknown region is not the same as "no region": keep whatever the user already had.
  if (region !== undefined) list.push(...REGION_VARS.map((name) => ({ name, value: region })));
  list.push(...SHADOWING_VARS.map((name) => ({ name, value: null })));
  return list;
}

export function unsetEnv(): EnvAssignment[] {
  return [...CREDENTIAL_VARS, 'AWS_SECURITY_TOKEN', ...REGION_VARS].map((name) => ({ name, value: null }));
}

/**
 * ISO 8601 in UTC with a `Z` and whole seconds, as STS itself sends it. The AWS CLI writes
 * `+00:00`; the SDKs accept both, and `Z` is what the credential_process docs show.
 */
export function formatExpiration(date: Date): string {
  return isoSeconds(date);
}
