// `stsx login` and `stsx logout`: an Identity Center sign-in without the AWS CLI, written to the
// token cache the AWS CLI and the SDKs share (src/sso/).
import { configFilePaths, loadConfigFiles, type ConfigFiles } from '../config/config-files.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { AwsRequestError, UsageError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { limitsFor, type CommandContext } from '../steps/command-context.ts';
import { allSsoSessionNames, ssoCacheKeyOf, ssoSessionNamed, ssoSessionOfProfile, type SsoSession } from '../sso/sso-session.ts';
import { ssoToken, type TokenDeps } from '../sso/sso-token.ts';
import { loginOptions, tokenDeps, type LoginFlags as SsoLoginFlags } from '../sso/sso-io.ts';
import { readCachedToken, removeCachedToken, tokenCacheFile } from '../sso/token-cache.ts';
import { within } from '../sso/oidc.ts';
import { openPortal } from '../sso/portal.ts';

export interface LoginFlags extends SsoLoginFlags {
  ssoSession?: string | undefined;
}

export interface LogoutFlags {
  ssoSession?: string | undefined;
  all?: boolean | undefined;
}

async function sessionsFor(ctx: CommandContext, flags: { ssoSession?: string | undefined; all?: boolean | undefined }): Promise<{ sessions: SsoSession[]; files: ConfigFiles }> {
  if (flags.ssoSession !== undefined && ctx.flags.profile !== undefined) throw new UsageError('give --profile or --sso-session, not both');
  const files = await loadConfigFiles(configFilePaths(ctx.deps.env, ctx.deps.homedir), ctx.deps.readFile);
  if (flags.all) return { sessions: allSsoSessionNames(files).map((name) => ssoSessionNamed(files, name)), files };
  if (flags.ssoSession !== undefined) return { sessions: [ssoSessionNamed(files, flags.ssoSession)], files };
  const profile = ctx.flags.profile ?? (ctx.deps.env.AWS_PROFILE || undefined);
  if (profile === undefined) {
    const names = allSsoSessionNames(files);
    if (names.length === 1 && names[0] !== undefined) return { sessions: [ssoSessionNamed(files, names[0])], files };
    throw new UsageError('name what to log in to: --profile <profile> or --sso-session <name>', { hint: names.length > 0 ? `sso-sessions in the config file: ${names.join(', ')}` : 'add an [sso-session <name>] section with sso_start_url and sso_region, or a profile with sso_start_url' });
  }
  return { sessions: [ssoSessionOfProfile(files, profile)], files };
}

export async function runLogin(ctx: CommandContext, flags: LoginFlags): Promise<void> {
  const [session] = (await sessionsFor(ctx, flags)).sessions;
  if (!session) return;
  const startedAt = ctx.deps.processStartedAt ?? ctx.deps.now();
  const token = await ssoToken(session, { mode: 'login', login: loginOptions(ctx.deps, (l) => ctx.diag.note(l), flags), startedAt }, tokenDeps(ctx.deps, ctx.diag, limitsFor(ctx)));
  ctx.diag.note(`signed in to ${session.label} until ${token.expiresAt}`);
}

export async function runLogout(ctx: CommandContext, flags: LogoutFlags): Promise<void> {
  const { sessions, files } = await sessionsFor(ctx, flags);
  const deps = tokenDeps(ctx.deps, ctx.diag, limitsFor(ctx));
  for (const session of sessions) {
    const file = tokenCacheFile(ctx.deps.homedir, session.cacheKey);
    const read = await readCachedToken(file);
    if (read.state === 'ok') {
      // Logout at Identity Center ends the portal session; the token file goes either way.
      try {
        await portalLogout(session, read.token.accessToken, deps);
      } catch (error) {
        ctx.diag.warn(`Identity Center did not confirm the logout of ${session.label} (${terminalText((error as Error).message)}); removing the local token anyway`);
      }
    }
    const removed = await removeCachedToken(file);
    // The role credentials stsx cached from this login go too: every SSO profile of the session.
    const profiles = new Set(files.config.names().filter((name) => ssoCacheKeyOf(files, name) === session.cacheKey));
    const cleared = profiles.size > 0 ? await openCommandCache(ctx).clear({ ssoProfiles: profiles }) : 0;
    ctx.diag.note(`${removed ? `logged out of ${session.label}` : `${session.label} had no token cached`}${cleared > 0 ? `; removed ${String(cleared)} cached role session${cleared === 1 ? '' : 's'} it gave` : ''}`);
  }
}

async function portalLogout(session: SsoSession, accessToken: string, deps: TokenDeps): Promise<void> {
  const { mod, client } = await openPortal(session, deps, { maxAttempts: 2 });
  try {
    await client.send(new mod.LogoutCommand({ accessToken }), within(deps.timeoutMs));
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    // A token the portal no longer knows is logged out already.
    if (e.name === 'UnauthorizedException') return;
    throw new AwsRequestError(`${e.name ?? 'error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${String(e.$metadata.httpStatusCode)})` : ''}`, { cause: error });
  } finally {
    client.destroy();
  }
}
