// `stsx status` as data: which credentials the environment holds, who they are (from the cache
// entry with the same access key id, when stsx issued them) and how long they last. The
// environment and the cache directory only: no SDK, no network, nothing written.
import type { Env } from '../deps.ts';
import type { ListedEntry } from '../cache/credential-cache.ts';
import { ExitCode } from '../errors.ts';

export type StatusState = 'valid' | 'expired' | 'none';

export interface Status {
  state: StatusState;
  /** Masked (`ASIA****ABCD`); absent when there are no credentials. */
  accessKeyId?: string | undefined;
  /** The cache entry of these credentials; absent when stsx did not issue them (or the entry is gone). */
  entry?: ListedEntry | undefined;
  expiration?: Date | undefined;
  /** Where the expiration was read: the exported variable, else the cache entry. */
  expirationFrom?: 'AWS_CREDENTIAL_EXPIRATION' | 'cache' | undefined;
  /** Whole seconds left (negative once expired); absent when no expiration is known. */
  remainingSeconds?: number | undefined;
  /** Things worth saying: a garbage AWS_CREDENTIAL_EXPIRATION, half a key pair. */
  problems: string[];
}

/** Exit status: 0 valid, 1 no credentials, 3 expired (documented in docs/usage.md and --help). */
export const STATUS_EXIT: Readonly<Record<StatusState, number>> = { valid: ExitCode.ok, none: ExitCode.noCredentials, expired: ExitCode.config };

// ISO 8601 with a zone, as STS, the AWS CLI (+00:00) and stsx (Z) write it; bounded before parsing.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseExpirationVariable(value: string): Date | undefined {
  if (value.length > 40 || !ISO_TIME.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * `entries` are all cache entries (expired ones too, see CredentialCache.scan); it is only
 * called when the environment holds an access key id, so a shell without credentials never
 * reads the cache directory.
 */
export async function readStatus(env: Env, now: Date, entries: () => Promise<readonly ListedEntry[]>): Promise<Status> {
  const problems: string[] = [];
  const keyId = env.AWS_ACCESS_KEY_ID;
  if (!keyId) return { state: 'none', problems };
  if (!env.AWS_SECRET_ACCESS_KEY) problems.push('AWS_SECRET_ACCESS_KEY is not set: these credentials cannot sign a request');
  const entry = (await entries()).find((e) => e.credentials.accessKeyId === keyId);
  const rawExpiration = env.AWS_CREDENTIAL_EXPIRATION;
  let expiration: Date | undefined;
  let expirationFrom: Status['expirationFrom'];
  if (rawExpiration) {
    expiration = parseExpirationVariable(rawExpiration);
    if (expiration) expirationFrom = 'AWS_CREDENTIAL_EXPIRATION';
    else problems.push('AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time; ignored');
  }
  if (!expiration && entry) {
    expiration = entry.credentials.expiration;
    expirationFrom = 'cache';
  }
  const remaining = expiration ? Math.floor((expiration.getTime() - now.getTime()) / 1000) : undefined;
  const { maskAccessKeyId } = await import('../cache/cache-entry.ts');
  return {
    state: remaining !== undefined && remaining <= 0 ? 'expired' : 'valid',
    accessKeyId: maskAccessKeyId(keyId),
    entry,
    expiration,
    expirationFrom,
    remainingSeconds: remaining,
    problems,
  };
}
