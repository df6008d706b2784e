// `stsx cache list` as data, text or JSON: what is cached and for how long, never a secret. Rows
// are built member by member, so the secret key and token cannot slip in, and the access key id
// is masked so a listing pasted into a ticket or CI log gives nothing away.
import { describeExpiry, isoSeconds } from '../text/expiry.ts';
import { maskAccessKeyId, remainingSeconds } from './cache-entry.ts';
import type { ListedEntry } from './credential-cache.ts';
import { jsonText } from '../text/json.ts';

interface CacheListRow {
  key: string;
  kind: string;
  roleArn: string | null;
  sessionName: string | null;
  assumedRoleArn: string | null;
  account: string | null;
  /** Whether the session was opened with an MFA code, and with which device. */
  mfa: boolean;
  mfaSerial: string | null;
  region: string;
  endpoint: string;
  createdAt: string;
  expiration: string;
  remainingSeconds: number;
  accessKeyId: string;
}

function cacheListRows(entries: readonly ListedEntry[], now: Date): CacheListRow[] {
  return entries.map((e) => ({
    key: e.key,
    kind: e.kind,
    roleArn: e.roleArn ?? null,
    sessionName: e.sessionName ?? null,
    assumedRoleArn: e.assumedRoleArn ?? null,
    account: e.account ?? null,
    mfa: e.mfaSerial !== undefined,
    mfaSerial: e.mfaSerial ?? null,
    region: e.region,
    endpoint: e.endpoint,
    createdAt: isoSeconds(e.createdAt),
    expiration: isoSeconds(e.credentials.expiration),
    remainingSeconds: Math.max(0, remainingSeconds(e, now)),
    accessKeyId: maskAccessKeyId(e.credentials.accessKeyId),
  }));
}

/** A stable document for scripts: an array, empty when nothing is cached. */
export function cacheListJson(entries: readonly ListedEntry[], now: Date): string {
  return `${jsonText(cacheListRows(entries, now), 2)}\n`;
}

/** Aligned columns for a person; the full ARNs stay in so they can be pasted into `clear`. */
export function cacheListText(entries: readonly ListedEntry[], now: Date): string {
  const header = ['KIND', 'ROLE', 'SESSION', 'MFA', 'REGION', 'ENDPOINT', 'EXPIRES', 'ACCESS KEY'];
  const rows = entries.map((e) => [
    e.kind,
    e.roleArn ?? 'session token',
    e.sessionName ?? '-',
    e.mfaSerial !== undefined ? 'yes' : 'no',
    e.region,
    hostOf(e.endpoint),
    describeExpiry(e.credentials.expiration, now),
    maskAccessKeyId(e.credentials.accessKeyId),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

