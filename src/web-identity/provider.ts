// The web-identity credential source of a profile (role_arn + web_identity_token_file) or of the
// environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN): the same token reader and named errors
// as `assume --web-identity`, one unsigned AssumeRoleWithWebIdentity at the session's endpoint.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Env } from '../deps.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { createStsClient, type NetworkLimits } from '../sts/client.ts';
import { mapStsError } from '../sts/map-error.ts';
import { NetworkError, StsxError } from '../errors.ts';
import { ciSessionName, DEFAULT_AUDIENCE, readToken, type WebIdentitySource } from './token.ts';
import { explainWebIdentityError } from './explain.ts';

export interface WebIdentityIo {
  env: Env;
  now: () => Date;
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
  const client = await createStsClient(endpoint, undefined, io.limits);
  try {
    const { AssumeRoleWithWebIdentityCommand } = await import('@aws-sdk/client-sts');
    const sessionName = source.sessionName ?? ciSessionName(io.env) ?? `stsx-${Math.floor(io.now().getTime() / 1000)}`;
    io.debug(`AssumeRoleWithWebIdentity ${source.roleArn} as ${sessionName} -> ${endpoint.url} (unsigned)`);
    const out = await client.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: source.roleArn, RoleSessionName: sessionName, WebIdentityToken: token }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new NetworkError(`${endpoint.host} answered AssumeRoleWithWebIdentity without credentials: that is not an STS answer`, { host: endpoint.host });
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } catch (error) {
    const mapped = error instanceof StsxError ? error : mapStsError(error, { endpoint, operation: 'AssumeRoleWithWebIdentity', profile: source.profile ?? 'default', timeoutMs: io.limits.totalTimeoutMs });
    throw explainWebIdentityError(mapped, token, source.roleArn, tokenSource);
  } finally {
    client.destroy();
  }
}
