// What every command receives: the outside world (deps), the global flags, and the shared steps
// that open an STS session from the one resolver.
import type { Deps } from '../deps.ts';
import type { GlobalFlags, ResolvedSettings } from '../config/resolve-settings.ts';
import { completeSettings, resolveLocalSettings, type LocalSettings } from '../config/resolve-settings.ts';
import { loadEndpointRules } from '../sts/client.ts';
import { describeOrigin } from '../config/profile.ts';
import { openStsSession, type SessionOptions, type StsSession } from '../sts/session.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { resolveLimits, type NetworkLimits } from '../sts/limits.ts';

export interface CommandContext {
  deps: Deps;
  flags: GlobalFlags & { debug: boolean; connectTimeout?: string | undefined; timeout?: string | undefined };
  diag: Diagnostics;
}

export function limitsFor(ctx: CommandContext): NetworkLimits {
  return resolveLimits(ctx.flags, ctx.deps.env);
}

/** Session options every command shares: --debug tracing and a note when a fallback endpoint is tried. */
export function sessionOptions(ctx: CommandContext): SessionOptions {
  return {
    limits: limitsFor(ctx),
    now: () => ctx.deps.now(),
    trace: (line) => ctx.diag.debug(line),
    onFailover: (from, to, error) => ctx.diag.warn(`${from.host} failed (${error.message}); trying ${to.host} (${to.region})`),
    onServed: (endpoint) => ctx.diag.note(`served by the fallback endpoint ${endpoint.url} (${endpoint.region})`),
  };
}

/** Profile, files and region only: no AWS SDK (what a cache lookup needs). */
export function resolveLocalForCommand(ctx: CommandContext): Promise<LocalSettings> {
  return resolveLocalSettings(ctx.flags, { env: ctx.deps.env, homedir: ctx.deps.homedir, readFile: ctx.deps.readFile });
}

export async function resolveForCommand(ctx: CommandContext, local?: LocalSettings): Promise<ResolvedSettings> {
  const settings = completeSettings(local ?? (await resolveLocalForCommand(ctx)), ctx.flags, ctx.deps.env, await loadEndpointRules());
  for (const note of settings.notes) ctx.diag.note(note);
  ctx.diag.debug(`profile ${settings.profileName.name} (${describeOrigin(settings.profileName.origin)})`);
  ctx.diag.debug(`region ${settings.region.region} (${describeOrigin(settings.region.origin)})`);
  ctx.diag.debug(`endpoint ${settings.endpoint.url} (${describeOrigin(settings.endpoint.origin)}), signing region ${settings.endpoint.signingRegion}`);
  for (const item of settings.endpoint.ignored) ctx.diag.debug(`ignored ${item.setting}: ${item.reason}`);
  for (const f of settings.fallbacks) ctx.diag.debug(`fallback ${f.url} (${f.region}, ${describeOrigin(f.origin)})`);
  return settings;
}

export async function openSession(ctx: CommandContext, options: SessionOptions = {}): Promise<StsSession> {
  const settings = await resolveForCommand(ctx);
  return openStsSession(settings, { ...sessionOptions(ctx), ...options });
}
