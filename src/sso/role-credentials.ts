// An SSO profile's role credentials: a token for its session (cached, refreshed, or a login when
// one is allowed), then the portal's GetRoleCredentials through the SDK's own client. Each failure
// is named by its cause: missing settings, a token that is gone, a role no longer assigned,
// throttling, the portal's own errors. Never a bare "log in again" when a login cannot fix it.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { ConfigFiles } from '../config/config-files.ts';
import { readProfile } from '../config/profile.ts';
import { AuthError, AwsRequestError, ConfigError, NetworkError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { loginCommand, ssoSessionOfProfile, type SsoSession } from './sso-session.ts';
import { removeCachedToken, tokenCacheFile } from './token-cache.ts';
import { ssoToken, type LoginOptions, type TokenDeps } from './sso-token.ts';
import { within } from './oidc.ts';
import { openPortal } from './portal.ts';

export async function ssoRoleCredentials(files: ConfigFiles, profileName: string, deps: TokenDeps, login: LoginOptions | undefined): Promise<AwsCredentialIdentity> {
  const settings = readProfile(files, profileName).settings;
  const accountId = settings.sso_account_id;
  const roleName = settings.sso_role_name;
  const missing = [accountId ? undefined : 'sso_account_id', roleName ? undefined : 'sso_role_name'].filter(Boolean);
  if (missing.length > 0 || accountId === undefined || roleName === undefined) {
    throw new ConfigError(`profile "${profileName}" is an SSO profile without ${missing.join(', ')}`, {
      hint: `add ${missing.map((m) => `${String(m)} = ...`).join(', ')} to [profile ${profileName}] in ${files.paths.config} (stsx sso populate writes complete profiles); logging in does not add them`,
    });
  }
  const session = ssoSessionOfProfile(files, profileName);
  const portal = { profile: profileName, accountId, roleName };
  for (let attempt = 0; ; attempt += 1) {
    const token = await ssoToken(session, { mode: 'use', login }, deps);
    try {
      return await getRoleCredentials(session, token.accessToken, portal, deps);
    } catch (error) {
      // A token the portal no longer accepts (revoked, a logout elsewhere): one new login when allowed.
      if (error instanceof TokenRejected && login && attempt === 0) {
        await removeCachedToken(tokenCacheFile(deps.homedir, session.cacheKey));
        continue;
      }
      if (error instanceof TokenRejected) throw new AuthError(error.message, { hint: `run: ${loginCommand(session)}`, cause: error.cause });
      throw error;
    }
  }
}

class TokenRejected extends Error {}

interface Wanted {
  profile: string;
  accountId: string;
  roleName: string;
}

async function getRoleCredentials(session: SsoSession, accessToken: string, wanted: Wanted, deps: TokenDeps): Promise<AwsCredentialIdentity> {
  const { mod, client, host } = await openPortal(session, deps);
  const portal = { ...wanted, host };
  try {
    const out = await client.send(new mod.GetRoleCredentialsCommand({ accessToken, accountId: portal.accountId, roleName: portal.roleName }), within(deps.timeoutMs));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey) throw new AwsRequestError(`the SSO portal (${portal.host}) answered GetRoleCredentials without credentials`);
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), ...(c.expiration ? { expiration: new Date(c.expiration) } : {}) };
  } catch (error) {
    if (error instanceof AwsRequestError) throw error;
    throw portalError(error, portal);
  } finally {
    client.destroy();
  }
}

/** A portal failure named by cause: the status, the error type and the portal's own words. */
function portalError(error: unknown, portal: Wanted & { host: string }): Error {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const type = e.name && !/^(Unknown|UnknownError|Error|SSOServiceException)$/.test(e.name) ? e.name : undefined;
  const message = terminalText(e.message ?? '').replace(/^UnknownError$/, '').slice(0, 200);
  const answer = status === undefined ? '' : `HTTP ${String(status)}${type ? ` ${type}` : ''}${message ? `: ${message}` : ''}`;
  const what = `role ${terminalText(portal.roleName)} in account ${terminalText(portal.accountId)}`;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return new NetworkError(`the SSO portal (${portal.host}) did not answer GetRoleCredentials for profile "${portal.profile}" in time (--timeout)`, { hint: 'check the network and sso_region, or allow more with --timeout', cause: error });
  if (status === 401 || type === 'UnauthorizedException') return new TokenRejected(`the SSO portal (${portal.host}) refused the session token of profile "${portal.profile}" (${answer})`, { cause: error });
  if (status === 403 || type === 'ForbiddenException') {
    return new AuthError(`the SSO portal (${portal.host}) denied ${what} to profile "${portal.profile}" (${answer})`, { hint: 'the role may no longer be assigned to you: ask your administrator, or pick another (stsx sso populate lists what you can use)', cause: error });
  }
  if (status === 404 || type === 'ResourceNotFoundException') return new AuthError(`the SSO portal (${portal.host}) does not know ${what} of profile "${portal.profile}" (${answer})`, { hint: 'check sso_account_id and sso_role_name', cause: error });
  if (status === 429 || type === 'TooManyRequestsException') return new NetworkError(`the SSO portal (${portal.host}) kept throttling GetRoleCredentials for profile "${portal.profile}" (${answer})`, { hint: 'wait a little and try again', cause: error });
  if (status === 400 || type === 'InvalidRequestException') return new AuthError(`the SSO portal (${portal.host}) refused GetRoleCredentials for ${what} (${answer})`, { hint: 'check sso_account_id, sso_role_name and sso_region', cause: error });
  if (status !== undefined) return new NetworkError(`the SSO portal (${portal.host}) failed: ${answer}`, { hint: 'try again in a minute', cause: error });
  return new NetworkError(`cannot reach the SSO portal (${portal.host}): ${message || 'no answer'}`, { hint: 'check the network and sso_region', cause: error });
}
