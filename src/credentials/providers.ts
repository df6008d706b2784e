// The provider of each credential-source kind (source.ts chooses the kind). The AWS SDK loads only
// here, lazily: a cache hit never reaches this module's providers. Every SDK provider and inner
// client gets stsx's logger, so no SDK warning reaches the terminal unfiltered (the SDK falls back
// to console.warn without one).
import type * as CredentialProviders from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger } from '@aws-sdk/types';
import type { Env, StartProcess } from '../deps.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { innerClientConfig, type NetworkLimits } from '../sts/client.ts';
import { withStsSession } from '../sts/session.ts';
import { isNetworkFailure } from '../sts/map-error.ts';
import { assumeRoleInput } from '../issue/assume-role.ts';
import { defaultSessionName } from '../issue/session-name.ts';
import { AuthError, ConfigError, StsxError } from '../errors.ts';
import { elapsedText, isoSeconds } from '../text/expiry.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import { printable, runCredentialProcess } from './process-provider.ts';
import { describeSource, type CredentialSource } from './source.ts';
import { webIdentityCredentials } from '../web-identity/provider.ts';
import { checkSsoSettings } from './sso-provider.ts';
import type { ConfigFiles } from '../config/config-files.ts';
import { shareFilesWithSdk } from '../config/sdk-view.ts';

export type MfaCodeProvider = (serial: string) => Promise<string>;

export interface ProviderIo {
  env: Env;
  now: () => Date;
  /** The local user, for the default role session name. */
  user: string;
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
  /** An SSO profile's role credentials (src/sso/: token cache, refresh, login when allowed). */
  sso: (profile: string, requestHandler: unknown) => Promise<AwsCredentialIdentity>;
  /** Keys `stsx keys` stored (its own credential_process line, read without a second process). */
  storedKeys: (source: Extract<CredentialSource, { kind: 'stored-keys' }>) => Promise<AwsCredentialIdentity>;
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
  const provider = sourceProvider(source, endpoint, io);
  return async () => checkedCredentials(await provider(), source);
}

