// GetSessionToken for a command: the issuer on the source's own session. `stsx session-token`
// prints it; the MFA session of an MFA role (mfa-session.ts) signs its AssumeRole with it.
import type { CredentialSource } from '../credentials/source.ts';
import type { MfaCodeProvider } from '../credentials/providers.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { issueSessionToken } from '../issue/session-token.ts';
import type { Issued } from '../issue/issue-cached.ts';
import { withSession, type CommandContext } from './command-context.ts';

export function sessionTokenFor(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  request: { durationSeconds: number; mfaSerial: string | undefined; mfa: MfaCodeProvider; needAccount?: boolean | undefined },
): Promise<Issued> {
  // The session belongs to the profile when its own credentials (not the environment's) were used (for `stsx profiles`).
  const profile = 'profile' in source && source.profile === local.profile.name && local.profile.exists ? local.profile.name : undefined;
  return withSession(ctx, local, source, request.mfa, (session) => issueSessionToken(session, request, { now: () => ctx.deps.now(), profile }));
}
