// The GetFederationToken issuer: long-term IAM user keys -> a federation token, what `stsx console`
// signs in with when there is no role. Not cached: the console asks for one per sign-in.
import type { StsSession } from '../sts/session.ts';

/** The federated session keeps the user's own permissions (as aws-vault does). */
const ALLOW_ALL_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** GetFederationToken's Name: 2 to 32 characters of [\w+=,.@-], from the local user. */
export function federationName(user: string): string {
  const clean = `stsx-${user}`.replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-').slice(0, 32);
  return clean.length >= 2 ? clean : 'stsx';
}

export function issueFederationToken(session: StsSession, request: { user: string; durationSeconds: number }): ReturnType<StsSession['getFederationToken']> {
  return session.getFederationToken({ Name: federationName(request.user), DurationSeconds: request.durationSeconds, Policy: ALLOW_ALL_POLICY });
}
