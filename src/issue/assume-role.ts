// The AssumeRole issuer: its request (built here only), the role-chaining limit, and the cache
// entry it returns. `stsx assume`, exec, the console, the second role of a web identity and every
// role hop of a profile chain send AssumeRole through this file, over an open STS session.
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { AwsRequestError, UsageError } from '../errors.ts';
import { accountFromArn } from '../cache/cache-entry.ts';
import type { Tag } from '../names/validate.ts';
import type { StsSession } from '../sts/session.ts';
import type { Issued } from './issue-cached.ts';

/** AWS limits a role session assumed with role-session credentials (role chaining) to 1 hour. */
export const CHAIN_LIMIT = 3600;

export interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  /** Left out: STS's default (1 hour). */
  durationSeconds?: number | undefined;
  externalId?: string | undefined;
  /** The MFA device; its code goes with the request only when one is given (see assumeRole). */
  mfaSerial?: string | undefined;
  policy?: string | undefined;
  policyArns?: readonly string[] | undefined;
  tags?: readonly Tag[] | undefined;
  transitiveTagKeys?: readonly string[] | undefined;
  sourceIdentity?: string | undefined;
}

export type AssumedRole = Awaited<ReturnType<StsSession['assumeRole']>>;

/** The request's fields of a plan or options object that holds more (what the cache key is made of). */
export function requestOf(from: AssumeRoleRequest): AssumeRoleRequest {
  const { roleArn, sessionName, durationSeconds, externalId, mfaSerial, policy, policyArns, tags, transitiveTagKeys, sourceIdentity } = from;
  return { roleArn, sessionName, durationSeconds, externalId, mfaSerial, policy, policyArns, tags, transitiveTagKeys, sourceIdentity };
}

export function assumeRoleInput(request: AssumeRoleRequest, tokenCode?: string): AssumeRoleCommandInput {
  const r = request;
  return {
    RoleArn: r.roleArn,
    RoleSessionName: r.sessionName,
    ...(r.durationSeconds !== undefined ? { DurationSeconds: r.durationSeconds } : {}),
    ...(r.externalId ? { ExternalId: r.externalId } : {}),
    ...(tokenCode !== undefined ? { SerialNumber: r.mfaSerial, TokenCode: tokenCode } : {}),
    ...(r.policy ? { Policy: r.policy } : {}),
    ...(r.policyArns && r.policyArns.length > 0 ? { PolicyArns: r.policyArns.map((arn) => ({ arn })) } : {}),
    ...(r.tags && r.tags.length > 0 ? { Tags: [...r.tags] } : {}),
    ...(r.transitiveTagKeys && r.transitiveTagKeys.length > 0 ? { TransitiveTagKeys: [...r.transitiveTagKeys] } : {}),
    ...(r.sourceIdentity ? { SourceIdentity: r.sourceIdentity } : {}),
  };
}

/** Refuses, before any call, a duration AWS refuses for a chained role session. */
export function checkChainLimit(chained: boolean | 'unknown', durationSeconds: number): void {
  if (chained === true && durationSeconds > CHAIN_LIMIT) throw chainingError(durationSeconds);
}

function chainingError(durationSeconds: number | undefined, cause?: unknown): UsageError {
  return new UsageError(
    `--duration ${durationSeconds}s is too long: the source credentials are themselves a role session (role chaining), and AWS limits chained role sessions to 1 hour`,
    { hint: 'use --duration 1h or less, or assume the role from long-term IAM user credentials', cause },
  );
}

/** One AssumeRole on the session; STS's role-chaining refusal of a --duration is said as such. */
export async function assumeRole(session: StsSession, request: AssumeRoleRequest, tokenCode?: string): Promise<AssumedRole> {
  try {
    return await session.assumeRole(assumeRoleInput(request, tokenCode));
  } catch (error) {
    if (request.durationSeconds !== undefined && error instanceof AwsRequestError && /role chaining/i.test(error.message)) throw chainingError(request.durationSeconds, error);
    throw error;
  }
}

/** The cache entry (and summary) of an assumed role; `how` ends the summary (" with web identity"). */
export function assumedRoleIssued(
  session: StsSession,
  request: AssumeRoleRequest,
  result: AssumedRole,
  extra: { createdAt: Date; profile?: string | undefined; ssoProfile?: string | undefined; how?: string | undefined },
): Issued {
  const endpoint = session.endpoint();
  return {
    entry: {
      kind: 'assume-role',
      roleArn: request.roleArn,
      sessionName: request.sessionName,
      ...(request.mfaSerial ? { mfaSerial: request.mfaSerial } : {}),
      ...(extra.profile !== undefined ? { profile: extra.profile } : {}),
      ...(extra.ssoProfile !== undefined ? { ssoProfile: extra.ssoProfile } : {}),
      assumedRoleArn: result.assumedRoleArn,
      account: accountFromArn(result.assumedRoleArn),
      region: endpoint.signingRegion,
      endpoint: endpoint.url,
      createdAt: extra.createdAt,
      credentials: { accessKeyId: result.accessKeyId, secretAccessKey: result.secretAccessKey, sessionToken: result.sessionToken, expiration: result.expiration },
    },
    what: `assumed ${result.assumedRoleArn}${extra.how ?? ''}`,
    endpoint: endpoint.host,
  };
}

/** AssumeRole, as the cache keeps it. */
export async function issueAssumeRole(
  session: StsSession,
  request: AssumeRoleRequest,
  extra: { tokenCode?: string | undefined; now: () => Date; profile?: string | undefined; ssoProfile?: string | undefined; how?: string | undefined },
): Promise<Issued> {
  const result = await assumeRole(session, request, extra.tokenCode);
  return assumedRoleIssued(session, request, result, { createdAt: extra.now(), profile: extra.profile, ssoProfile: extra.ssoProfile, how: extra.how });
}
