// The GetSessionToken issuer: long-term IAM user keys (optionally with an MFA code) -> a session,
// as the cache keeps it. `stsx session-token` and the MFA session of an MFA role both use it.
import { UsageError } from '../errors.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import type { StsSession } from '../sts/session.ts';
import type { Issued } from './issue-cached.ts';

/** GetSessionToken's own default (12 hours); also the life of the MFA session of an MFA role. */
export const SESSION_TOKEN_SECONDS = 43200;

export interface SessionTokenRequest {
  durationSeconds: number;
  mfaSerial: string | undefined;
  /** Asks for the code of the MFA device (called only with mfaSerial). */
  mfa: (serial: string) => Promise<string>;
  /** GetSessionToken does not say the account: ask GetCallerIdentity (for --allowed-account-id). */
  needAccount?: boolean | undefined;
}

export async function issueSessionToken(session: StsSession, request: SessionTokenRequest, extra: { now: () => Date; profile?: string | undefined }): Promise<Issued> {
  const { durationSeconds, mfaSerial, mfa } = request;
  const creds = await session.credentials();
  if (creds.sessionToken) {
    throw new UsageError('session-token needs long-term IAM user keys, but the current credentials are temporary (they carry a session token)', {
      hint: "STS refuses GetSessionToken with session credentials; use the IAM user's access keys (--profile), or `stsx assume` for roles",
    });
  }
  const account = request.needAccount === true ? (await session.getCallerIdentity()).account : undefined;
  const code = mfaSerial ? await mfa(mfaSerial) : undefined;
  const result = await session.getSessionToken({
    DurationSeconds: durationSeconds,
    ...(mfaSerial ? { SerialNumber: mfaSerial, TokenCode: code } : {}),
  });
  const endpoint = session.endpoint();
  return {
    entry: {
      kind: 'session-token',
      ...(mfaSerial ? { mfaSerial } : {}),
      ...(account ? { account } : {}),
      ...(extra.profile !== undefined ? { profile: extra.profile } : {}),
      region: endpoint.signingRegion,
      endpoint: endpoint.url,
      createdAt: extra.now(),
      credentials: result,
    },
    what: `session token${mfaSerial ? ' with MFA' : ''} for ${maskAccessKeyId(creds.accessKeyId)}`,
    endpoint: endpoint.host,
  };
}
