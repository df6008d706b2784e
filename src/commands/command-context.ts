// What every command receives: the outside world (deps), the global flags, and the shared steps
// that open an STS session from the one resolver.
import type { Deps } from '../deps.ts';
import type { GlobalFlags, ResolvedSettings } from '../config/resolve-settings.ts';
import { resolveSettings } from '../config/resolve-settings.ts';
import { loadEndpointRules } from '../sts/endpoint-rules.ts';
import { describeOrigin } from '../config/profile.ts';
import { openStsSession, type SessionOptions, type StsSession } from '../sts/session.ts';
import type { Diagnostics } from '../diagnostics.ts';

export interface CommandContext {
  deps: Deps;
  flags: GlobalFlags & { debug: boolean };
  diag: Diagnostics;
}

export async function resolveForCommand(ctx: CommandContext): Promise<ResolvedSettings> {
  const settings = await resolveSettings(ctx.flags, {
    env: ctx.deps.env,
    homedir: ctx.deps.homedir,
    readFile: ctx.deps.readFile,
    loadRules: loadEndpointRules,
  });
  for (const note of settings.notes) ctx.diag.note(note);
  ctx.diag.debug(`profile ${settings.profileName.name} (${describeOrigin(settings.profileName.origin)})`);
  ctx.diag.debug(`region ${settings.region.region} (${describeOrigin(settings.region.origin)})`);
  ctx.diag.debug(`endpoint ${settings.endpoint.url} (${describeOrigin(settings.endpoint.origin)}), signing region ${settings.endpoint.signingRegion}`);
  for (const item of settings.endpoint.ignored) ctx.diag.debug(`ignored ${item.setting}: ${item.reason}`);
  return settings;
}

export async function openSession(ctx: CommandContext, options: SessionOptions = {}): Promise<StsSession> {
  const settings = await resolveForCommand(ctx);
  return openStsSession(settings, { trace: (line) => ctx.diag.debug(line), ...options });
}
