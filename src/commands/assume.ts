// `stsx assume`: AssumeRole over the resolved regional endpoint, printed for the shell.
import { AwsRequestError, UsageError } from '../errors.ts';
import { planAssume, type AssumeFlags, type AssumePlan } from '../assume/plan.ts';
import { checkPolicy } from '../assume/validate.ts';
import { readInputArgument } from '../input/read-input.ts';
import { resolveLocalForCommand, withCredentials, withSession, type CommandContext } from './command-context.ts';
import { cacheKey } from '../cache/cache-key.ts';
import { accountFromArn } from '../cache/cache-entry.ts';
import { cacheIdentity, describeSource, sourceShape } from '../credentials/source.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { issuedEntry, openCredentialCache, type CacheFlags } from './credential-cache-use.ts';
import { chooseFormat } from './emit-credentials.ts';
import { issueCached, type CachedRequest, type Issued } from './issue-cached.ts';
import { profileDeliverer, type WriteProfileFlags } from './write-profile-use.ts';
import { parseAllowedAccounts } from './allowed-accounts.ts';
import { runAssumeWebIdentity, type WebIdentityFlags } from './assume-web-identity.ts';
import { mfaAnswers, mfaRoute, mfaSession, mfaSessionCache, type MfaAnswers } from './mfa-session.ts';
import type { CacheUse } from './credential-cache-use.ts';
import type { StsSession } from '../sts/session.ts';

export interface AssumeOptions extends Omit<AssumeFlags, 'policy' | 'roleArn'>, CacheFlags, WriteProfileFlags, WebIdentityFlags {
  /** Twice only with --web-identity: the web-identity role, then the role it assumes. */
  roleArn?: string | string[] | undefined;
  policy?: string | undefined;
  format?: string | undefined;
  allowedAccountId?: string[] | undefined;
}

export const CHAIN_LIMIT = 3600;

export async function runAssume(ctx: CommandContext, options: AssumeOptions): Promise<void> {
  const deliver = await profileDeliverer(ctx, options);
  const chosen = chooseFormat(ctx, options.format);
  const allowedAccounts = parseAllowedAccounts(options.allowedAccountId);
  const roleArns = options.roleArn === undefined ? [] : [options.roleArn].flat();
  if (options.webIdentity !== undefined) {
    await runAssumeWebIdentity(ctx, { ...options, roleArns, allowedAccounts, chosen, deliver });
    return;
  }
  if (roleArns.length > 1) throw new UsageError('--role-arn is given more than once', { hint: 'chain roles with --web-identity (the first --role-arn is the web identity role), or with a profile that has source_profile' });
  const local = await resolveLocalForCommand(ctx);
  const own = local.profile.settings;
  // A profile of its own web identity role (role_arn + web_identity_token_file), as the SDKs read it.
  if (roleArns.length === 0 && own.role_arn !== undefined && own.web_identity_token_file !== undefined) {
    await runAssumeWebIdentity(ctx, { ...options, roleArns: [own.role_arn], webIdentity: `file:${own.web_identity_token_file}`, roleSessionName: options.roleSessionName ?? own.role_session_name, allowedAccounts, chosen, deliver });
    return;
  }
  const request = await prepareAssume(ctx, { ...options, roleArn: roleArns[0] }, local);
  await issueCached(ctx, { ...request, chosen, commandLine: 'stsx assume ...', deliver, allowedAccounts });
}

/**
 * Everything `assume` decides before it asks the cache or STS: the plan, the cache key and the
 * issuer. `stsx exec` (and its credential server) obtains credentials through the same request.
 */
export async function prepareAssume(
  ctx: CommandContext,
  options: Omit<AssumeOptions, 'format' | 'roleArn'> & { roleArn?: string | undefined },
  local: LocalSettings,
): Promise<CachedRequest & { plan: AssumePlan }> {
  const policy = options.policy !== undefined ? checkPolicy(await readInputArgument(options.policy, ctx.deps, 'policy')) : undefined;
  const plan = planAssume({ ...options, policy }, local, { user: ctx.deps.username(), now: ctx.deps.now(), env: ctx.deps.env });
  await settleChained(ctx, options, plan);
  if (plan.chained === true && plan.durationSeconds > CHAIN_LIMIT) throw chainingError(plan);
  if (plan.sourceNote) ctx.diag.note(plan.sourceNote);
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
    issue: () => assumeRole(ctx, plan, local, how),
    mayPrompt: plan.mfaSerial !== undefined && plan.tokenCode === undefined,
  };
}

