// `stsx console`: open the AWS console as the role (or user) of the credentials, through the
// federation sign-in endpoint. The credentials come from the same path as `stsx assume` (a role,
// cached the same way) or from the profile's own source; long-term IAM user keys go through
// GetFederationToken first, and GetSessionToken credentials are refused before any sign-in call.
import { AuthError, ConfigError, UsageError } from '../errors.ts';
import { planAssume } from '../assume/plan.ts';
import { parseDuration } from '../names/validate.ts';
import { CHAIN_LIMIT, checkChainLimit } from '../issue/assume-role.ts';
import { issueFederationToken } from '../issue/federation-token.ts';
import { obtainCached } from '../issue/issue-cached.ts';
import { loadEndpointRules } from '../sts/client.ts';
import { completeSettings } from '../settings/resolve-settings.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { describeSource, sourceShape, type CredentialSource } from '../credentials/source.ts';
import { commandSource, limitsFor, mfaCodes, resolveLocalForCommand, withSession, type CommandContext } from '../steps/command-context.ts';
import { issuedEntry, openCredentialCache, type CacheFlags } from '../steps/credential-cache-use.ts';
import { assumePlanned, settleChained } from '../steps/assume-role.ts';
import { assumeCacheKey } from '../steps/cache-keys.ts';
import { mfaSessionCache } from '../steps/mfa-session.ts';
import { destinationUrl, federationEndpoint, loginUrl, partitionHosts, signinTokenUrl } from '../console/console-urls.ts';
import { getSigninToken } from '../console/signin-request.ts';
import { writeOutput } from '../output/write-output.ts';

export interface ConsoleOptions extends CacheFlags {
  roleArn?: string | undefined;
  roleSessionName?: string | undefined;
  externalId?: string | undefined;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  duration?: string | undefined;
  destination?: string | undefined;
  service?: string | undefined;
  print?: boolean | undefined;
}

/** The Issuer of the login URL: who sent the person to the console. */
export const ISSUER = 'stsx';
/** The console session length when --duration is not given. */
export const DEFAULT_CONSOLE_SECONDS = 3600;

/** What the console signs in with. */
export interface ConsoleCredentials {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Who the console session is, for the summary line. */
  who: string;
  /** SessionDuration for getSigninToken: role sessions only; federation tokens carry their own length. */
  sessionDuration: number | undefined;
}

type Kind = 'long-term' | 'role' | 'federation' | 'session-token' | 'unknown';

export async function runConsole(ctx: CommandContext, options: ConsoleOptions): Promise<void> {
  const durationGiven = options.duration !== undefined;
  const seconds = options.duration !== undefined ? parseDuration(options.duration, '--duration', 900, 43200) : DEFAULT_CONSOLE_SECONDS;
  const local = await resolveLocalForCommand(ctx);
  // Where to sign in, and to what page: checked before any credentials are asked for.
  const settings = completeSettings(local, ctx.flags, ctx.deps.env, await loadEndpointRules());
  const region = settings.region.region;
  const hosts = partitionHosts(settings.endpoint.partition, region);
  const destination = destinationUrl(hosts, region, options);
  const endpoint = federationEndpoint(hosts, region, ctx.deps.env.STSX_SIGNIN_ENDPOINT);
  const openBrowser = ctx.deps.openBrowser;
  if (!options.print && !openBrowser) throw new ConfigError('stsx cannot open a browser here', { hint: 'pass --print and open the URL yourself' });
  const role = usesRole(options, local);
  const roleOnly = ([['--role-session-name', options.roleSessionName], ['--external-id', options.externalId], ['--mfa-serial', options.mfaSerial]] as const).find(([, v]) => v !== undefined);
  if (!role && roleOnly) throw new UsageError(`${roleOnly[0]} needs a role to assume`, { hint: 'pass --role-arn, or --profile with a role_arn' });

  const signIn = role ? await roleCredentials(ctx, local, options, seconds) : await sourceCredentials(ctx, local, options, seconds, durationGiven);
  const { credentials } = signIn;
  ctx.diag.debug(`getSigninToken -> ${new URL(endpoint).host}${new URL(endpoint).pathname}${signIn.sessionDuration !== undefined ? ` with SessionDuration ${signIn.sessionDuration}` : ' without SessionDuration (a federation token)'}; the request carries the credentials and is not shown`);
  const token = await getSigninToken(signinTokenUrl(endpoint, credentials, signIn.sessionDuration), limitsFor(ctx), [credentials.secretAccessKey, credentials.sessionToken]);
  const url = loginUrl(endpoint, ISSUER, destination, token);

  if (options.print) {
    await writeOutput(ctx.deps.stdout, `${url}\n`);
    ctx.diag.note(`console sign-in URL for ${signIn.who}: valid for about 15 minutes, and anyone holding it is signed in as you; do not paste it into logs or chats`);
    return;
  }
  if (!openBrowser) return;
  const opened = await openBrowser(url);
  if (!opened.ok) {
    throw new ConfigError(
      opened.reason === 'missing' ? `cannot open a browser: ${opened.opener} is not installed` : `cannot open a browser: ${opened.opener} failed (${opened.detail})`,
      { hint: 'pass --print to get the sign-in URL on stdout and open it yourself' },
    );
  }
  ctx.diag.note(`opened the AWS console as ${signIn.who} in your browser (${opened.opener})`);
}

