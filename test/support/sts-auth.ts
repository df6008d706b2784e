// Request authentication for the STS emulator, in the order and wording of real STS
// (sts.md B.3, D, J.5): missing auth, unknown key, bad token, scope, skew, signature, expiry.
import {
  formatAmzDate, parseAmzDate, parseAuthorization, parsePresigned, sha256Hex, skewMessage, verifySignature,
  type SigV4Auth, type SigV4Request,
} from './sigv4-verify.ts';
import { StsError } from './sts-validate.ts';
import type { Credential, StsState } from './sts-state.ts';

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function incomplete(message: string): StsError {
  return new StsError(400, 'IncompleteSignature', message);
}

function mismatch(message: string): StsError {
  return new StsError(403, 'SignatureDoesNotMatch', message);
}

/** Key id and scope region as sent, for the request log, even when authentication fails. */
export function peekCredential(req: SigV4Request): { accessKeyId?: string; region?: string } {
  const source = req.headers.authorization ?? new URLSearchParams(req.query).get('X-Amz-Credential') ?? '';
  const m = /(?:Credential=)?([A-Za-z0-9]+)\/\d{8}\/([^/\s,]+)\//.exec(source);
  return m?.[1] && m[2] ? { accessKeyId: m[1], region: m[2] } : {};
}

/**
 * Authenticates a signed STS request. Returns the calling credential and the signing region;
 * throws StsError with real STS codes otherwise. `regions` are the accepted scope regions.
 */
export function authenticate(
  state: StsState, req: SigV4Request, regions: ReadonlySet<string>, now = new Date(),
): { cred: Credential; region: string } {
  const query = new URLSearchParams(req.query);
  const header = req.headers.authorization;
  const presigned = header === undefined ? parsePresigned(query) : undefined;
  const parsed = header !== undefined ? parseAuthorization(header) : presigned;
  if (parsed === undefined) {
    throw new StsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  if ('error' in parsed) throw incomplete(parsed.error);
  const auth: SigV4Auth = parsed;

  // botocore and the JS SDK send X-Amz-Date; a bare Date header is legal SigV4 too.
  const dateHeader = req.headers.date;
  const amzDate = (presigned ? query.get('X-Amz-Date') : req.headers['x-amz-date']) ??
    (dateHeader !== undefined && !Number.isNaN(Date.parse(dateHeader)) ? formatAmzDate(new Date(dateHeader)) : undefined);
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined) {
    throw incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header ?? ''}`);
  }

  const cred = state.creds.get(auth.accessKeyId);
  const token = (presigned ? query.get('X-Amz-Security-Token') : req.headers['x-amz-security-token']) ?? undefined;
  if (!cred || token !== cred.sessionToken) {
    throw new StsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid');
  }

  if (auth.service !== 'sts') throw mismatch(`Credential should be scoped to correct service: 'sts'. `);
  if (!regions.has(auth.region)) throw mismatch('Credential should be scoped to a valid region. ');
  if (auth.terminator !== 'aws4_request') {
    throw mismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    throw mismatch(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }

  if (presigned) {
    // Presigned URLs are valid for X-Amz-Expires seconds instead of the 15-minute window.
    const expires = Number(query.get('X-Amz-Expires') ?? '900');
    const deadline = new Date(signedAt.getTime() + expires * 1000);
    if (now > deadline) {
      throw mismatch(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - expires * 1000))} (${formatAmzDate(now)} - ${expires} sec.)`);
    }
  }
  const skew = skewMessage(amzDate, signedAt, now);
  if (skew !== undefined && !(presigned && signedAt < now)) throw mismatch(skew);

  // botocore presigns with UNSIGNED-PAYLOAD, the JS signer with the (empty) body hash.
  const hashes = presigned ? [sha256Hex(req.body), 'UNSIGNED-PAYLOAD'] : undefined;
  if (!verifySignature(req, auth, cred.secretAccessKey, amzDate, hashes).ok) throw mismatch(SIGNATURE_MISMATCH);

  if (cred.expiration !== undefined && cred.expiration.getTime() <= now.getTime()) {
    throw new StsError(403, 'ExpiredToken', 'The security token included in the request is expired');
  }
  return { cred, region: auth.region };
}
