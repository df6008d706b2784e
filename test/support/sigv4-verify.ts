// SigV4 (AWS4-HMAC-SHA256) verification for the STS emulator, following sts.md section D.
//
// The emulator must accept both the JS SDK and botocore styles, which sign different header
// sets and encode bodies differently, so everything here is driven by what the client sent:
// its SignedHeaders list, the raw path/query, and the raw body bytes (never a re-encoding).
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const SKEW_MS = 15 * 60 * 1000;

export interface SigV4Auth {
  accessKeyId: string;
  /** yyyymmdd from the credential scope */
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

export interface SigV4Request {
  method: string;
  /** raw path as received, percent-encoded, without the query */
  path: string;
  /** raw query string without '?', '' if none */
  query: string;
  /** lowercased names; repeated headers joined with ',' */
  headers: Record<string, string>;
  body: Uint8Array;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string): SigV4Auth | { error: string } {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) return { error: `Unsupported AWS 'algorithm': '${algorithm}'` };
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return fromFields(fields.get('Credential'), fields.get('SignedHeaders'), fields.get('Signature'), header);
}

/** Parses presigned-URL query auth (X-Amz-Credential, ...); undefined when not presigned. */
export function parsePresigned(q: URLSearchParams): SigV4Auth | { error: string } | undefined {
  const alg = q.get('X-Amz-Algorithm');
  if (alg === null) return undefined;
  if (alg !== ALGORITHM) return { error: `Unsupported AWS 'algorithm': '${alg}'` };
  const signed = q.get('X-Amz-SignedHeaders') ?? undefined;
  return fromFields(q.get('X-Amz-Credential') ?? undefined, signed, q.get('X-Amz-Signature') ?? undefined, '');
}

function fromFields(
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  raw: string,
): SigV4Auth | { error: string } {
  const missing = [
    credential === undefined ? "Authorization header requires 'Credential' parameter." : '',
    signedHeaders === undefined ? "Authorization header requires 'SignedHeaders' parameter." : '',
    signature === undefined ? "Authorization header requires 'Signature' parameter." : '',
  ].join(' ');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return { error: `${missing.replace(/\s+/g, ' ').trim()} Authorization=${raw}` };
  }
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || !terminator || rest.length > 0) {
    return { error: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'` };
  }
  return {
    accessKeyId, date, region, service, terminator, signature,
    signedHeaders: signedHeaders.split(';').filter((h) => h !== '').map((h) => h.toLowerCase()),
  };
}

/** Lowercased header map from Node's rawHeaders, joining repeats with ',' as SigV4 does. */
export function headersFromRaw(rawHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    out[name] = name in out ? `${out[name]},${value}` : value;
  }
  return out;
}

/** RFC 3986 encoding as both signers use it (encodeURIComponent plus !'()*). */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Canonical URI for non-S3 services: dot segments removed, then the raw path encoded again. */
export function canonicalPath(rawPath: string): string {
  const segs: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segs.pop();
    else segs.push(seg);
  }
  const norm = `${rawPath.startsWith('/') ? '/' : ''}${segs.join('/')}${segs.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(norm).replace(/%2F/g, '/');
}

/** Canonical query: decoded pairs re-encoded, sorted; X-Amz-Signature excluded. */
export function canonicalQuery(rawQuery: string): string {
  const pairs: string[] = [];
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    if (k.toLowerCase() === 'x-amz-signature') continue;
    pairs.push(`${escapeUri(k)}=${escapeUri(v)}`);
  }
  return pairs.sort().join('&');
}

function canonicalHeaderValue(v: string): string {
  return v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

export function canonicalRequest(req: SigV4Request, signedHeaders: string[], payloadHash: string): string {
  const sorted = [...signedHeaders].sort();
  const headerLines = sorted.map((h) => `${h}:${canonicalHeaderValue(req.headers[h] ?? '')}\n`).join('');
  return [req.method, canonicalPath(req.path), canonicalQuery(req.query), headerLines, sorted.join(';'), payloadHash].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

export interface VerifyResult {
  ok: boolean;
  expected: string;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Recomputes the signature from the request as received. `payloadHashes` lists acceptable
 * payload hashes (default: sha256 of the raw body; presigned URLs may also use UNSIGNED-PAYLOAD).
 */
export function verifySignature(
  req: SigV4Request, auth: SigV4Auth, secret: string, amzDate: string, payloadHashes?: string[],
): VerifyResult {
  const scope = `${auth.date}/${auth.region}/${auth.service}/${auth.terminator}`;
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  let last: VerifyResult | undefined;
  for (const hash of payloadHashes ?? [sha256Hex(req.body)]) {
    const creq = canonicalRequest(req, auth.signedHeaders, hash);
    const sts = stringToSign(amzDate, scope, creq);
    const expected = createHmac('sha256', key).update(sts).digest('hex');
    last = { ok: expected === auth.signature, expected, canonicalRequest: creq, stringToSign: sts };
    if (last.ok) return last;
  }
  return last ?? { ok: false, expected: '', canonicalRequest: '', stringToSign: '' };
}

/** Parses the basic ISO 8601 form `20150830T123600Z`. */
export function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Real STS wording for requests more than 15 minutes off (sts.md B.3); undefined if fine. */
export function skewMessage(amzDate: string, signedAt: Date, now: Date): string | undefined {
  if (signedAt.getTime() < now.getTime() - SKEW_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`;
  }
  if (signedAt.getTime() > now.getTime() + SKEW_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`;
  }
  return undefined;
}
