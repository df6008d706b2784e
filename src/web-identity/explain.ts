// The failures users hit most with AssumeRoleWithWebIdentity, each named, with the token's claims
// (decoded locally, never the token itself). One place for `assume --web-identity` and for the
// web-identity credential source of profiles (credentials/providers.ts).
import { AuthError, StsxError } from '../errors.ts';
import { DEFAULT_AUDIENCE, describeTokenSource, tokenClaims, type WebIdentitySource } from './token.ts';

/** STS's answers users hit most, each named, with the token's claims (never the token). */
export function explainWebIdentityError(error: unknown, token: string, roleArn: string, source: WebIdentitySource): unknown {
  if (!(error instanceof StsxError)) return error;
  const claims = tokenClaims(token);
  const shown = `sub ${JSON.stringify(claims.sub ?? '(none)')}, aud ${JSON.stringify(claims.aud ?? '(none)')}, iss ${JSON.stringify(claims.iss ?? '(none)')}`;
  const message = error.message;
  const details = { code: error.code, cause: error };
  if (error.code === 'AccessDenied' || error.code === 'AccessDeniedException') {
    return new AuthError(`the trust policy of ${roleArn} does not accept this token (AccessDenied); the token has ${shown}`, {
      ...details,
      hint: 'the trust policy\'s conditions on <issuer>:sub and <issuer>:aud must match these values exactly (owner and repository names too), and its Federated principal must be this issuer\'s provider',
    });
  }
  if (error.code === 'InvalidIdentityToken' && /No OpenIDConnect provider/i.test(message)) {
    const iss = claims.iss ?? 'https://token.actions.githubusercontent.com';
    return new AuthError(`the account of ${roleArn} has no IAM OIDC identity provider for ${iss} (InvalidIdentityToken)`, {
      ...details,
      hint: `create it once in that account: aws iam create-open-id-connect-provider --url ${iss} --client-id-list ${claims.aud?.split(', ')[0] ?? DEFAULT_AUDIENCE}`,
    });
  }
  if (error.code === 'InvalidIdentityToken' && /audience/i.test(message)) {
    return new AuthError(`the IAM OIDC provider does not list the token's audience (InvalidIdentityToken); the token has ${shown}`, {
      ...details,
      hint: 'pass the audience the provider lists with --audience (default sts.amazonaws.com), or add it to the provider\'s client ids',
    });
  }
  if (error.code === 'ExpiredTokenException' || error.code === 'ExpiredToken') {
    return new AuthError(`the web identity token from ${describeTokenSource(source)} has expired${claims.exp !== undefined ? ` (exp ${new Date(claims.exp * 1000).toISOString()})` : ''}`, {
      ...details,
      hint: source.kind === 'file' ? 'the file must be refreshed by whatever writes it' : 'tokens live a few minutes: request it right before stsx runs',
    });
  }
  if (error.code === 'InvalidIdentityToken' || error.code === 'IDPRejectedClaim' || error.code === 'IDPCommunicationError') {
    return new AuthError(`STS did not accept the web identity token (${error.code}); the token has ${shown}`, {
      ...details,
      hint: error.code === 'IDPCommunicationError' ? 'STS could not reach the identity provider to check the token; try again' : 'check the token source and the IAM OIDC provider',
    });
  }
  return error;
}