/** The names a source gives the three values, for a message that never shows the values. */
function credentialNames(source: CredentialSource): { names: [string, string, string]; where: string } {
  switch (source.kind) {
    case 'environment':
      return { names: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'], where: 'in the environment' };
    case 'keys':
      return { names: ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'], where: `of profile "${source.profile}"${source.file ? ` (${source.file})` : ''}` };
    default:
      return { names: ['AccessKeyId', 'SecretAccessKey', 'SessionToken'], where: `from ${describeSource(source)}` };
  }
}

/** A visible ASCII character: the key id and the session token travel in HTTP headers. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/**
 * Credentials as read, before anything is signed with them: a key id or a token with control
 * characters (a paste that brought escape sequences, a broken credential_process) is named here,
 * with where it came from and never its value, instead of failing deep in the HTTP client.
 */
function checkedCredentials(credentials: AwsCredentialIdentity, source: CredentialSource): AwsCredentialIdentity {
  const { names, where } = credentialNames(source);
  const problem = (value: string | undefined, header: boolean): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (CONTROL.test(value)) return 'control characters';
    return header && !HEADER_SAFE.test(value) ? 'spaces or characters outside printable ASCII' : undefined;
  };
  const fields: Array<[string, string | undefined]> = [
    [names[0], problem(credentials.accessKeyId, true)],
    [names[1], problem(credentials.secretAccessKey, false)],
    [names[2], problem(credentials.sessionToken, true)],
  ];
  const bad = fields.find(([, p]) => p !== undefined);
  if (!bad) return credentials;
  const message = `${bad[0]} ${where} contains ${bad[1] ?? ''}: it cannot be a credential`;
  // Values the person configured: fix the configuration. Values a provider answered: it failed.
  if (source.kind === 'environment' || source.kind === 'keys') {
    throw new ConfigError(message, { hint: source.kind === 'environment' ? `export ${bad[0]} again from where the keys come from (a paste may have carried escape sequences), or unset it` : `rewrite ${bad[0]} of profile "${source.profile}" (aws configure), or remove the line` });
  }
  throw new AuthError(message, { hint: source.kind === 'process' ? `run the credential_process of profile "${source.profile}" by hand and check its output` : 'get fresh credentials from that source and try again' });
}

function sourceProvider(source: CredentialSource, endpoint: ResolvedEndpoint, io: ProviderIo): AwsCredentialIdentityProvider {
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
      return () => assumeHop(source, master, endpoint, io);
    }
    case 'instance-role':
      // The instance metadata provider reads its endpoint settings (ec2_metadata_service_endpoint...) from the config file: stsx's reading of it.
      return named(source, async () => (await sdkWithFiles(io)).fromInstanceMetadata({ timeout: 1000, maxRetries: 1, logger })());
    case 'container-role':
      // As the SDK's own credential_source handling does: the container endpoint, then ECS's legacy
      // one, which sends no authorization (so not with EKS Pod Identity's token). When both fail,
      // the first one's error is the cause: the legacy provider's own ("instance metadata
      // service") would name a service the variables never pointed at.
      return named(source, async () => {
        await checkContainerToken(io);
        const p = await sdk();
        try {
          return await p.fromHttp({ timeout: 1000, maxRetries: 1, logger })();
        } catch (error) {
          if (io.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE || io.env.AWS_CONTAINER_AUTHORIZATION_TOKEN) throw error;
          return p.fromContainerMetadata({ timeout: 1000, maxRetries: 1, logger })().catch((legacy: unknown) => {
            io.debug(`container: the legacy ECS endpoint failed too: ${text(legacy)}`);
            throw error;
          });
        }
      });
    case 'sso':
      return named(source, () => {
        checkSsoSettings(source);
        return io.sso(source.profile, clientConfig.requestHandler);
      });
    case 'process':
      return () => {
        let pending = io.processes.get(source.profile);
        if (!pending) {
          pending = runCredentialProcess(source, { env: io.env, start: io.startProcess, timeoutMs: io.limits.totalTimeoutMs, now: io.now });
          io.processes.set(source.profile, pending);
        }
        return pending;
      };
    case 'stored-keys':
      return () => io.storedKeys(source);
    case 'web-identity':
      // Our own token reader and named errors (web-identity/provider.ts), unsigned, at this endpoint.
      return named(source, () => webIdentityCredentials(source, endpoint, { env: io.env, now: io.now, user: io.user, limits: io.limits, readFile: io.readFile, readFileHead: io.readFileHead, debug: io.debug }));
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
 * EKS Pod Identity's token file (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), read once through the
 * bounded reader before the endpoint is asked: a missing or unreadable file is named with its path.
 */
async function checkContainerToken(io: ProviderIo): Promise<void> {
  const file = io.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (!file) return;
  let token: string;
  try {
    // Bounded: the file is a token of a few KiB, never worth reading whole when it is not.
    token = io.readFileHead ? (await io.readFileHead(file, 64 * 1024)).toString('utf8') : await io.readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
    throw new AuthError(`the container authorization token file ${printable(file)} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) cannot be read: ${printable(reason)}`, {
      hint: 'on EKS the Pod Identity agent mounts it (check the service account\'s Pod Identity association and the pod\'s volume); elsewhere unset AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
      cause: error,
    });
  }
  if (token.trim() === '') {
    throw new AuthError(`the container authorization token file ${printable(file)} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) is empty`, { hint: 'on EKS the Pod Identity agent writes it; check the pod\'s Pod Identity association' });
  }
  // The SDK sends the file as it is in the Authorization header, where a line break cannot go.
  if (CONTROL.test(token)) {
    throw new AuthError(`the container authorization token file ${printable(file)} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) contains a line break or control characters`, { hint: 'the file must hold the token alone (printf \'%s\' "$TOKEN" > file, not echo)' });
  }
}

/**
 * One role hop of a chain, on the source's credentials: the AssumeRole issuer's request, sent
 * through an STS session at this endpoint (its fallbacks are the outer session's). Not the SDK's
 * fromTemporaryCredentials: that looks a region up in the shared config files (for AWS_PROFILE)
 * even when its client is given one, and that one lookup makes the SDK read and parse both files
 * again. An MFA serial with no way to ask for a code fails with the SDK's message (sts/map-error.ts
 * knows it).
 */
async function assumeHop(chain: Extract<CredentialSource, { kind: 'role-chain' }>, master: AwsCredentialIdentityProvider, endpoint: ResolvedEndpoint, io: ProviderIo): Promise<AwsCredentialIdentity> {
  const hop = chain.hop;
  let tokenCode: string | undefined;
  if (hop.mfaSerial !== undefined) {
    if (!io.mfaCodeProvider) throw Object.assign(new Error('Temporary credential requires multi-factor authentication, but no MFA code callback was provided.'), { name: 'CredentialsProviderError' });
    tokenCode = await io.mfaCodeProvider(hop.mfaSerial);
  }
  io.debug(`AssumeRole (role hop to ${hop.roleArn}) -> ${endpoint.url}`);
  const target = { endpoint, fallbacks: [], profileName: { name: chain.profile } };
  return withStsSession(target, { signer: { kind: 'provider', provider: () => Promise.resolve(master) }, limits: io.limits, now: io.now }, async (session) => {
    const request = { roleArn: hop.roleArn, sessionName: hop.sessionName ?? defaultSessionName(io.user, io.now()), externalId: hop.externalId, mfaSerial: hop.mfaSerial, durationSeconds: hop.durationSeconds };
    const c = await session.assumeRole(assumeRoleInput(request, tokenCode));
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
  });
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
        throw new AuthError(`${describeSource(source)} is missing or expired (${detail})`, { hint: `run: stsx login --profile ${source.profile}`, cause: error });
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
  return (typeof error === 'object' && error !== null && (error as { $metadata?: unknown }).$metadata !== undefined) || isNetworkFailure(error);
}

/**
 * Exported credentials, checked against AWS_CREDENTIAL_EXPIRATION (which stsx itself writes):
 * past it, fail here, before any network call, and say both ways out.
 */
export function environmentCredentials(source: Extract<CredentialSource, { kind: 'environment' }>, now: Date): AwsCredentialIdentity {
  const expiration = source.expiration !== undefined ? new Date(source.expiration) : undefined;
  const valid = expiration !== undefined && !Number.isNaN(expiration.getTime());
  if (valid && expiration.getTime() <= now.getTime()) {
    const ago = now.getTime() - expiration.getTime();
    throw new AuthError(
      `the credentials in the environment (AWS_ACCESS_KEY_ID ${maskAccessKeyId(source.accessKeyId)}) expired at ${isoSeconds(expiration)}${ago >= 30_000 ? `, ${elapsedText(ago)} ago` : ''} (AWS_CREDENTIAL_EXPIRATION)`,
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
