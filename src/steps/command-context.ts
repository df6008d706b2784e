// What every command receives: the outside world (deps), the global flags, and the shared steps
// that open an STS session from the one resolver.
import type { Deps } from '../deps.ts';
import type { GlobalFlags, ResolvedSettings } from '../settings/resolve-settings.ts';
import { completeSettings, resolveLocalSettings, type LocalSettings } from '../settings/resolve-settings.ts';
import { loadEndpointRules } from '../sts/client.ts';
import { describeOrigin, resolveProfileName, selectProfile, sourceProfileChain } from '../config/profile.ts';
import { configFilePaths, loadConfigFiles, type ConfigFiles } from '../config/config-files.ts';
import { withStsSession, type SessionOptions, type Signer, type StsSession } from '../sts/session.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { resolveLimits, type NetworkLimits } from '../sts/limits.ts';
import { chooseSource, describeSource, sourceShape, type CredentialSource } from '../credentials/source.ts';
import { providerFor, type MfaCodeProvider } from '../credentials/providers.ts';
import { explainCredentialError } from '../credentials/explain.ts';
import { createMfaPrompt } from '../input/mfa-prompt.ts';
import { checkTokenCode } from '../names/validate.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { unknownRegionWarning } from '../config/known-regions.ts';

export interface CommandContext {
  deps: Deps;
  flags: GlobalFlags & { debug: boolean; connectTimeout?: string | undefined; timeout?: string | undefined; mfaProcess?: string | undefined; mfaPrompt?: string | undefined };
  diag: Diagnostics;
  /**
   * src/early-cache-hit.ts: answer from the cache or not at all. A miss throws NotCached
   * (issue-cached.ts) before anything is printed; onHit runs once the hit is certain.
   */
  cacheOnly?: { onHit: () => void } | undefined;
}

/** What commander parsed of the global flags (or an early path read, src/early-flags.ts), by commander's keys. */
export interface GivenGlobalFlags extends GlobalFlags {
  connectTimeout?: string | undefined;
  timeout?: string | undefined;
  debug?: boolean | undefined;
  mfaProcess?: string | undefined;
  /** --prompt: an MFA prompt's name (`status --prompt` is a switch, not this). */
  prompt?: unknown;
}

/** A command context's flags from the global flags given: the one mapping, for cli.ts and the early paths. */
export function contextFlags(given: GivenGlobalFlags): CommandContext['flags'] {
  return {
    profile: given.profile,
    region: given.region,
    endpointUrl: given.endpointUrl,
    fallbackRegion: given.fallbackRegion,
    connectTimeout: given.connectTimeout,
    timeout: given.timeout,
    debug: given.debug === true,
    mfaProcess: given.mfaProcess,
    mfaPrompt: typeof given.prompt === 'string' ? given.prompt : undefined,
  };
}

export function limitsFor(ctx: CommandContext): NetworkLimits {
  return resolveLimits(ctx.flags, ctx.deps.env);
}

/** Session options every command shares: --debug tracing and a note when a fallback endpoint is tried. */
function sessionOptions(ctx: CommandContext): Omit<SessionOptions, 'signer'> {
  return {
    limits: limitsFor(ctx),
    now: () => ctx.deps.now(),
    trace: (line) => ctx.diag.debug(line),
    onFailover: (from, to, error) => ctx.diag.warn(`${from.host} failed (${error.message}); trying ${to.host} (${to.region})`),
    onServed: (endpoint) => ctx.diag.note(`served by the fallback endpoint ${endpoint.url} (${endpoint.region})`),
  };
}

/**
 * Profile, files and region only: no AWS SDK (what a cache lookup needs). The region's note (no
 * region configured, us-east-1 assumed) and a warning about a region the SDK's table does not
 * list are said here, once per run, before any cache lookup: a cache hit exports the same region
 * as a miss and says the same.
 */
