// The provider of each credential-source kind (source.ts chooses the kind). The AWS SDK loads only
// here, lazily: a cache hit never reaches this module's providers. Every SDK provider and inner
// client gets stsx's logger, so no SDK warning reaches the terminal unfiltered (the SDK falls back
// to console.warn without one).
import type * as CredentialProviders from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger } from '@aws-sdk/types';
import type { Env, StartProcess } from '../deps.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { createStsClient, innerClientConfig, type NetworkLimits } from '../sts/client.ts';
import { AuthError, StsxError } from '../errors.ts';
import { isoSeconds } from '../output/expiry.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import { printable, runCredentialProcess } from './process-provider.ts';
import { describeSource, type CredentialSource } from './source.ts';
import { webIdentityCredentials } from '../web-identity/provider.ts';
import type { ConfigFiles } from '../config/config-files.ts';
import { shareFilesWithSdk } from '../config/sdk-view.ts';

export type MfaCodeProvider = (serial: string) => Promise<string>;

export interface ProviderIo {
  env: Env;
  now: () => Date;
  startProcess: StartProcess;
  limits: NetworkLimits;
  mfaCodeProvider?: MfaCodeProvider | undefined;
  /** SDK log lines: --debug only. */
  debug: (line: string) => void;
  /** One answer per credential process per run, whatever the endpoint: never a second copy. */
  processes: Map<string, Promise<AwsCredentialIdentity>>;
  /** Token files (web identity), through deps. */
  readFile: (file: string) => Promise<string>;
  readFileHead?: ((file: string, maxBytes: number) => Promise<Buffer>) | undefined;
  /** The run's reading of the config files, handed to the SDK providers that read the files themselves (config/sdk-view.ts). */
  files?: (() => Promise<ConfigFiles>) | undefined;
}

/** The SDK's credential providers, once the SDK's file reader has stsx's reading of the files. */
async function sdkWithFiles(io: ProviderIo): Promise<typeof CredentialProviders> {
  const [sdk] = await Promise.all([import('@aws-sdk/credential-providers'), io.files ? io.files().then(shareFilesWithSdk) : undefined]);
  return sdk;
}

/** A logger for the SDK: everything it says goes to --debug, never straight to the terminal. */
export function sdkLogger(debug: (line: string) => void): Logger {
  const log = (level: string) => (...content: unknown[]): void => debug(`sdk ${level}: ${printable(content.map(text).join(' ').replace(/\s+/g, ' ')).slice(0, 500)}`);
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function providerFor(source: CredentialSource, endpoint: ResolvedEndpoint, io: ProviderIo): AwsCredentialIdentityProvider {
  const logger = sdkLogger(io.debug);
  const clientConfig = { ...innerClientConfig(endpoint, io.limits), logger };
  const sdk = (): Promise<typeof CredentialProviders> => import('@aws-sdk/credential-providers');
  switch (source.kind) {
    case 'keys':
      return () => Promise.resolve({ accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}) });
    case 'environment':
      return () => Promise.resolve(environmentCredentials(source, io.now()));
    case 'role-chain': {
      const master = providerFor(source.source, endpoint, io);
      return () => assumeHop(source.hop, master, endpoint, io);
    }
    case 'instance-role':
      // The instance metadata provider reads its endpoint settings (ec2_metadata_service_endpoint...) from the config file: stsx's reading of it.
      return named(source, async () => (await sdkWithFiles(io)).fromInstanceMetadata({ timeout: 1000, maxRetries: 1, logger })());
    case 'container-role':
      // As the SDK's own credential_source handling does: the container endpoint, then ECS's legacy one.
      return named(source, async () => {
        const p = await sdk();
        try {
          return await p.fromHttp({ timeout: 1000, maxRetries: 1, logger })();
        } catch {
          return p.fromContainerMetadata({ timeout: 1000, maxRetries: 1, logger })();
        }
      });
    case 'sso':
      return named(source, async () => (await sdkWithFiles(io)).fromSSO({ profile: source.profile, logger, clientConfig: { logger, requestHandler: clientConfig.requestHandler } })());
    case 'process':
      return () => {
        let pending = io.processes.get(source.profile);
        if (!pending) {
          pending = runCredentialProcess(source, { env: io.env, start: io.startProcess, timeoutMs: io.limits.totalTimeoutMs, now: io.now });
          io.processes.set(source.profile, pending);
        }
        return pending;
      };
    case 'web-identity':
      // Our own token reader and named errors (web-identity/provider.ts), unsigned, at this endpoint.
      return named(source, () => webIdentityCredentials(source, endpoint, { env: io.env, now: io.now, limits: io.limits, readFile: io.readFile, readFileHead: io.readFileHead, debug: io.debug }));
    case 'console-login':
      return named(source, async () => (await sdkWithFiles(io)).fromIni({ profile: source.profile, clientConfig, logger, ...(io.mfaCodeProvider ? { mfaCodeProvider: io.mfaCodeProvider } : {}) })());
    case 'none':
      return () =>
        Promise.reject(
          new AuthError(`no AWS credentials found for profile "${source.profile}"`, {
            hint: source.explicit
              ? `add keys, a role, SSO or credential_process to profile "${source.profile}", set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose another --profile`
              : 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add keys or a role to the profile, or choose one with --profile',
          }),
        );
  }
}

/**
 * One role hop of a chain, on the source's credentials, through the one STS client factory. Not
 * the SDK's fromTemporaryCredentials: that looks a region up in the shared config files (for
 * AWS_PROFILE) even when its client is given one, and that one lookup makes the SDK read and parse
 * both files again (issue 13). Same request and same errors as it: an MFA serial with no way to
 * ask for a code fails with the SDK's message (sts/map-error.ts knows it).
 */
