// `stsx session-token`: GetSessionToken (optionally with MFA) for long-term IAM user keys. Cached,
// so an MFA code is asked once per session, not once per command.
import { UsageError } from '../errors.ts';
import { checkMfaSerial, checkTokenCode, parseDuration } from '../names/validate.ts';
import { cacheKey } from '../cache/cache-key.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import { cacheIdentity } from '../credentials/source.ts';
import { commandSource, mfaCodes, resolveLocalForCommand, withSession, type CommandContext } from '../steps/command-context.ts';
import { chooseFormat } from '../steps/emit-credentials.ts';
import { issueCached, type Issued } from '../issue/issue-cached.ts';
import type { CredentialSource } from '../credentials/source.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import type { MfaCodeProvider } from '../credentials/providers.ts';
import { openCredentialCache, type CacheFlags } from '../steps/credential-cache-use.ts';
import { profileDeliverer, type WriteProfileFlags } from '../steps/write-profile-use.ts';
import { parseAllowedAccounts } from '../issue/allowed-accounts.ts';

/** GetSessionToken's own default (12 hours); also the life of the MFA session of an MFA role. */
export const SESSION_TOKEN_SECONDS = 43200;

export interface SessionTokenOptions extends CacheFlags, WriteProfileFlags {
  duration?: string | undefined;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  format?: string | undefined;
  allowedAccountId?: string[] | undefined;
}

export async function runSessionToken(ctx: CommandContext, options: SessionTokenOptions): Promise<void> {
  const deliver = await profileDeliverer(ctx, options);
  const chosen = chooseFormat(ctx, options.format);
  const durationSeconds = options.duration !== undefined ? parseDuration(options.duration, '--duration', 900, 129600) : SESSION_TOKEN_SECONDS;
  const tokenCode = options.tokenCode !== undefined ? checkTokenCode(options.tokenCode) : undefined;
  const allowedAccounts = parseAllowedAccounts(options.allowedAccountId);
  const local = await resolveLocalForCommand(ctx);
  const serialRaw = options.mfaSerial ?? local.profile.settings.mfa_serial;
  const mfaSerial = serialRaw !== undefined ? checkMfaSerial(serialRaw, options.mfaSerial !== undefined ? '--mfa-serial' : 'mfa_serial') : undefined;
  if (tokenCode && !mfaSerial) throw new UsageError('--token-code needs an MFA device', { hint: 'pass --mfa-serial, or set mfa_serial in the profile' });

  const source = commandSource(ctx, local);
  await issueCached(ctx, {
    cache: openCredentialCache(ctx, options),
    key: sessionTokenKey(ctx, source, local, durationSeconds, mfaSerial),
    chosen,
    commandLine: 'stsx session-token ...',
    cachedWhat: () => 'using a cached session token',
    allowedAccounts,
    issue: () => issueSessionToken(ctx, local, source, { durationSeconds, mfaSerial, mfa: mfaCodes(ctx, tokenCode), allowedAccounts }),
    mayPrompt: mfaSerial !== undefined && tokenCode === undefined,
    deliver,
  });
}

/**
 * The cache key of a GetSessionToken answer: `stsx session-token` and the MFA session of an MFA
 * role (src/steps/mfa-session.ts) share it, so each reuses the other's session.
 */
export function sessionTokenKey(ctx: CommandContext, source: CredentialSource, local: LocalSettings, durationSeconds: number, mfaSerial: string | undefined): string {
  return cacheKey({
    kind: 'session-token',
    source: cacheIdentity(source, local, ctx.deps.env),
    durationSeconds,
    mfaSerial,
    // The region and the endpoint inputs decide the partition; the SDK's rules are not loaded here.
    region: local.region.region,
    endpointInputs: local.endpointInputs,
  });
}

/** GetSessionToken for long-term IAM user keys (with the MFA code when a device is given), as the cache keeps it. */
export function issueSessionToken(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  request: { durationSeconds: number; mfaSerial: string | undefined; mfa: MfaCodeProvider; allowedAccounts?: ReadonlySet<string> | undefined },
): Promise<Issued> {
  const { durationSeconds, mfaSerial, mfa, allowedAccounts } = request;
  // The session belongs to the profile when its own credentials (not the environment's) were used (for `stsx profiles`).
  const profile = 'profile' in source && source.profile === local.profile.name && local.profile.exists ? local.profile.name : undefined;
  return withSession(ctx, local, source, mfa, async (session) => {
    const creds = await session.credentials();
    if (creds.sessionToken) {
      throw new UsageError('session-token needs long-term IAM user keys, but the current credentials are temporary (they carry a session token)', {
        hint: "STS refuses GetSessionToken with session credentials; use the IAM user's access keys (--profile), or `stsx assume` for roles",
      });
    }
    // GetSessionToken does not say the account: ask, only when --allowed-account-id needs it.
    const account = allowedAccounts ? (await session.getCallerIdentity()).account : undefined;
    const code = mfaSerial ? await mfa(mfaSerial) : undefined;
    const result = await session.getSessionToken({
      DurationSeconds: durationSeconds,
      ...(mfaSerial ? { SerialNumber: mfaSerial, TokenCode: code } : {}),
    });
    return {
      entry: { kind: 'session-token', ...(mfaSerial ? { mfaSerial } : {}), ...(account ? { account } : {}), ...(profile !== undefined ? { profile } : {}), region: session.endpoint().signingRegion, endpoint: session.endpoint().url, createdAt: ctx.deps.now(), credentials: result },
      what: `session token${mfaSerial ? ' with MFA' : ''} for ${maskAccessKeyId(creds.accessKeyId)}`,
      endpoint: session.endpoint().host,
    };
  });
}
