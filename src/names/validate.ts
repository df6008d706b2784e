// Local checks for everything STS would reject (limits: STS API reference, shared/reference/sts.md
// B.1), so a bad flag is named before any network call. Each returns the clean value or throws a
// UsageError naming the flag. None of them echoes a secret (token codes are not echoed either).
import { UsageError } from '../errors.ts';
import { durationText } from '../text/expiry.ts';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

export function checkRoleArn(value: string, flag = '--role-arn'): string {
  if (value.length >= 20 && value.length <= 2048 && ROLE_ARN.test(value)) return value;
  throw new UsageError(`${flag} ${JSON.stringify(value)} is not an IAM role ARN`, { hint: 'a role ARN looks like arn:aws:iam::123456789012:role/RoleName' });
}

export function checkSessionName(value: string, flag = '--role-session-name'): string {
  if (SESSION_NAME.test(value)) return value;
  throw new UsageError(`${flag} must be 2 to 64 characters of letters, digits and +=,.@_-`, { hint: 'for example --role-session-name alice-deploy' });
}

/** Seconds from `3600`, `90s`, `15m`, `1h`, `1h30m`, `12h`. */
export function parseDuration(value: string, flag: string, min: number, max: number): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  let seconds: number | undefined;
  if (/^\d+$/.test(value.trim())) seconds = Number(value.trim());
  else if (m && value.trim() !== '') seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (seconds === undefined || !Number.isSafeInteger(seconds)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a duration`, { hint: 'use seconds (3600) or units: 15m, 1h, 1h30m, 12h' });
  }
  if (seconds < min || seconds > max) {
    throw new UsageError(`${flag} must be between ${durationText(min, { exact: true })} and ${durationText(max, { exact: true })} (${min}..${max} seconds), not ${seconds} seconds`);
  }
  return seconds;
}


export function checkExternalId(value: string): string {
  if (EXTERNAL_ID.test(value)) return value;
  throw new UsageError('--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/_-');
}

export function checkMfaSerial(value: string, flag = '--mfa-serial'): string {
  if (MFA_SERIAL.test(value)) return value;
  throw new UsageError(`${flag} ${JSON.stringify(value)} is not an MFA device serial or ARN`, { hint: 'for example arn:aws:iam::123456789012:mfa/alice or GAHT12345678' });
}

export function checkTokenCode(value: string, flag = '--token-code'): string {
  if (/^\d{6}$/.test(value)) return value;
  throw new UsageError(`${flag} must be the six digits shown by the MFA device`);
}

export function checkSourceIdentity(value: string): string {
  if (SESSION_NAME.test(value) && !value.toLowerCase().startsWith('aws:')) return value;
  throw new UsageError('--source-identity must be 2 to 64 characters of letters, digits and +=,.@_- and must not start with aws:');
}

export function checkPolicyArns(values: string[]): string[] {
  if (values.length > 10) throw new UsageError(`at most 10 --policy-arn values are allowed, got ${values.length}`);
  for (const v of values) {
    if (!POLICY_ARN.test(v)) throw new UsageError(`--policy-arn ${JSON.stringify(v)} is not a managed policy ARN`, { hint: 'for example arn:aws:iam::aws:policy/ReadOnlyAccess' });
  }
  return values;
}

/** An inline session policy: valid JSON, at most 2048 characters (STS counts the plaintext). */
export function checkPolicy(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--policy is not valid JSON (${(error as Error).message})`, { hint: 'pass a JSON policy document or file://policy.json' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--policy must be a JSON object (a policy document)');
  const compact = JSON.stringify(parsed);
  if (compact.length > 2048) throw new UsageError(`--policy is ${compact.length} characters without whitespace; STS allows 2048`, { hint: 'shorten it or use --policy-arn' });
  return compact;
}

export interface Tag {
  Key: string;
  Value: string;
}

export function parseTags(values: string[], transitive: string[]): { tags: Tag[]; transitive: string[] } {
  if (values.length > 50) throw new UsageError(`at most 50 --tag values are allowed, got ${values.length}`);
  const seen = new Map<string, string>();
  const tags = values.map((raw) => {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag ${JSON.stringify(raw)} must be Key=Value`);
    const Key = raw.slice(0, eq);
    const Value = raw.slice(eq + 1);
    if (!TAG_KEY.test(Key)) throw new UsageError(`--tag key ${JSON.stringify(Key)} must be 1 to 128 letters, digits, spaces or _.:/=+-@`);
    if (!TAG_VALUE.test(Value)) throw new UsageError(`--tag value for ${JSON.stringify(Key)} must be at most 256 letters, digits, spaces or _.:/=+-@`);
    const lower = Key.toLowerCase();
    if (seen.has(lower)) throw new UsageError(`--tag ${JSON.stringify(Key)} is given twice (tag keys are case-insensitive)`);
    seen.set(lower, Key);
    return { Key, Value };
  });
  if (transitive.length > 50) throw new UsageError(`at most 50 --transitive-tag-key values are allowed`);
  for (const key of transitive) {
    if (!seen.has(key.toLowerCase())) throw new UsageError(`--transitive-tag-key ${JSON.stringify(key)} must also be set with --tag ${key}=...`);
  }
  return { tags, transitive };
}