async function assumeHop(hop: Extract<CredentialSource, { kind: 'role-chain' }>['hop'], master: AwsCredentialIdentityProvider, endpoint: ResolvedEndpoint, io: ProviderIo): Promise<AwsCredentialIdentity> {
  let tokenCode: string | undefined;
  if (hop.mfaSerial !== undefined) {
    if (!io.mfaCodeProvider) throw Object.assign(new Error('Temporary credential requires multi-factor authentication, but no MFA code callback was provided.'), { name: 'CredentialsProviderError' });
    tokenCode = await io.mfaCodeProvider(hop.mfaSerial);
  }
  const [{ AssumeRoleCommand }, client] = await Promise.all([import('@aws-sdk/client-sts'), createStsClient(endpoint, master, io.limits)]);
  io.debug(`AssumeRole (role hop to ${hop.roleArn}) -> ${endpoint.url}`);
  try {
    const { Credentials: c } = await client.send(new AssumeRoleCommand({
      RoleArn: hop.roleArn,
      RoleSessionName: hop.sessionName ?? `stsx-${Math.floor(io.now().getTime() / 1000)}`,
      ...(hop.externalId !== undefined ? { ExternalId: hop.externalId } : {}),
      ...(hop.mfaSerial !== undefined ? { SerialNumber: hop.mfaSerial, TokenCode: tokenCode } : {}),
      ...(hop.durationSeconds !== undefined ? { DurationSeconds: hop.durationSeconds } : {}),
    }));
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`Invalid response from STS.assumeRole call with role ${hop.roleArn}`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  } finally {
    client.destroy();
  }
}

/**
 * A provider whose failures name its source. An answer from STS itself (web identity and console
 * login call it; it carries $metadata) or a failure to reach it keeps the one STS mapping
 * (sts/map-error.ts), so failover and the exit codes stay the same.
 */
function named(source: Extract<CredentialSource, { kind: 'instance-role' | 'container-role' | 'sso' | 'web-identity' | 'console-login' }>, provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return async () => {
    try {
      return await provider();
    } catch (error) {
      if (error instanceof StsxError && !(source.kind === 'web-identity' && error instanceof AuthError && /token file/.test(error.message))) throw error;
      if ((source.kind === 'web-identity' || source.kind === 'console-login') && fromSts(error)) throw error;
      const detail = printable(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);
      if (source.kind === 'instance-role' && source.ambient) {
        throw new AuthError(`no AWS credentials found for profile "${source.ambient.profile}": none in the environment or the config files, and no EC2 instance role (${detail})`, {
          hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add keys or a role to the profile, or choose one with --profile',
          cause: error,
        });
      }
      if (source.kind === 'sso') {
        throw new AuthError(`${describeSource(source)} is missing or expired (${detail})`, { hint: `run: aws sso login --profile ${source.profile}`, cause: error });
      }
      throw new AuthError(`no credentials from ${describeSource(source)}: ${detail}`, {
        hint: NAMED_HINTS[source.kind],
        cause: error,
      });
    }
  };
}

const NAMED_HINTS: Record<'instance-role' | 'container-role' | 'web-identity' | 'console-login', string> = {
  'instance-role': 'run it on an EC2 instance with a role attached (IMDS reachable), or choose another --profile',
  'container-role': 'check the container credentials variables (AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI), or choose another --profile',
  'web-identity': 'check that the web identity token file exists and is readable (web_identity_token_file / AWS_WEB_IDENTITY_TOKEN_FILE)',
  'console-login': 'log in again (aws login), or choose another --profile',
};

/** An STS answer, or a failure to reach the endpoint: what map-error.ts turns into stsx's errors. */
function fromSts(error: unknown): boolean {
  const e = error as { $metadata?: unknown; code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  return e.$metadata !== undefined || /^(?:ECONN|EHOST|ENET|ETIMEDOUT|ENOTFOUND|EAI_|EPIPE)/.test(code) || e.name === 'TimeoutError' || e.name === 'AbortError';
}

/**
 * Exported credentials, checked against AWS_CREDENTIAL_EXPIRATION (which stsx itself writes):
 * past it, fail here, before any network call, and say both ways out.
 */
export function environmentCredentials(source: Extract<CredentialSource, { kind: 'environment' }>, now: Date): AwsCredentialIdentity {
  const expiration = source.expiration !== undefined ? new Date(source.expiration) : undefined;
  const valid = expiration !== undefined && !Number.isNaN(expiration.getTime());
  if (valid && expiration.getTime() <= now.getTime()) {
    const minutes = Math.round((now.getTime() - expiration.getTime()) / 60000);
    throw new AuthError(
      `the credentials in the environment (AWS_ACCESS_KEY_ID ${maskAccessKeyId(source.accessKeyId)}) expired at ${isoSeconds(expiration)}${minutes > 0 ? `, ${formatAgo(minutes)} ago` : ''} (AWS_CREDENTIAL_EXPIRATION)`,
      { code: 'ExpiredToken', hint: 'assume the role again (eval "$(stsx assume ...)"), or drop them to use your profile\'s credentials: eval "$(stsx unset)"' },
    );
  }
  return {
    accessKeyId: source.accessKeyId,
    secretAccessKey: source.secretAccessKey,
    ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
    ...(valid ? { expiration } : {}),
  };
}

function formatAgo(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return `${h} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