/** A role to assume: --role-arn, or the profile's own role_arn (not a web-identity profile: its credentials are the role session). */
function usesRole(options: ConsoleOptions, local: LocalSettings): boolean {
  const p = local.profile.settings;
  return options.roleArn !== undefined || (p.role_arn !== undefined && p.web_identity_token_file === undefined);
}

async function roleCredentials(ctx: CommandContext, local: LocalSettings, options: ConsoleOptions, seconds: number): Promise<ConsoleCredentials> {
  const plan = planAssume(
    { roleArn: options.roleArn, roleSessionName: options.roleSessionName, externalId: options.externalId, mfaSerial: options.mfaSerial, tokenCode: options.tokenCode },
    local,
    { user: ctx.deps.username(), now: ctx.deps.now(), env: ctx.deps.env },
  );
  await settleChained(ctx, options, plan);
  checkChainLimit(plan.chained, plan.durationSeconds);
  // Said before any call: AWS refuses (or cuts short) console sessions of chained roles beyond 1 hour.
  if (plan.chained === true && seconds > CHAIN_LIMIT) throw consoleChainingError(seconds, describeSource(plan.source));
  if (plan.chained === 'unknown' && seconds > CHAIN_LIMIT) {
    ctx.diag.warn(`if ${describeSource(plan.source)} is itself a role session, this is role chaining and AWS allows its console session at most 1 hour, not ${seconds} s`);
  }
  if (plan.sourceNote) ctx.diag.note(plan.sourceNote);
  ctx.diag.debug(`console: assume ${plan.roleArn}; source ${describeSource(plan.source)} ${JSON.stringify(sourceShape(plan.source))}; chained ${String(plan.chained)}`);
  // The same cache as `stsx assume`: a role assumed there opens the console without another call.
  const { entry, fromCache } = await obtainCached({
    cache: openCredentialCache(ctx, options),
    key: assumeCacheKey(ctx, plan, local),
    cachedWhat: (hit) => `using cached ${hit.assumedRoleArn ?? plan.roleArn}`,
    issue: () => assumePlanned(ctx, plan, local, { sessionCache: mfaSessionCache(ctx, options) }),
    now: () => ctx.deps.now(),
  });
  ctx.diag.debug(fromCache ? 'console: role credentials from the cache' : 'console: role credentials from AssumeRole');
  return { credentials: entry.credentials, who: entry.assumedRoleArn ?? plan.roleArn, sessionDuration: seconds };
}

function consoleChainingError(seconds: number, source: string): UsageError {
  return new UsageError(
    `--duration ${seconds}s is too long for the console: ${source} is itself a role session, so this is role chaining, and AWS allows a chained role's console session at most 1 hour`,
    { hint: 'use --duration 1h or less (the default), or assume the role from long-term IAM user keys' },
  );
}

