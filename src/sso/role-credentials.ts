// An SSO profile's role credentials: a token for its session (cached, refreshed, or a login when
// one is allowed), then the portal's GetRoleCredentials through the SDK's own client. Each failure
// is named by its cause: missing settings, a token that is gone, a role no longer assigned,
// throttling, the portal's own errors. Never a bare "log in again" when a login cannot fix it.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { ConfigFiles } from '../config/config-files.ts';
import { readProfile } from '../config/profile.ts';
import { AuthError, AwsRequestError, ConfigError, NetworkError } from '../errors.ts';
import { terminalText } from '../output/terminal-text.ts';
import { loginCommand, ssoSessionOfProfile, type SsoSession } from './sso-session.ts';
import { ssoToken, type LoginOptions, type TokenDeps } from './sso-token.ts';

export async function ssoRoleCredentials(files: ConfigFiles, profileName: string, deps: TokenDeps, login: LoginOptions | undefined): Promise<AwsCredentialIdentity> {
  const settings = readProfile(files, profileName).settings;
  const accountId = settings.sso_account_id;
  const roleName = settings.sso_role_name;
  const missing = [accountId ? undefined : 'sso_account_id', roleName ? undefined : 'sso_role_name'].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(`profile "${profileName}" uses Identity Center but has no ${missing.join(' and ')}, so there is no role to get credentials for`, {
      hint: `add ${missing.join(' and ')} to [profile ${profileName}] in ${files.paths.config} (\`stsx sso populate\` or \`aws configure sso\` write them)`,
    });
  }
  const session = ssoSessionOfProfile(files, profileName);
  for (let attempt = 0; ; attempt += 1) {
    const token = await ssoToken(session, { mode: 'use', login }, deps);
    try {
      return await getRoleCredentials(session, token.accessToken, accountId as string, roleName as string, deps);
    } catch (error) {
      // A token the portal no longer accepts (revoked, a logout elsewhere): one new login when allowed.
      if (error instanceof TokenRejected && login && attempt === 0) {
        const { tokenCacheFile, removeCachedToken } = await import('./token-cache.ts');
        await removeCachedToken(tokenCacheFile(deps.homedir, session.cacheKey));
        continue;
      }
      if (error instanceof TokenRejected) {
        throw new AuthError(`Identity Center no longer accepts the login of ${session.label} (it was revoked or logged out)`, { hint: `run: ${loginCommand(session)}`, cause: error.cause });
      }
      throw error;
    }
  }
}

class TokenRejected extends Error {}

async function getRoleCredentials(session: SsoSession, accessToken: string, accountId: string, roleName: string, deps: TokenDeps): Promise<AwsCredentialIdentity> {
  const mod = await import('@aws-sdk/client-sso');
  const endpoint = deps.env.AWS_ENDPOINT_URL_SSO || deps.env.AWS_ENDPOINT_URL || undefined;
  const client = new mod.SSOClient({ region: session.region, ...(endpoint ? { endpoint } : {}), maxAttempts: 3, requestHandler: { connectionTimeout: deps.connectTimeoutMs, requestTimeout: deps.timeoutMs } });
  try {
    const out = await client.send(new mod.GetRoleCredentialsCommand({ accessToken, accountId, roleName }));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey) throw new AwsRequestError('Identity Center answered GetRoleCredentials without credentials');
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: new Date(c.expiration) } : {}) };
  } catch (error) {
    if (error instanceof AwsRequestError) throw error;
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    const detail = terminalText(e.message ?? e.name ?? 'error').slice(0, 200);
    const what = `role ${terminalText(roleName)} in account ${terminalText(accountId)}`;
    if (e.name === 'UnauthorizedException') throw new TokenRejected(detail, { cause: error });
    if (e.name === 'ForbiddenException' || status === 403) {
      throw new AuthError(`Identity Center gives ${session.label} no access to ${what} (${detail}): it is not, or no longer, assigned to you`, { hint: 'ask your administrator for the assignment, or pick another role: `stsx sso populate` lists what you can use' , cause: error });
    }
    if (e.name === 'ResourceNotFoundException' || status === 404) throw new AuthError(`Identity Center does not know ${what} (${detail})`, { hint: 'check sso_account_id and sso_role_name', cause: error });
    if (e.name === 'TooManyRequestsException' || status === 429) throw new AwsRequestError(`Identity Center throttled GetRoleCredentials for ${what}`, { hint: 'wait a little and try again', cause: error });
    if (e.name === 'InvalidRequestException') throw new AuthError(`Identity Center refused GetRoleCredentials for ${what}: ${detail}`, { hint: 'check sso_account_id, sso_role_name and sso_region', cause: error });
    if (status !== undefined) throw new AwsRequestError(`Identity Center answered GetRoleCredentials with HTTP ${String(status)}: ${detail}`, { hint: 'the portal had an error; try again in a minute', cause: error });
    throw new NetworkError(`cannot reach the Identity Center portal in ${session.region} (${detail})`, { hint: `check the network and sso_region (${session.region})`, cause: error });
  } finally {
    client.destroy();
  }
}
