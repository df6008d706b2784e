// An STS session for one command: the resolved settings, source credentials and the one client,
// plus the operations stsx calls. Every SDK error is mapped here, in one place.
import type { STSClient } from '@aws-sdk/client-sts';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput, AssumeRoleWithWebIdentityCommandInput, Credentials, GetFederationTokenCommandInput, GetSessionTokenCommandInput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createStsClient, DEFAULT_LIMITS, type NetworkLimits, type RawAnswer } from './client.ts';
import { checkNotExpired, checkSuccessAnswer, isNotStsError, notStsError, requireFields } from './validate-answer.ts';
import { mapStsError } from './map-error.ts';
import { InternalError, NetworkError, StsxError } from '../errors.ts';
import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { startDeadline, type Deadline, type Progress } from '../deadline.ts';
import { rememberSecrets } from '../text/redact.ts';

export interface Identity {
  account: string;
  arn: string;
  userId: string;
}

interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface StsSession {
  /** The endpoint in use now (after any failover, the one that served). */
  endpoint(): ResolvedEndpoint;
  getCallerIdentity(): Promise<Identity>;
  getAccessKeyInfo(accessKeyId: string): Promise<{ account: string }>;
  decodeAuthorizationMessage(encoded: string): Promise<string>;
  assumeRole(input: AssumeRoleCommandInput): Promise<IssuedCredentials & { assumedRoleArn: string; assumedRoleId: string }>;
  getSessionToken(input: GetSessionTokenCommandInput): Promise<IssuedCredentials>;
  /** Long-term IAM user keys -> a federation token (what `stsx console` signs in with). */
  getFederationToken(input: GetFederationTokenCommandInput): Promise<IssuedCredentials & { federatedUserArn: string }>;
  /** Unsigned: open the session with `unsigned: true` (no source credentials are read). */
  assumeRoleWithWebIdentity(input: AssumeRoleWithWebIdentityCommandInput): Promise<IssuedCredentials & { assumedRoleArn: string; assumedRoleId: string }>;
  /** The source credentials, resolved (runs the profile's chain: role hops, SSO, process...). */
  credentials(): Promise<AwsCredentialIdentity>;
  client(): Promise<STSClient>;
  /** Maps an SDK error for this session's endpoint and profile. */
  fail(error: unknown, operation: string): never;
  destroy(): void;
}

/**
 * What signs the session's requests. Source credentials are chosen by credentials/source.ts (one
 * strategy per kind) and built by credentials/providers.ts; a session always says which it uses.
 */
export type Signer =
  /** No credentials at all: for unsigned operations (AssumeRoleWithWebIdentity). */
  | { kind: 'unsigned' }
  /** These credentials (an MFA session, a web identity's role session). */
  | { kind: 'credentials'; credentials: AwsCredentialIdentity }
  /** Source credentials for an endpoint (inner hops go to the same endpoint). */
  | { kind: 'provider'; provider: (endpoint: ResolvedEndpoint) => Promise<AwsCredentialIdentityProvider> };

/** What a session needs of the resolved settings: where (the endpoint and its fallbacks) and for which profile. */
export interface SessionTarget {
  endpoint: ResolvedEndpoint;
  fallbacks: readonly ResolvedEndpoint[];
  profileName: { name: string };
}

export interface SessionOptions {
  signer: Signer;
  limits?: NetworkLimits | undefined;
  /** Called before every STS operation, for --debug. */
  trace?: ((line: string) => void) | undefined;
  /** Called when an endpoint cannot be reached and the next one is tried. */
  onFailover?: ((from: ResolvedEndpoint, to: ResolvedEndpoint, error: NetworkError) => void) | undefined;
  /** Called once when a fallback endpoint served a request. */
  onServed?: ((endpoint: ResolvedEndpoint) => void) | undefined;
  /** The clock issued credentials are checked against (default: the system clock). */
  now?: (() => Date) | undefined;
}

/**
 * One state per endpoint: the primary first, then the opt-in fallbacks. An operation (with the
 * source credentials it needs) moves to the next endpoint only when the current one cannot be
 * reached or keeps failing on the server side (a NetworkError); an answer about the caller
 * (AccessDenied, ExpiredToken, ValidationError...) is final.
 */
