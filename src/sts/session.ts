// An STS session for one command: the resolved settings, source credentials and the one client,
// plus the operations stsx calls. Every SDK error is mapped here, in one place.
import type { STSClient } from '@aws-sdk/client-sts';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, Credentials, GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedSettings } from '../config/resolve-settings.ts';
import { createStsClient, DEFAULT_LIMITS, type NetworkLimits } from './client.ts';
import { sourceCredentials, type MfaCodeProvider } from './credentials.ts';
import { mapStsError } from './map-error.ts';
import { InternalError } from '../errors.ts';

export interface Identity {
  account: string;
  arn: string;
  userId: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface StsSession {
  settings: ResolvedSettings;
  getCallerIdentity(): Promise<Identity>;
  getAccessKeyInfo(accessKeyId: string): Promise<{ account: string }>;
  decodeAuthorizationMessage(encoded: string): Promise<string>;
  assumeRole(input: AssumeRoleCommandInput): Promise<IssuedCredentials & { assumedRoleArn: string; assumedRoleId: string }>;
  getSessionToken(input: GetSessionTokenCommandInput): Promise<IssuedCredentials>;
  /** The source credentials, resolved (runs the profile's chain: role hops, SSO, process...). */
  credentials(): Promise<AwsCredentialIdentity>;
  client(): Promise<STSClient>;
  /** Maps an SDK error for this session's endpoint and profile. */
  fail(error: unknown, operation: string): never;
  destroy(): void;
}

export interface SessionOptions {
  limits?: NetworkLimits | undefined;
  mfaCodeProvider?: MfaCodeProvider | undefined;
  /** Use these credentials instead of the profile's chain. */
  credentials?: AwsCredentialIdentity | undefined;
  /** Use this provider for the source credentials instead of the profile's chain. */
  provider?: (() => Promise<AwsCredentialIdentityProvider>) | undefined;
  /** Called before every STS operation, for --debug. */
  trace?: ((line: string) => void) | undefined;
}

export function openStsSession(settings: ResolvedSettings, options: SessionOptions = {}): StsSession {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  let clientPromise: Promise<STSClient> | undefined;
  let resolved: Promise<AwsCredentialIdentity> | undefined;
  const profile = settings.profileName.name;

  const fail = (error: unknown, operation: string): never => {
    throw mapStsError(error, { endpoint: settings.endpoint, operation, profile });
  };
  const credentials = (): Promise<AwsCredentialIdentity> => {
    resolved ??= (async () => {
      if (options.credentials) return options.credentials;
      provider ??= options.provider ? options.provider() : sourceCredentials(settings, limits, options.mfaCodeProvider);
      try {
        return await (await provider)();
      } catch (error) {
        return fail(error, 'credentials');
      }
    })();
    return resolved;
  };
  const client = (): Promise<STSClient> => {
    clientPromise ??= credentials().then((creds) => createStsClient(settings.endpoint, creds, limits));
    return clientPromise;
  };
  async function send<T>(operation: string, run: (c: STSClient, sdk: typeof StsSdk) => Promise<T>): Promise<T> {
    const c = await client();
    const sdk = await import('@aws-sdk/client-sts');
    options.trace?.(`${operation} -> ${settings.endpoint.url} (signing region ${settings.endpoint.signingRegion})`);
    try {
      return await run(c, sdk);
    } catch (error) {
      return fail(error, operation);
    }
  }

  return {
    settings,
    credentials,
    client,
    fail,
    async getCallerIdentity() {
      const out = await send('GetCallerIdentity', (c, sdk) => c.send(new sdk.GetCallerIdentityCommand({})));
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
    async getAccessKeyInfo(accessKeyId) {
      const out = await send('GetAccessKeyInfo', (c, sdk) => c.send(new sdk.GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId })));
      return { account: out.Account ?? '' };
    },
    async decodeAuthorizationMessage(encoded) {
      const out = await send('DecodeAuthorizationMessage', (c, sdk) => c.send(new sdk.DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })));
      return out.DecodedMessage ?? '';
    },
    async assumeRole(input) {
      const out = await send('AssumeRole', (c, sdk) => c.send(new sdk.AssumeRoleCommand(input)));
      return { ...issued(out.Credentials, 'AssumeRole'), assumedRoleArn: out.AssumedRoleUser?.Arn ?? '', assumedRoleId: out.AssumedRoleUser?.AssumedRoleId ?? '' };
    },
    async getSessionToken(input) {
      const out = await send('GetSessionToken', (c, sdk) => c.send(new sdk.GetSessionTokenCommand(input)));
      return issued(out.Credentials, 'GetSessionToken');
    },
    destroy() {
      void clientPromise?.then((c) => c.destroy()).catch(() => undefined);
    },
  };
}

function issued(c: Credentials | undefined, operation: string): IssuedCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !(c.Expiration instanceof Date)) {
    throw new InternalError(`STS answered ${operation} without complete credentials`, { hint: 'check that the endpoint is really STS (--debug shows which one)' });
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
