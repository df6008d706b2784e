// The AssumeRoleWithWebIdentity issuer: its request (built here only) over an unsigned session.
// `stsx assume --web-identity` and the web-identity credential source of a profile or of the
// environment (web-identity/provider.ts) both send it through this file.
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';
import type { StsSession } from '../sts/session.ts';
import type { AssumedRole } from './assume-role.ts';

export interface WebIdentityRequest {
  roleArn: string;
  sessionName: string;
  /** The OIDC token: a secret, never shown. */
  token: string;
  /** Left out: STS's default (1 hour). */
  durationSeconds?: number | undefined;
  policy?: string | undefined;
  policyArns?: readonly string[] | undefined;
}

export function webIdentityInput(request: WebIdentityRequest): AssumeRoleWithWebIdentityCommandInput {
  const r = request;
  return {
    RoleArn: r.roleArn,
    RoleSessionName: r.sessionName,
    WebIdentityToken: r.token,
    ...(r.durationSeconds !== undefined ? { DurationSeconds: r.durationSeconds } : {}),
    ...(r.policy ? { Policy: r.policy } : {}),
    ...(r.policyArns && r.policyArns.length > 0 ? { PolicyArns: r.policyArns.map((arn) => ({ arn })) } : {}),
  };
}

/** One AssumeRoleWithWebIdentity; the session must be unsigned (the token is the proof). */
export function assumeRoleWithWebIdentity(session: StsSession, request: WebIdentityRequest): Promise<AssumedRole> {
  return session.assumeRoleWithWebIdentity(webIdentityInput(request));
}
