// One cached answer from STS, and its file form. Parsing trusts nothing: a file that is not
// exactly what serializeEntry writes is a reason to ignore it, never an exception.
import type { CacheKind } from './cache-key.ts';

export const ENTRY_VERSION = 1;

export interface CachedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface CachedEntry {
  kind: CacheKind;
  roleArn?: string | undefined;
  /** The session name STS was given (a made-up one too: it is what the credentials carry). */
  sessionName?: string | undefined;
  assumedRoleArn?: string | undefined;
  account?: string | undefined;
  /** The region written with the credentials (AWS_REGION), as on a miss. */
  region: string;
  /** The STS endpoint URL that issued them. */
  endpoint: string;
  createdAt: Date;
  credentials: CachedCredentials;
}

export type ParsedEntry = { ok: true; entry: CachedEntry } | { ok: false; problem: string };

export function serializeEntry(entry: CachedEntry): string {
  const c = entry.credentials;
  // Members are picked one by one so nothing else a caller's object carries can reach the disk.
  return `${JSON.stringify({
    version: ENTRY_VERSION,
    kind: entry.kind,
    roleArn: entry.roleArn,
    sessionName: entry.sessionName,
    assumedRoleArn: entry.assumedRoleArn,
    account: entry.account,
    region: entry.region,
    endpoint: entry.endpoint,
    createdAt: entry.createdAt.toISOString(),
    expiration: c.expiration.toISOString(),
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.toISOString() },
  })}\n`;
}

export function parseEntry(text: string): ParsedEntry {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON (truncated or corrupt)' };
  }
  if (!isRecord(data)) return { ok: false, problem: 'not a JSON object' };
  if (data.version !== ENTRY_VERSION) return { ok: false, problem: `version ${JSON.stringify(data.version)}, expected ${ENTRY_VERSION}` };
  const kind = data.kind;
  if (kind !== 'assume-role' && kind !== 'session-token') return { ok: false, problem: 'unknown kind' };
  const c = data.credentials;
  if (!isRecord(c)) return { ok: false, problem: 'no credentials' };
  const createdAt = date(data.createdAt);
  const outer = date(data.expiration);
  const inner = date(c.expiration);
  const accessKeyId = text1(c.accessKeyId);
  const secretAccessKey = text1(c.secretAccessKey);
  const sessionToken = text1(c.sessionToken);
  const region = text1(data.region);
  const endpoint = text1(data.endpoint);
  if (!createdAt || !outer || !inner || !accessKeyId || !secretAccessKey || !sessionToken || !region || !endpoint) {
    return { ok: false, problem: 'a required member is missing or malformed' };
  }
  const optional = ['roleArn', 'sessionName', 'assumedRoleArn', 'account'] as const;
  if (optional.some((k) => data[k] !== undefined && typeof data[k] !== 'string')) return { ok: false, problem: 'an optional member is not a string' };
  return {
    ok: true,
    entry: {
      kind,
      roleArn: data.roleArn as string | undefined,
      sessionName: data.sessionName as string | undefined,
      assumedRoleArn: data.assumedRoleArn as string | undefined,
      account: data.account as string | undefined,
      region,
      endpoint,
      createdAt,
      // Two expirations that disagree were not written by us; the earlier one is the safe one.
      credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: outer < inner ? outer : inner },
    },
  };
}

/** Whole seconds until the credentials expire (negative once expired). */
export function remainingSeconds(entry: CachedEntry, now: Date): number {
  return Math.floor((entry.credentials.expiration.getTime() - now.getTime()) / 1000);
}

/** `ASIA****ABCD`: enough to tell keys apart in a listing, too little to be a secret. */
export function maskAccessKeyId(id: string): string {
  return id.length >= 12 ? `${id.slice(0, 4)}****${id.slice(-4)}` : '****';
}

/** The account id of an ARN such as arn:aws:sts::123456789012:assumed-role/Role/session. */
export function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text1(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
