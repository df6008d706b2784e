// `stsx session-token`: GetSessionToken (optionally with MFA) for long-term IAM user keys. Cached,
// so an MFA code is asked once per session, not once per command.
import { UsageError } from '../errors.ts';
import { checkMfaSerial, checkTokenCode, parseDuration } from '../names/validate.ts';
import { commandSource, mfaCodes, resolveLocalForCommand, type CommandContext } from '../steps/command-context.ts';
import { chooseFormat, issueCached } from '../steps/emit-credentials.ts';
import { openCredentialCache, type CacheFlags } from '../steps/credential-cache-use.ts';
import { profileDeliverer, type WriteProfileFlags } from '../steps/write-profile-use.ts';
import { sessionTokenFor } from '../steps/session-token.ts';
import { sessionTokenKey } from '../steps/cache-keys.ts';
import { parseAllowedAccounts } from '../issue/allowed-accounts.ts';
import { SESSION_TOKEN_SECONDS } from '../issue/session-token.ts';
import type { Format } from '../output/credentials/formats.ts';

export interface SessionTokenOptions extends CacheFlags, WriteProfileFlags {
  duration?: string | undefined;
  mfaSerial?: string | undefined;
  tokenCode?: string | undefined;
  format?: Format | undefined;
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
    issue: () => sessionTokenFor(ctx, local, source, { durationSeconds, mfaSerial, mfa: mfaCodes(ctx, tokenCode), needAccount: allowedAccounts !== undefined }),
    mayPrompt: mfaSerial !== undefined && tokenCode === undefined,
    deliver,
  });
}