/** The profile's own credentials: a role session as is, long-term keys through GetFederationToken, GetSessionToken credentials refused. */
async function sourceCredentials(ctx: CommandContext, local: LocalSettings, options: ConsoleOptions, seconds: number, durationGiven: boolean): Promise<ConsoleCredentials> {
  const source = commandSource(ctx, local);
  const known = await knownKind(ctx, source, options);
  ctx.diag.debug(`console: credentials from ${describeSource(source)}, known kind ${known}`);
  if (known === 'session-token') throw sessionTokenRefused(source, 'stsx session-token issued them (its cache says so)');
  return withSession(ctx, local, source, mfaCodes(ctx, options.tokenCode), async (session) => {
    const creds = await session.credentials();
    let kind: Kind = known;
    let who: string | undefined;
    if (kind === 'unknown' && !creds.sessionToken) kind = 'long-term';
    if (kind === 'unknown') {
      // Temporary credentials of unknown origin: the caller's ARN says which kind (GetCallerIdentity needs no permission).
      who = (await session.getCallerIdentity()).arn;
      kind = kindOfArn(who);
      ctx.diag.debug(`console: GetCallerIdentity says ${who}: ${kind}`);
      if (kind === 'session-token') throw sessionTokenRefused(source, `GetCallerIdentity names the IAM user ${who} with a session token`);
    }
    if (kind === 'long-term') {
      if (creds.sessionToken) throw sessionTokenRefused(source, 'they carry a session token');
      const federated = await issueFederationToken(session, { user: ctx.deps.username(), durationSeconds: seconds });
      return { credentials: federated, who: federated.federatedUserArn, sessionDuration: undefined };
    }
    if (!creds.sessionToken) throw new AuthError(`${describeSource(source)} has no session token, so it is no role session the console takes`, { hint: 'use a role (--role-arn) or long-term IAM user keys' });
    const credentials = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken };
    if (kind === 'federation') {
      if (durationGiven) throw new UsageError('--duration does not apply to federation-token credentials: their console session lasts as long as the token', { hint: 'leave out --duration, or get a new federation token with the length you want' });
      return { credentials, who: who ?? describeSource(source), sessionDuration: undefined };
    }
    return { credentials, who: who ?? describeSource(source), sessionDuration: seconds };
  }, 'console');
}

/**
 * What the credentials are, known without a call: the source kind (a role chain, instance,
 * container, SSO and web identity are role sessions; keys without a session token are long-term),
 * and for temporary keys in a profile or the environment, the cache entry stsx wrote when it issued
 * them. Anything else is 'unknown' and settled by GetCallerIdentity.
 */
async function knownKind(ctx: CommandContext, source: CredentialSource, options: ConsoleOptions): Promise<Kind> {
  switch (source.kind) {
    case 'role-chain':
    case 'instance-role':
    case 'container-role':
    case 'web-identity':
    case 'sso':
      return 'role';
    case 'keys':
    case 'environment': {
      if (!source.sessionToken) return 'long-term';
      const entry = await issuedEntry(ctx, options, source.accessKeyId);
      if (!entry) return 'unknown';
      return entry.kind === 'session-token' ? 'session-token' : 'role';
    }
    default:
      return 'unknown';
  }
}

/** A caller ARN's kind: assumed-role and federated-user sessions, or an IAM user (or root) with a session token: GetSessionToken's. */
export function kindOfArn(arn: string): Kind {
  if (/^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(arn)) return 'role';
  if (/^arn:[\w-]+:sts::\d{12}:federated-user\//.test(arn)) return 'federation';
  if (/^arn:[\w-]+:iam::\d{12}:(user\/|root$)/.test(arn)) return 'session-token';
  return 'unknown';
}

function sessionTokenRefused(source: CredentialSource, how: string): AuthError {
  return new AuthError(
    `the console cannot be opened with GetSessionToken credentials (${describeSource(source)}; ${how}): AWS sign-in takes only role sessions and federation tokens`,
    { hint: "use the IAM user's long-term keys (stsx gets a federation token for them), or a role: stsx console --role-arn arn:aws:iam::<account>:role/<name>" },
  );
}
