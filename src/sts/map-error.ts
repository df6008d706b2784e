// Turns what the SDK throws into one of stsx's errors: one line, what is wrong and what to do.
// Error codes and messages: shared/reference/sts.md B.3; network error codes: Node's errno names.
import { AuthError, AwsRequestError, ConfigError, NetworkError, type StsxError, toStsxError, StsxError as Base } from '../errors.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { stepTimeoutError, type Progress } from '../deadline.ts';
import { describeOrigin } from '../config/profile.ts';
import type { RawAnswer } from './client.ts';
import { isKnownRegion, nearestRegions } from '../config/known-regions.ts';

export interface ErrorContext {
  endpoint: ResolvedEndpoint;
  /** The STS operation, e.g. "GetCallerIdentity". */
  operation: string;
  profile: string;
  /** The time allowed per endpoint, for the timeout message. */
  timeoutMs: number;
  /** The step in progress and the real time spent, when the session tracks them. */
  progress?: Progress | undefined;
  /** What answered the failed request, when the session recorded it (sts/client.ts). */
  answer?: RawAnswer | undefined;
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  errno?: string | number;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  cause?: unknown;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ENETDOWN']);
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown']);

export function mapStsError(error: unknown, ctx: ErrorContext): StsxError {
  if (error instanceof Base) return error;
  const e = (error ?? {}) as SdkError;
  const code = networkCode(e);
  const host = ctx.endpoint.host;
  const region = ctx.endpoint.region;
  if (code && DNS_CODES.has(code)) {
    // A region no table lists is far likelier a typo than a missing VPC endpoint.
    if (!ctx.endpoint.custom && !isKnownRegion(region)) {
      const near = nearestRegions(region);
      return new NetworkError(`cannot resolve the STS endpoint host ${host} (${code})`, {
        host,
        hint: `${region} is not a known AWS region${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}: check --region, AWS_REGION or the profile's region`,
        cause: error,
      });
    }
    return new NetworkError(`cannot resolve the STS endpoint host ${host} (${code})`, {
      host,
      hint: `in a subnet without internet access, create an STS interface VPC endpoint with private DNS in ${region}; otherwise check DNS, --region or --endpoint-url`,
      cause: error,
    });
  }
  if ((code === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ETIMEOUT' || e.name === 'TimeoutError' || e.name === 'AbortError') && ctx.progress) {
    return stepTimeoutError(ctx.progress.current() ?? { kind: 'request', what: `the request to ${host}` }, ctx.progress.elapsedMs(), error);
  }
  if (code === 'TimeoutError' || code === 'ETIMEOUT' || e.name === 'AbortError') {
    return new NetworkError(`no answer from the STS endpoint ${host} within ${Math.round(ctx.timeoutMs / 100) / 10} s`, {
      host,
      hint: `check that ${host} is reachable (firewall, proxy via HTTPS_PROXY, or an STS interface VPC endpoint in ${region}); --timeout and --connect-timeout set the limits`,
      cause: error,
    });
  }
  if (code && CONNECT_CODES.has(code)) {
    return new NetworkError(`cannot connect to the STS endpoint ${host} (${code})`, {
      host,
      hint: `check that ${host} is reachable${portOf(ctx.endpoint.url)} (firewall, proxy via HTTPS_PROXY, or an STS interface VPC endpoint in ${region})`,
      cause: error,
    });
  }
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new NetworkError(`TLS handshake with ${host} failed (${code})`, {
      host,
      hint: 'a proxy or private endpoint presents a certificate Node does not trust; add its CA with NODE_EXTRA_CA_CERTS',
      cause: error,
    });
  }
  const name = e.Code ?? e.name ?? '';
  const message = (e.message ?? '').trim();
  const status = e.$metadata?.httpStatusCode;
  const service = `STS (${ctx.operation} at ${host})`;

  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to find/.test(message)) {
    return credentialsError(message, ctx, error);
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'RequestExpired') {
    return new AuthError(`the credentials of profile "${ctx.profile}" have expired (${name})`, {
      code: name,
      hint: 'get fresh credentials (for example `stsx session-token`, `stsx login`, or new keys in the environment) and try again',
      cause: error,
    });
  }
  if (name === 'InvalidClientTokenId') {
    return new AuthError('STS does not recognise the access key id (InvalidClientTokenId)', {
      code: name,
      hint: `the key may be deleted or inactive, or a global-endpoint (v1) session token is used in ${region}; check the credentials with \`stsx whoami --debug\``,
      cause: error,
    });
  }
  if (name === 'SignatureDoesNotMatch' || name === 'IncompleteSignature') {
    const skew = /Signature (expired|not yet current)/.test(message);
    return new AuthError(skew ? 'STS rejected the request time: this machine\'s clock is off by more than 15 minutes' : 'STS rejected the request signature (SignatureDoesNotMatch)', {
      code: name,
      hint: skew ? 'synchronise the clock (NTP) and try again' : 'the secret access key does not belong to the access key id; check for a stray character or an old secret',
      cause: error,
    });
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return new AuthError(`access denied by ${service}: ${message}`, { code: name, hint: accessDeniedHint(ctx.operation, message), cause: error });
  }
  if (name === 'RegionDisabledException') {
    return new AwsRequestError(`STS is not activated in ${region} for this account (RegionDisabledException)`, {
      code: name,
      hint: `an administrator can activate STS in ${region} (IAM console, Account settings), or use another region with --region`,
      cause: error,
    });
  }
  if (name === 'InvalidAuthorizationMessageException') {
    return new AwsRequestError('STS could not decode that message (InvalidAuthorizationMessageException)', {
      code: name,
      hint: 'paste the whole encoded text without line breaks; messages expire, so reproduce the failure to get a fresh one',
      cause: error,
    });
  }
  if (name === 'MissingAuthenticationToken') {
    return new AuthError('the request reached STS without credentials (MissingAuthenticationToken)', { code: name, hint: 'configure credentials for the profile', cause: error });
  }
  if (THROTTLING.has(name)) {
    return new NetworkError(`${service} kept throttling the request after ${e.$metadata?.attempts ?? 'several'} attempts (${name})`, {
      host,
      hint: 'wait a little and try again',
      cause: error,
    });
  }
  if (status !== undefined && status >= 500) {
    // What the server said is often the whole story ("the action ... has not been implemented").
    const said = serverSaid(ctx.answer?.status === status ? ctx.answer.body : undefined);
    return new NetworkError(`${service} answered HTTP ${status}${name && name !== 'Unknown' && name !== 'Error' ? ` (${name})` : ''} after ${e.$metadata?.attempts ?? 1} attempts${said ? `; it said: ${said}` : ''}`, {
      host,
      hint: ctx.endpoint.custom
        ? `the service at ${ctx.endpoint.url} (from ${describeOrigin(ctx.endpoint.origin)}) is failing: check it (its logs, that it is an STS emulator that is up), or try again`
        : 'STS is having trouble in this region; try again, or use another region\'s endpoint with --region',
      cause: error,
    });
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return new AwsRequestError(`${service} refused the request: ${name}${message ? `: ${message}` : ''}`, { code: name, cause: error });
  }
  if (/Deserialization|char |Unexpected|XML|not valid|parse/i.test(`${name} ${message}`) || name === 'SyntaxError') {
    return new NetworkError(`this is not an STS answer: ${host} answered ${ctx.operation} with something STS never sends`, {
      host,
      hint: 'check --endpoint-url / AWS_ENDPOINT_URL_STS: it must point at STS, not at a proxy or another service',
      cause: error,
    });
  }
  if (/profile|credential_source|source_profile|sso|credential_process|cycle/i.test(message)) {
    return new ConfigError(message, { hint: `check profile "${ctx.profile}" in the AWS config files`, cause: error });
  }
  return toStsxError(error);
}

