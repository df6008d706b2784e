// The SSO (IAM Identity Center) credential source: the SDK's fromSSO (token cache, refresh through
// SSO OIDC, GetRoleCredentials), with each failure named for what it is. A login fixes an expired
// or missing session token only; a profile without sso_role_name, a role no longer assigned, a
// throttled or failing portal each get their own line and way out.
import type { AwsCredentialIdentity, Logger } from '@aws-sdk/types';
import type { InnerClientConfig } from '../sts/client.ts';
import { AuthError, ConfigError, NetworkError } from '../errors.ts';
import { printable } from './process-provider.ts';
import type { CredentialSource } from './source.ts';

type SsoSource = Extract<CredentialSource, { kind: 'sso' }>;

/** What the portal answered last (GetRoleCredentials): the SDK's error keeps neither. */
interface PortalAnswer {
  host: string;
  status: number;
  type: string | undefined;
}

interface Handler {
  handle(request: { hostname?: string; path?: string }, options?: unknown): Promise<{ response: { statusCode: number; headers: Record<string, string | undefined> } }>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
}

export async function ssoCredentials(source: SsoSource, clientConfig: Pick<InnerClientConfig, 'requestHandler'>, logger: Logger): Promise<AwsCredentialIdentity> {
  if (source.missing !== undefined && source.missing.length > 0) {
    const sections = [...new Set(source.missing.map((m) => m.section))];
    const lines = sections.map((section) => `${source.missing?.filter((m) => m.section === section).map((m) => `${m.key} = ...`).join(', ') ?? ''} to ${section}`);
    const own = `[profile ${source.profile}]`;
    const what = source.missing.map((m) => (m.section === own ? m.key : `${m.key} (in ${m.section})`)).join(', ');
    throw new ConfigError(`profile "${source.profile}" is an SSO profile without ${what}`, {
      hint: `add ${lines.join(' and ')} (aws configure sso --profile ${source.profile} writes them); logging in does not add them`,
    });
  }
  const [{ fromSSO }, { STSClient }] = await Promise.all([import('@aws-sdk/credential-providers'), import('@aws-sdk/client-sts')]);
  // The SDK's HTTP handler with stsx's agents and limits, as any client of this run resolves it,
  // watched for the portal's status and error type (the SDK's provider error keeps only a message).
  const carrier = new STSClient({ region: 'us-east-1', requestHandler: clientConfig.requestHandler, logger });
  const inner = carrier.config.requestHandler as unknown as Handler;
  let answer: PortalAnswer | undefined;
  const requestHandler: Handler = {
    handle: async (request, options) => {
      const out = await inner.handle(request, options);
      // GetRoleCredentials only: a token refresh (SSO OIDC) that fails is a login to redo.
      if (!(request.path ?? '').startsWith('/federation/credentials')) return out;
      const type = out.response.headers['x-amzn-errortype'];
      answer = { host: request.hostname ?? 'the SSO portal', status: out.response.statusCode, type: type !== undefined ? type.split(':')[0] : undefined };
      return out;
    },
    // The rest of the handler interface, as the SDK may call it on any handler.
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
  };
  try {
    return await fromSSO({ profile: source.profile, logger, clientConfig: { logger, requestHandler: requestHandler as never } })();
  } catch (error) {
    throw explainSsoError(source, error, answer);
  } finally {
    carrier.destroy();
  }
}

const CONNECT = /ECONNREFUSED|ECONNRESET|EHOST|ENET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|TimeoutError|socket hang up/;

/** The one line for an SSO failure, from the SDK's message and, when the portal answered, its status. */
function explainSsoError(source: SsoSource, error: unknown, answer: PortalAnswer | undefined): Error {
  const raw = printable(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  // The SDK's provider error reads "<ErrorType or status>: <message>"; without a type, the status.
  const parsed = /^([A-Za-z]+(?:Exception|Error)?|\d{3}): (.*)$/.exec(raw);
  // The SDK's "Unknown" stands for "the answer named no error type": the status says more.
  const named = answer?.type ?? parsed?.[1];
  const type = named === 'Unknown' || named === 'UnknownError' ? undefined : named;
  const message = (parsed?.[2] ?? raw).replace(/ ?To refresh this SSO session run '?aws sso login'? with the corresponding profile\.?/, '').slice(0, 200);
  const details = { cause: error, code: type };
  const login = `log in (aws sso login --profile ${source.profile})`;
  const role = `role ${source.roleName ?? '?'} in account ${source.accountId ?? '?'}`;
  const status = answer !== undefined && answer.status >= 400 ? `HTTP ${answer.status}` : undefined;
  const said = [status, type && type !== String(answer?.status) ? type : undefined].filter((x) => x !== undefined).join(' ');
  const host = answer?.host ?? 'the SSO portal';
  if (answer === undefined) {
    if (CONNECT.test(raw)) {
      return new NetworkError(`the SSO portal could not be reached for profile "${source.profile}": ${message}`, { ...details, hint: 'check the network (and AWS_ENDPOINT_URL_SSO if set); logging in does not help' });
    }
    // The SDK refused the settings themselves: a login does not change them.
    if (/Conflicting SSO|invalid SSO credentials|Incomplete configuration/i.test(message)) {
      return new ConfigError(`the SSO settings of profile "${source.profile}" do not fit together: ${message.replace(/\s*Reference: \S+/, '')}`, { ...details, hint: `check the sso_* settings of profile "${source.profile}" and its [sso-session] section` });
    }
    // No request was sent: the token cache has no usable token for this session.
    const why = /not found|not present for 'accessToken'|invalid/i.test(message) && !/Cannot refresh/i.test(message)
      ? 'no usable token in ~/.aws/sso/cache'
      : /Cannot refresh|expired/i.test(message) ? `the cached token has expired${/Cannot refresh/i.test(message) ? ' and cannot be refreshed' : ''}` : message;
    return new AuthError(`the SSO session of profile "${source.profile}" has expired or was never started (${why})`, { ...details, hint: login });
  }
  if (answer.status === 401 || type === 'UnauthorizedException') {
    return new AuthError(`the SSO portal (${host}) refused the session token of profile "${source.profile}" (${said}: ${message}): it has expired or was revoked`, { ...details, hint: login });
  }
  if (answer.status === 403 || answer.status === 404 || type === 'ForbiddenException' || type === 'ResourceNotFoundException') {
    return new AuthError(`the SSO portal (${host}) denied ${role} to profile "${source.profile}" (${said}: ${message})`, {
      ...details,
      hint: `the role may no longer be assigned to you: check your assignments in IAM Identity Center, or fix sso_account_id / sso_role_name of profile "${source.profile}"; logging in again does not change them`,
    });
  }
  if (answer.status === 429 || type === 'TooManyRequestsException') {
    return new NetworkError(`the SSO portal (${host}) kept throttling GetRoleCredentials for profile "${source.profile}" (${said}: ${message})`, { ...details, host, hint: 'wait a moment and try again; logging in does not help' });
  }
  if (answer.status >= 500) {
    return new NetworkError(`the SSO portal (${host}) failed: ${said}: ${message}`, { ...details, host, hint: 'a server error at the portal: try again later; logging in does not help' });
  }
  return new AuthError(`the SSO portal (${host}) refused GetRoleCredentials for ${role} of profile "${source.profile}" (${said || 'no status'}: ${message})`, {
    ...details,
    hint: `check sso_account_id, sso_role_name and the sso settings of profile "${source.profile}"`,
  });
}
