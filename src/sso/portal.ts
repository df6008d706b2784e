// The one place an Identity Center portal client is built (`sso` in the SDK: GetRoleCredentials,
// ListAccounts, ListAccountRoles, Logout): the session's region, the SDK's own endpoint variables
// (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL), stsx's HTTP handler when the command has one, its limits.
import type * as Sso from '@aws-sdk/client-sso';
import type { SsoSession } from './sso-session.ts';
import type { TokenDeps } from './sso-token.ts';

type SsoModule = typeof Sso;

export interface Portal {
  mod: SsoModule;
  client: InstanceType<SsoModule['SSOClient']>;
  /** The host the client talks to, for messages. */
  host: string;
}

export async function openPortal(session: SsoSession, deps: Pick<TokenDeps, 'env' | 'timeoutMs' | 'connectTimeoutMs' | 'requestHandler'>, retry: { maxAttempts: number; retryMode?: 'adaptive' } = { maxAttempts: 3 }): Promise<Portal> {
  const mod = await import('@aws-sdk/client-sso');
  const endpoint = deps.env.AWS_ENDPOINT_URL_SSO || deps.env.AWS_ENDPOINT_URL || undefined;
  const client = new mod.SSOClient({
    region: session.region,
    ...(endpoint ? { endpoint } : {}),
    ...retry,
    requestHandler: (deps.requestHandler ?? { connectionTimeout: deps.connectTimeoutMs, requestTimeout: deps.timeoutMs }) as never,
  });
  return { mod, client, host: hostOf(endpoint) ?? `portal.sso.${session.region}.amazonaws.com` };
}

function hostOf(endpoint: string | undefined): string | undefined {
  try {
    return endpoint ? new URL(endpoint).hostname : undefined;
  } catch {
    // the SDK refuses it with its own words
    return undefined;
  }
}