export async function resolveLocalForCommand(ctx: CommandContext): Promise<LocalSettings> {
  const local = await resolveLocalSettings(ctx.flags, { env: ctx.deps.env, homedir: ctx.deps.homedir, readFile: ctx.deps.readFile, files: () => configFilesOfRun(ctx.deps) });
  if (!regionNoted.has(ctx.diag)) {
    regionNoted.add(ctx.diag);
    if (local.region.note) ctx.diag.note(local.region.note);
    // Before any call: a misspelt region would otherwise come back as a DNS failure.
    const unknown = unknownRegionWarning(local.region.region, describeOrigin(local.region.origin));
    if (unknown) ctx.diag.warn(unknown);
  }
  return local;
}
const regionNoted = new WeakSet<CommandContext['diag']>();

/**
 * One read and parse of the config files per run, whoever resolves settings in it. Keyed by the
 * run's file reader, which a context derived from the run's Deps (Object.create, as the early
 * cache hit makes) shares, with the environment and home it read them for.
 */
const runFiles = new WeakMap<Deps['readFile'], { env: Deps['env']; homedir: string; files: Promise<ConfigFiles> }>();
function configFilesOfRun(deps: Deps): Promise<ConfigFiles> {
  const known = runFiles.get(deps.readFile);
  if (known && known.env === deps.env && known.homedir === deps.homedir) return known.files;
  const files = loadConfigFiles(configFilePaths(deps.env, deps.homedir), deps.readFile);
  runFiles.set(deps.readFile, { env: deps.env, homedir: deps.homedir, files });
  return files;
}

export async function resolveForCommand(ctx: CommandContext, local?: LocalSettings): Promise<ResolvedSettings> {
  const settings = completeSettings(local ?? (await resolveLocalForCommand(ctx)), ctx.flags, ctx.deps.env, await loadEndpointRules());
  for (const note of settings.notes) ctx.diag.note(note);
  ctx.diag.debug(`profile ${settings.profileName.name} (${describeOrigin(settings.profileName.origin)})`);
  ctx.diag.debug(`region ${settings.region.region} (${describeOrigin(settings.region.origin)})`);
  ctx.diag.debug(`endpoint ${settings.endpoint.url} (${describeOrigin(settings.endpoint.origin)}), signing region ${settings.endpoint.signingRegion}`);
  for (const item of settings.endpoint.ignored) ctx.diag.debug(`ignored ${item.setting}: ${item.reason}`);
  for (const f of settings.fallbacks) ctx.diag.debug(`fallback ${f.url} (${f.region}, ${describeOrigin(f.origin)})`);
  // The lint's notes (lines other AWS tools read differently): --debug only here, `stsx profiles` shows them always.
  if (ctx.flags.debug) for (const n of settings.files.notes?.().lines ?? []) ctx.diag.debug(`${n.file}:${n.line}: ${n.text}`);
  return settings;
}

/** The selected profile's credential source (the one chooser), with its note for the person. */
export function commandSource(ctx: CommandContext, local: LocalSettings): CredentialSource {
  const choice = chooseSource(local, ctx.deps.env);
  if (choice.note) ctx.diag.note(choice.note);
  ctx.diag.debug(`credentials from ${describeSource(choice.source)} ${JSON.stringify(sourceShape(choice.source))}`);
  return choice.source;
}

/** MFA codes the same way in every command: --token-code, else where input/mfa-prompt.ts's one rule says. */
export function mfaCodes(ctx: CommandContext, tokenCode: string | undefined): MfaCodeProvider {
  return createMfaPrompt(ctx.deps, {
    tokenCode: tokenCode !== undefined ? checkTokenCode(tokenCode) : undefined,
    mfaProcess: ctx.flags.mfaProcess,
    prompt: ctx.flags.mfaPrompt,
    // mfa_process and mfa_prompt: read from the profile only when a code is needed.
    profiles: async () => {
      const files = await configFilesOfRun(ctx.deps);
      return sourceProfileChain(files, selectProfile(files, resolveProfileName(ctx.flags.profile, ctx.deps.env)));
    },
    timeoutMs: limitsFor(ctx).totalTimeoutMs,
    debug: (line) => ctx.diag.debug(line),
  });
}