/** The cache key of an AssumeRole plan (shared with `stsx console`, which reuses assume's answers). */
export function assumeCacheKey(ctx: CommandContext, plan: AssumePlan, local: LocalSettings): string {
  return cacheKey({
    kind: 'assume-role',
    source: cacheIdentity(plan.source, local, ctx.deps.env),
    roleArn: plan.roleArn,
    sessionName: plan.sessionNameGiven ? plan.sessionName : undefined,
    durationSeconds: plan.durationSeconds,
    externalId: plan.externalId,
    mfaSerial: plan.mfaSerial,
    policy: plan.policy,
    policyArns: plan.policyArns,
    tags: plan.tags,
    transitiveTagKeys: plan.transitiveTagKeys,
    sourceIdentity: plan.sourceIdentity,
    // The region and the endpoint inputs decide the partition; the SDK's rules are not loaded here.
    region: local.region.region,
    endpointInputs: local.endpointInputs,
  });
}

export interface AssumeHow {
  /** The role is the profile's own role_arn, so the session belongs to the profile (for `stsx profiles`). */
  noRoleFlag?: boolean | undefined;
  /** The command's MFA codes (--token-code used once); default: a new set for this call. */
  mfa?: MfaAnswers | undefined;
  /** Where the MFA session of an MFA role is cached (see mfa-session.ts); undefined: not cached. */
  sessionCache?: CacheUse | undefined;
}

export async function assumeRole(ctx: CommandContext, plan: AssumePlan, local: LocalSettings, how: AssumeHow = {}): Promise<Issued> {
  const profile = how.noRoleFlag === true && local.profile.exists && local.profile.settings.role_arn !== undefined ? local.profile.name : undefined;
  const mfa = (how.mfa ?? mfaAnswers(ctx, plan.tokenCode))();
  const route = mfaRoute(plan);
  const onSession = async (session: StsSession, tokenCode: string | undefined): Promise<Issued> => {
    let result;
    try {
      result = await session.assumeRole({
        RoleArn: plan.roleArn,
        RoleSessionName: plan.sessionName,
        DurationSeconds: plan.durationSeconds,
        ...(plan.externalId ? { ExternalId: plan.externalId } : {}),
        ...(tokenCode !== undefined ? { SerialNumber: plan.mfaSerial, TokenCode: tokenCode } : {}),
        ...(plan.policy ? { Policy: plan.policy } : {}),
        ...(plan.policyArns.length > 0 ? { PolicyArns: plan.policyArns.map((arn) => ({ arn })) } : {}),
        ...(plan.tags.length > 0 ? { Tags: plan.tags } : {}),
        ...(plan.transitiveTagKeys.length > 0 ? { TransitiveTagKeys: plan.transitiveTagKeys } : {}),
        ...(plan.sourceIdentity ? { SourceIdentity: plan.sourceIdentity } : {}),
      });
    } catch (error) {
      if (error instanceof AwsRequestError && /role chaining/i.test(error.message)) throw chainingError(plan, error);
      throw error;
    }
    return {
      entry: {
        kind: 'assume-role',
        roleArn: plan.roleArn,
        sessionName: plan.sessionName,
        ...(plan.mfaSerial ? { mfaSerial: plan.mfaSerial } : {}),
        ...(profile !== undefined ? { profile } : {}),
        assumedRoleArn: result.assumedRoleArn,
        account: accountFromArn(result.assumedRoleArn),
        region: session.endpoint().signingRegion,
        endpoint: session.endpoint().url,
        createdAt: ctx.deps.now(),
        credentials: { accessKeyId: result.accessKeyId, secretAccessKey: result.secretAccessKey, sessionToken: result.sessionToken, expiration: result.expiration },
      },
      what: `assumed ${result.assumedRoleArn}`,
      endpoint: session.endpoint().host,
    };
  };
  if (route.kind === 'session') {
    // The MFA session carries the MFA context: no code goes with the AssumeRole.
    const credentials = await mfaSession(ctx, local, plan.source, route.serial, mfa, how.sessionCache);
    return withCredentials(ctx, local, plan.source, credentials, (session) => onSession(session, undefined), 'AssumeRole');
  }
  return withSession(ctx, local, plan.source, mfa, async (session) => {
    // The source credentials first: their prompts (inner MFA) come before ours.
    await session.credentials();
    return onSession(session, route.kind === 'direct' ? await mfa(route.serial) : undefined);
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

export function chainingError(plan: Pick<AssumePlan, 'durationSeconds'>, cause?: unknown): UsageError {
  return new UsageError(
    `--duration ${plan.durationSeconds}s is too long: the source credentials are themselves a role session (role chaining), and AWS limits chained role sessions to 1 hour`,
    { hint: 'use --duration 1h or less, or assume the role from long-term IAM user credentials', cause },
  );
}
