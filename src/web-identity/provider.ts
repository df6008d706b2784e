// The web-identity credential source of a profile (role_arn + web_identity_token_file) or of the
// environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN): the same token reader, issuer and
// named errors as `assume --web-identity`, one unsigned AssumeRoleWithWebIdentity through an STS
// session at the outer session's endpoint.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Env } from '../deps.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import type { NetworkLimits } from '../sts/client.ts';
import { withStsSession } from '../sts/session.ts';
import { assumeRoleWithWebIdentity } from '../issue/web-identity.ts';
import { DEFAULT_AUDIENCE, readToken, webIdentitySessionName, type WebIdentitySource } from './token.ts';
import { explainWebIdentityError } from './explain.ts';

export interface WebIdentityIo {
  env: Env;
  now: () => Date;
  /** The local user, for the default role session name. */
  user: string;
  limits: NetworkLimits;
  readFile: (file: string) => Promise<string>;
  /** At most maxBytes + 1 bytes: a huge token file is refused without reading it all. */
  readFileHead?: ((file: string, maxBytes: number) => Promise<Buffer>) | undefined;
  debug: (line: string) => void;
}

export async function webIdentityCredentials(
  source: { profile: string | undefined; roleArn: string; tokenFile: string; sessionName?: string | undefined },
  endpoint: ResolvedEndpoint,
  io: WebIdentityIo,
): Promise<AwsCredentialIdentity> {
  const tokenSource: WebIdentitySource = { kind: 'file', path: source.tokenFile };
  const token = await readToken(tokenSource, DEFAULT_AUDIENCE, { env: io.env, readFile: io.readFile, ...(io.readFileHead ? { readFileHead: io.readFileHead } : {}), fetch: globalThis.fetch, timeoutMs: io.limits.totalTimeoutMs, debug: io.debug });
  const target = { endpoint, fallbacks: [], profileName: { name: source.profile ?? 'default' } };
  return withStsSession(target, { signer: { kind: 'unsigned' }, limits: io.limits, now: io.now }, async (session) => {
    const sessionName = source.sessionName ?? webIdentitySessionName(io.env, io.user, io.now());
    io.debug(`AssumeRoleWithWebIdentity ${source.roleArn} as ${sessionName} -> ${endpoint.url} (unsigned)`);
    try {
      const c = await assumeRoleWithWebIdentity(session, { roleArn: source.roleArn, sessionName, token });
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    } catch (error) {
      throw explainWebIdentityError(error, token, source.roleArn, tokenSource);
    }
  });
}
