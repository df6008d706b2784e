// One cached answer from STS, and its file form. Parsing trusts nothing: a file that is not
// exactly what serializeEntry writes is a reason to ignore it, never an exception. Every member
// is checked by the same rules as the flags it came from, so nothing read back can crash a
// command (an endpoint that is not a URL) or reach a terminal with control characters in it.
import { checkMfaSerial, checkRoleArn, checkSessionName } from '../names/validate.ts';
import { isWellFormedRegion } from '../config/region.ts';
import { stripUserinfo } from '../endpoint/userinfo.ts';
import type { CacheKind } from './cache-key.ts';

/** 2: `mfaSerial` was added; older entries are ignored and replaced. */
const ENTRY_VERSION = 2;

interface CachedCredentials {
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
  /** The STS endpoint URL that issued them (never with a user name or password in it). */
  endpoint: string;
  /** The MFA device the session was opened with; absent for a session without MFA. */
  mfaSerial?: string | undefined;
  /**
   * The config profile the session belongs to (its role_arn, or its keys for session-token), so
   * `stsx profiles` can show it; absent when the credentials did not come from a profile.
   */
  profile?: string | undefined;
  /** The SSO profile the source credentials came from, so `stsx logout` removes what its login gave. */
  ssoProfile?: string | undefined;
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
    endpoint: stripUserinfo(entry.endpoint).url,
    mfaSerial: entry.mfaSerial ?? null,
    // A name too long to read back is left out rather than making the whole entry unreadable.
    profile: entry.profile !== undefined && entry.profile.length > 0 && entry.profile.length <= MAX_PROFILE_NAME ? entry.profile : null,
    ...(entry.ssoProfile !== undefined && entry.ssoProfile.length > 0 && entry.ssoProfile.length <= MAX_PROFILE_NAME ? { ssoProfile: entry.ssoProfile } : {}),
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
  if (!createdAt || !outer || !inner) return { ok: false, problem: 'a time is missing or not an ISO 8601 UTC time' };
  const accessKeyId = matching(c.accessKeyId, ACCESS_KEY_ID);
  const secretAccessKey = matching(c.secretAccessKey, SECRET);
  const sessionToken = matching(c.sessionToken, SECRET);
  if (!accessKeyId || !secretAccessKey || !sessionToken) return { ok: false, problem: 'the credentials are missing or malformed' };
  const region = typeof data.region === 'string' && isWellFormedRegion(data.region) ? data.region : undefined;
  if (!region) return { ok: false, problem: 'the region is missing or not a region name' };
  const endpoint = httpUrl(data.endpoint);
  if (!endpoint) return { ok: false, problem: 'the endpoint is missing or not an http(s) URL without user info' };
  const roleArn = optional(data.roleArn, (v) => passes(checkRoleArn, v));
  const sessionName = optional(data.sessionName, (v) => passes(checkSessionName, v));
  const assumedRoleArn = optional(data.assumedRoleArn, (v) => ASSUMED_ROLE_ARN.test(v));
  const account = optional(data.account, (v) => /^\d{12}$/.test(v));
  const mfaSerial = optional(data.mfaSerial, (v) => passes(checkMfaSerial, v));
  // Any name a config file can hold (shown escaped), but bounded.
  const profile = optional(data.profile, (v) => v.length > 0 && v.length <= MAX_PROFILE_NAME);
  const ssoProfile = optional(data.ssoProfile, (v) => v.length > 0 && v.length <= MAX_PROFILE_NAME);
  if ([roleArn, sessionName, assumedRoleArn, account, mfaSerial, profile, ssoProfile].includes(INVALID)) return { ok: false, problem: 'an optional member is malformed' };
  if (kind === 'assume-role' && roleArn === undefined) return { ok: false, problem: 'an assume-role entry without a role ARN' };
  return {
    ok: true,
    entry: {
      kind,
      roleArn: roleArn as string | undefined,
      sessionName: sessionName as string | undefined,
      assumedRoleArn: assumedRoleArn as string | undefined,
      account: account as string | undefined,
      region,
      endpoint,
      ...(mfaSerial !== undefined ? { mfaSerial: mfaSerial as string } : {}),
      ...(profile !== undefined ? { profile: profile as string } : {}),
      ...(ssoProfile !== undefined ? { ssoProfile: ssoProfile as string } : {}),
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
  // The fifth field, found with indexOf rather than split (`stsx profiles` asks for 5,000).
  let start = 0;
  for (let field = 0; field < 4; field += 1) {
    const colon = arn?.indexOf(':', start) ?? -1;
    if (colon < 0) return undefined;
    start = colon + 1;
  }
  const end = arn?.indexOf(':', start) ?? -1;
  const account = arn?.slice(start, end < 0 ? undefined : end);
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Longer profile names are not recorded (the entry is kept, without the name). */
export const MAX_PROFILE_NAME = 256;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
/** Secrets and tokens are base64-like: printable ASCII, no spaces, nothing a terminal acts on (no length limit: STS promises none; the file size cap bounds it). */
const SECRET = /^[\x21-\x7e]+$/;
const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[\w+=,.@/-]{1,512}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const INVALID = Symbol('invalid');

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function matching(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

/** Absent (undefined or null) is fine; present must be a string that passes. */
function optional(value: unknown, ok: (v: string) => boolean): string | undefined | typeof INVALID {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && ok(value) ? value : INVALID;
}

/** Whether one of the flag checks accepts the value (they throw on a bad one). */
function passes(check: (value: string) => string, value: string): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
  return ok ? url.href : undefined;
}