function credentialsError(message: string, ctx: ErrorContext, error: unknown): StsxError {
  if (/Detected a cycle/i.test(message)) {
    return new ConfigError(`source_profile loop in profile "${ctx.profile}"`, { hint: 'one profile in the chain must end it with keys, credential_source, SSO or credential_process', cause: error });
  }
  if (/Could not load credentials from any providers/i.test(message) || message === '') {
    return new AuthError(`no AWS credentials found for profile "${ctx.profile}"`, {
      hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add keys or a role to the profile, or choose one with --profile',
      cause: error,
    });
  }
  if (/\bSSO\b|sso_|token.*expired|refresh.*token/i.test(message)) {
    return new AuthError(`the SSO session of profile "${ctx.profile}" is missing or expired`, {
      hint: `run: stsx login --profile ${ctx.profile}`,
      cause: error,
    });
  }
  if (/multi-factor authentication/i.test(message)) {
    return new ConfigError(`profile "${ctx.profile}" needs an MFA code`, { hint: 'run it in a terminal, set mfa_process in the profile, or pass --prompt or --token-code', cause: error });
  }
  return new ConfigError(`cannot load credentials for profile "${ctx.profile}": ${message}`, { hint: 'check the profile in the AWS config files', cause: error });
}

function accessDeniedHint(operation: string, message: string): string {
  if (operation === 'DecodeAuthorizationMessage') return 'the caller needs permission for sts:DecodeAuthorizationMessage; ask an administrator, or decode with credentials that have it (--profile)';
  if (/GetSessionToken with session credentials/.test(message)) return 'session-token needs long-term IAM user keys, not temporary (ASIA...) credentials';
  if (/MultiFactorAuthentication/.test(message)) return 'check the MFA serial (--mfa-serial) and enter a current code';
  if (operation === 'AssumeRole') return "the role's trust policy must allow this caller, and the caller needs sts:AssumeRole on the role";
  return 'check the IAM policies of the caller';
}

/** A failure to reach the endpoint (DNS, connection, time-out), as mapStsError classifies it: the one list. */
export function isNetworkFailure(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  const code = networkCode(e);
  return (code !== undefined && (DNS_CODES.has(code) || CONNECT_CODES.has(code) || code === 'TimeoutError' || code === 'ETIMEOUT')) || e.name === 'TimeoutError' || e.name === 'AbortError';
}

function networkCode(e: SdkError): string | undefined {
  let current: SdkError | undefined = e;
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
    if (current.name === 'TimeoutError') return 'TimeoutError';
    current = current.cause as SdkError | undefined;
  }
  return undefined;
}

function portOf(url: string): string {
  const u = new URL(url);
  return u.port ? '' : ` on port ${u.protocol === 'http:' ? 80 : 443}`;
}

/** The message of a server's error answer: `<Message>` of an XML error, else the text of the body without tags; at most 200 characters. */
function serverSaid(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const text = body.subarray(0, 16 * 1024).toString('utf8');
  const message = /<Message>([^<]{1,2000})<\/Message>/.exec(text)?.[1] ?? text.replace(/<(script|style)[\s>][\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  const line = message.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