/** Source credentials for a session: built once per endpoint (inner hops go to the same one), one process run per command. */
export function sourceProvider(ctx: CommandContext, source: CredentialSource, mfaCodeProvider: MfaCodeProvider): (endpoint: ResolvedEndpoint) => Promise<AwsCredentialIdentityProvider> {
  const processes = new Map<string, Promise<AwsCredentialIdentity>>();
  const io = { env: ctx.deps.env, now: ctx.deps.now, user: ctx.deps.username(), startProcess: ctx.deps.startProcess, limits: limitsFor(ctx), mfaCodeProvider, debug: (line: string) => ctx.diag.debug(line), processes, readFile: (file: string) => ctx.deps.readFile(file), readFileHead: ctx.deps.readFileHead?.bind(ctx.deps),
    files: () => configFilesOfRun(ctx.deps),
    sso: async (profile: string, requestHandler: unknown) => (await import('../sso/sso-io.ts')).ssoCredentialsForCommand(ctx.deps, ctx.diag, limitsFor(ctx), await configFilesOfRun(ctx.deps), profile, requestHandler),
    storedKeys: async (s: Extract<CredentialSource, { kind: 'stored-keys' }>) => {
      const k = await (await import('../keys/open-store.ts')).storedKeysOf(ctx.deps, (l) => ctx.diag.note(l), s.storeProfile, s.backend);
      return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    } };
  return (endpoint) => Promise.resolve(providerFor(source, endpoint, io));
}

/** Runs a step, rewriting credential errors to name the real source. */
async function explained<T>(source: CredentialSource, step: () => Promise<T>, operation?: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw explainCredentialError(error, source, operation);
  }
}

/**
 * Opens an STS session on this credential source, runs one step with it and always closes it;
 * credential errors come out naming the real source.
 */
export function withSession<T>(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  mfa: MfaCodeProvider,
  step: (session: StsSession) => Promise<T>,
  operation?: string,
): Promise<T> {
  return inSession(ctx, local, source, { kind: 'provider', provider: sourceProvider(ctx, source, mfa) }, step, operation);
}

/**
 * withSession signed with these credentials (an MFA session made from the source) instead of the
 * source's own; errors still name the source they came from.
 */
export function withCredentials<T>(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  credentials: AwsCredentialIdentity,
  step: (session: StsSession) => Promise<T>,
  operation?: string,
): Promise<T> {
  return inSession(ctx, local, source, { kind: 'credentials', credentials }, step, operation);
}

async function inSession<T>(
  ctx: CommandContext,
  local: LocalSettings,
  source: CredentialSource,
  signer: Signer,
  step: (session: StsSession) => Promise<T>,
  operation: string | undefined,
): Promise<T> {
  const settings = await resolveForCommand(ctx, local);
  return withOpenSession(ctx, settings, { signer }, (session) => explained(source, () => step(session), operation));
}

/** Opens an STS session with the command's options, runs one step with it and always closes it. */
export function withOpenSession<T>(
  ctx: CommandContext,
  settings: ResolvedSettings,
  how: { signer: Signer; limits?: NetworkLimits | undefined },
  step: (session: StsSession) => Promise<T>,
): Promise<T> {
  return withStsSession(settings, { ...sessionOptions(ctx), ...(how.limits ? { limits: how.limits } : {}), signer: how.signer }, step);
}

/** withSession for the selected profile's own credentials (whoami, decode). */
export async function withCommandSession<T>(ctx: CommandContext, tokenCode: string | undefined, step: (session: StsSession) => Promise<T>): Promise<T> {
  const mfa = mfaCodes(ctx, tokenCode);
  const local = await resolveLocalForCommand(ctx);
  return withSession(ctx, local, commandSource(ctx, local), mfa, step);
}