export function openStsSession(settings: SessionTarget, options: SessionOptions): StsSession {
  // One deadline per step sequence at one endpoint (--timeout); the clients' sockets report their
  // step into whichever deadline is running, so a timeout names DNS, TCP, TLS or the answer.
  let active: Deadline | undefined;
  const progress: Progress = {
    step: (kind, what) => active?.step(kind, what),
    current: () => active?.current(),
    elapsedMs: () => active?.elapsedMs() ?? 0,
  };
  const limits = { ...(options.limits ?? DEFAULT_LIMITS), progress };
  const now = options.now ?? (() => new Date());
  /** What answered the request in flight (sts/client.ts records it). */
  let answer: RawAnswer | undefined;
  const endpoints = [settings.endpoint, ...settings.fallbacks];
  const profile = settings.profileName.name;
  const failures: string[] = [];
  let index = 0;
  let announced = false;
  let state = newState();

  function newState(): { provider?: Promise<AwsCredentialIdentityProvider>; client?: Promise<STSClient>; resolved?: Promise<AwsCredentialIdentity> } {
    return {};
  }
  const endpoint = (): ResolvedEndpoint => endpoints[index] ?? settings.endpoint;
  const fail = (error: unknown, operation: string): never => {
    throw mapStsError(error, { endpoint: endpoint(), operation, profile, timeoutMs: limits.totalTimeoutMs, progress, answer });
  };
  const credentialsHere = (): Promise<AwsCredentialIdentity> => {
    state.resolved ??= (async () => {
      const signer = options.signer;
      if (signer.kind === 'credentials') {
        rememberSecrets(signer.credentials.secretAccessKey, signer.credentials.sessionToken);
        return signer.credentials;
      }
      if (signer.kind === 'unsigned') throw new InternalError('an unsigned STS session was asked for its credentials', { hint: 'this is a bug in stsx; run again with --debug and report the output' });
      state.provider ??= signer.provider(endpoint());
      try {
        progress.step('credentials', `loading the source credentials of profile "${profile}"`);
        const creds = await (await state.provider)();
        // An error answer may quote what was sent: no stderr line shows it.
        rememberSecrets(creds.secretAccessKey, creds.sessionToken);
        return creds;
      } catch (error) {
        return fail(error, 'credentials');
      }
    })();
    return state.resolved;
  };
  const clientHere = (): Promise<STSClient> => {
    if (options.signer.kind === 'unsigned') state.client ??= createStsClient(endpoint(), undefined, limits, (a) => void (answer = a));
    state.client ??= credentialsHere().then((creds) => createStsClient(endpoint(), creds, limits, (a) => void (answer = a)));
    return state.client;
  };

  /** Runs `step` at the current endpoint, moving on to the next one on network failures. */
  async function withFailover<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      const deadline = startDeadline(limits.totalTimeoutMs, { kind: 'request', what: `the request to ${endpoint().host}` });
      active = deadline;
      try {
        const result = await deadline.race(step());
        deadline.dispose();
        if (index > 0 && !announced) {
          announced = true;
          options.onServed?.(endpoint());
        }
        return result;
      } catch (error) {
        deadline.dispose();
        // The time ran out while the source credentials were loading: that is not this endpoint's
        // fault, and another endpoint would only start the wait again. The source's own error (a
        // credential_process stopped at the same limit names itself) is the better one, when it
        // arrives at once.
        if (deadline.signal.aborted && deadline.current()?.kind === 'credentials') throw await sourceError(state.resolved, error);
        const next = endpoints[index + 1];
        if (!(error instanceof NetworkError)) throw error;
        failures.push(`${endpoint().host} (${error.message})`);
        if (!next) {
          if (failures.length === 1) throw error;
          throw new NetworkError(`no STS endpoint answered; tried ${failures.join('; ')}`, {
            hint: 'check the network path to these endpoints, or add other --fallback-region values',
            cause: error,
          });
        }
        options.onFailover?.(endpoint(), next, error);
        destroyState();
        index += 1;
        state = newState();
      }
    }
  }
  async function sourceError(pending: Promise<unknown> | undefined, timeout: unknown): Promise<unknown> {
    if (!pending) return timeout;
    const settled = await Promise.race([pending.then(() => undefined, (e: unknown) => e), delay(1000)]);
    return settled instanceof StsxError && !(settled instanceof NetworkError) ? settled : timeout;
  }
  function destroyState(): void {
    void state.client?.then((c) => c.destroy()).catch(() => undefined);
  }
  async function send<T>(operation: string, run: (c: STSClient, sdk: typeof StsSdk, signal: AbortSignal) => Promise<T>): Promise<T> {
    return withFailover(async () => {
      const c = await clientHere();
      const sdk = await import('@aws-sdk/client-sts');
      const signal = active?.signal ?? AbortSignal.timeout(limits.totalTimeoutMs);
      options.trace?.(`${operation} -> ${endpoint().url} (signing region ${endpoint().signingRegion})`);
      progress.step('request', `the request to ${endpoint().host}`);
      answer = undefined;
      let out: T;
      try {
        out = await run(c, sdk, signal);
      } catch (error) {
        // Whatever the SDK made of it, an answer that is not STS's own error is said as such.
        if (!(error instanceof NetworkError) && isNotStsError(answer)) throw notStsError(answer, endpoint().host, operation);
        return fail(error, operation);
      }
      checkSuccessAnswer(answer, endpoint().host, operation);
      return out;
    });
  }

  /** Complete, unexpired credentials, or the reason (not STS, or already expired). */
  function issued(c: Credentials | undefined, operation: string): IssuedCredentials {
    const host = endpoint().host;
    requireFields({ AccessKeyId: c?.AccessKeyId, SecretAccessKey: c?.SecretAccessKey, SessionToken: c?.SessionToken }, answer, host, operation);
    const expiration = c?.Expiration;
    if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime())) requireFields({ Expiration: undefined }, answer, host, operation);
    checkNotExpired(expiration as Date, now(), answer, host, operation);
    rememberSecrets(c?.SecretAccessKey, c?.SessionToken);
    return { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '', expiration: expiration as Date };
  }

  return {
    endpoint,
    credentials: () => withFailover(credentialsHere),
    client: () => withFailover(clientHere),
    fail,
    async getCallerIdentity() {
      const out = await send('GetCallerIdentity', (c, sdk, abortSignal) => c.send(new sdk.GetCallerIdentityCommand({}), { abortSignal }));
      requireFields({ Account: out.Account, Arn: out.Arn, UserId: out.UserId }, answer, endpoint().host, 'GetCallerIdentity');
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
    async getAccessKeyInfo(accessKeyId) {
      const out = await send('GetAccessKeyInfo', (c, sdk, abortSignal) => c.send(new sdk.GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId }), { abortSignal }));
      requireFields({ Account: out.Account }, answer, endpoint().host, 'GetAccessKeyInfo');
      return { account: out.Account ?? '' };
    },
    async decodeAuthorizationMessage(encoded) {
      const out = await send('DecodeAuthorizationMessage', (c, sdk, abortSignal) => c.send(new sdk.DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }), { abortSignal }));
      requireFields({ DecodedMessage: out.DecodedMessage }, answer, endpoint().host, 'DecodeAuthorizationMessage');
      return out.DecodedMessage ?? '';
    },
    async assumeRole(input) {
      const out = await send('AssumeRole', (c, sdk, abortSignal) => c.send(new sdk.AssumeRoleCommand(input), { abortSignal }));
      requireFields({ 'AssumedRoleUser.Arn': out.AssumedRoleUser?.Arn, 'AssumedRoleUser.AssumedRoleId': out.AssumedRoleUser?.AssumedRoleId }, answer, endpoint().host, 'AssumeRole');
      return { ...issued(out.Credentials, 'AssumeRole'), assumedRoleArn: out.AssumedRoleUser?.Arn ?? '', assumedRoleId: out.AssumedRoleUser?.AssumedRoleId ?? '' };
    },
    async getSessionToken(input) {
      const out = await send('GetSessionToken', (c, sdk, abortSignal) => c.send(new sdk.GetSessionTokenCommand(input), { abortSignal }));
      return issued(out.Credentials, 'GetSessionToken');
    },
    async getFederationToken(input) {
      const out = await send('GetFederationToken', (c, sdk, abortSignal) => c.send(new sdk.GetFederationTokenCommand(input), { abortSignal }));
      requireFields({ 'FederatedUser.Arn': out.FederatedUser?.Arn }, answer, endpoint().host, 'GetFederationToken');
      return { ...issued(out.Credentials, 'GetFederationToken'), federatedUserArn: out.FederatedUser?.Arn ?? '' };
    },
    async assumeRoleWithWebIdentity(input) {
      const out = await send('AssumeRoleWithWebIdentity', (c, sdk, abortSignal) => c.send(new sdk.AssumeRoleWithWebIdentityCommand(input), { abortSignal }));
      requireFields({ 'AssumedRoleUser.Arn': out.AssumedRoleUser?.Arn, 'AssumedRoleUser.AssumedRoleId': out.AssumedRoleUser?.AssumedRoleId }, answer, endpoint().host, 'AssumeRoleWithWebIdentity');
      return { ...issued(out.Credentials, 'AssumeRoleWithWebIdentity'), assumedRoleArn: out.AssumedRoleUser?.Arn ?? '', assumedRoleId: out.AssumedRoleUser?.AssumedRoleId ?? '' };
    },
    destroy: destroyState,
  };
}

/** Opens a session, runs one step with it and always closes it: the one open/try/destroy. */
export async function withStsSession<T>(target: SessionTarget, options: SessionOptions, step: (session: StsSession) => Promise<T>): Promise<T> {
  const session = openStsSession(target, options);
  try {
    return await step(session);
  } finally {
    session.destroy();
  }
}
