// AssumeRole for a command: the plan, the cache key and the issuer, with the MFA route (an MFA
// session from long-term keys, or the code with the AssumeRole). `stsx assume`, `stsx exec` (and
// its credential server) and `stsx console` obtain role credentials through prepareAssume.
import { planAssume, type AssumeFlags, type AssumePlan } from '../assume/plan.ts';
import { checkPolicy } from '../names/validate.ts';
import { readInputArgument } from '../input/read-input.ts';
import { describeSource, sourceShape } from '../credentials/source.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { checkChainLimit, issueAssumeRole } from '../issue/assume-role.ts';
import type { CachedRequest, CacheUse, Issued } from '../issue/issue-cached.ts';
import { withCredentials, withSession, type CommandContext } from './command-context.ts';
import { issuedEntry, openCredentialCache, type CacheFlags } from './credential-cache-use.ts';
import { assumeCacheKey } from './cache-keys.ts';
import { mfaAnswers, mfaRoute, mfaSession, mfaSessionCache, type MfaAnswers } from './mfa-session.ts';
import type { WriteProfileFlags } from './write-profile-use.ts';
import type { WebIdentityFlags } from './assume-web-identity.ts';
import type { Format } from '../output/credentials/formats.ts';

/** The options of `stsx assume` (and, without format and with one role, of exec). */
export interface AssumeOptions extends Omit<AssumeFlags, 'policy' | 'roleArn'>, CacheFlags, WriteProfileFlags, WebIdentityFlags {
  /** Twice only with --web-identity: the web-identity role, then the role it assumes. */
  roleArn?: string | string[] | undefined;
  policy?: string | undefined;
  format?: Format | undefined;
  allowedAccountId?: string[] | undefined;
}

/** The role flags as given (the policy as given: file:// is read in prepareAssume), and the cache flags. */
export type PrepareOptions = Omit<AssumeFlags, 'policy'> & CacheFlags & { policy?: string | undefined };

/**
 * Everything `assume` decides before it asks the cache or STS: the plan, the cache key and the
 * issuer. `stsx exec` (and its credential server) obtains credentials through the same request.
 */
export async function prepareAssume(ctx: CommandContext, options: PrepareOptions, local: LocalSettings): Promise<CachedRequest & { plan: AssumePlan }> {
  const policy = options.policy !== undefined ? checkPolicy(await readInputArgument(options.policy, ctx.deps, 'policy')) : undefined;
  const plan = await planRole(ctx, { ...options, policy }, local, options);
  ctx.diag.debug(`assume ${plan.roleArn} as ${plan.sessionName} for ${plan.durationSeconds}s; source ${describeSource(plan.source)} ${JSON.stringify(sourceShape(plan.source))}; chained ${String(plan.chained)}`);

  // A cache hit needs neither the AWS SDK nor the network, nor an MFA code.
  const cache = openCredentialCache(ctx, options);
  const key = assumeCacheKey(ctx, plan, local);
  // Made once, so a refresh (`exec --server`) never sends --token-code twice.
  const how: AssumeHow = { noRoleFlag: options.roleArn === undefined, mfa: mfaAnswers(ctx, plan.tokenCode), sessionCache: mfaSessionCache(ctx, options) };
  return {
    plan,
    cache,
    key,
    cachedWhat: (hit) => `using cached ${hit.assumedRoleArn ?? plan.roleArn}`,
    issue: () => assumePlanned(ctx, plan, local, how),
    mayPrompt: plan.mfaSerial !== undefined && plan.tokenCode === undefined,
  };
}

/** The plan of a role for this command, refused before any call when it breaks the chaining limit; its note said. */
async function planRole(ctx: CommandContext, flags: AssumeFlags, local: LocalSettings, cacheFlags: CacheFlags): Promise<AssumePlan> {
  const plan = planAssume(flags, local, { user: ctx.deps.username(), now: ctx.deps.now(), env: ctx.deps.env });
  await settleChained(ctx, cacheFlags, plan);
  checkChainLimit(plan.chained, plan.durationSeconds);
  if (plan.sourceNote) ctx.diag.note(plan.sourceNote);
  return plan;
}

export interface AssumeHow {
  /** The role is the profile's own role_arn, so the session belongs to the profile (for `stsx profiles`). */
  noRoleFlag?: boolean | undefined;
  /** The command's MFA codes (--token-code used once); default: a new set for this call. */
  mfa?: MfaAnswers | undefined;
  /** Where the MFA session of an MFA role is cached (see mfa-session.ts); undefined: not cached. */
  sessionCache?: CacheUse | undefined;
}

/** The AssumeRole issuer on the plan's source, by the plan's MFA route. */
export async function assumePlanned(ctx: CommandContext, plan: AssumePlan, local: LocalSettings, how: AssumeHow = {}): Promise<Issued> {
  const profile = how.noRoleFlag === true && local.profile.exists && local.profile.settings.role_arn !== undefined ? local.profile.name : undefined;
  const mfa = (how.mfa ?? mfaAnswers(ctx, plan.tokenCode))();
  const route = mfaRoute(plan);
  const extra = { now: () => ctx.deps.now(), profile, ssoProfile: ssoRoot(plan.source) };
  if (route.kind === 'session') {
    // The MFA session carries the MFA context: no code goes with the AssumeRole.
    const credentials = await mfaSession(ctx, local, plan.source, route.serial, mfa, how.sessionCache);
    return withCredentials(ctx, local, plan.source, credentials, (session) => issueAssumeRole(session, plan, extra), 'AssumeRole');
  }
  return withSession(ctx, local, plan.source, mfa, async (session) => {
    // The source credentials first: their prompts (inner MFA) come before ours.
    await session.credentials();
    return issueAssumeRole(session, plan, { ...extra, tokenCode: route.kind === 'direct' ? await mfa(route.serial) : undefined });
  }, 'AssumeRole');
}

/**
 * Temporary keys stsx issued itself (`eval "$(stsx assume ...)"`) are known from its cache: a role
 * session (so assuming a role from them is role chaining) or GetSessionToken's (not chaining).
 */
export async function settleChained(ctx: CommandContext, flags: CacheFlags, plan: AssumePlan): Promise<void> {
  const source = plan.source;
  if (plan.chained !== 'unknown' || (source.kind !== 'environment' && source.kind !== 'keys') || !source.sessionToken) return;
  const entry = await issuedEntry(ctx, flags, source.accessKeyId);
  if (entry) plan.chained = entry.kind === 'assume-role';
}

/** The SSO profile at the root of a source chain, if its credentials come from an Identity Center login. */
function ssoRoot(source: AssumePlan['source']): string | undefined {
  let s = source;
  while (s.kind === 'role-chain') s = s.source;
  return s.kind === 'sso' ? s.profile : undefined;
}
