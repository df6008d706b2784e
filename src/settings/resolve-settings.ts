// The one resolver every command uses: profile, region and STS endpoint, each with where it came
// from. I/O (files, instance metadata, the SDK's rules) is injected. This is the settings layer:
// it sits above config/ (files, profiles, region) and endpoint/ (which reads config's types), so
// neither of those imports the other back.
import type { Env } from '../deps.ts';
import { configFilePaths, loadConfigFiles, type ConfigFiles, type ReadTextFile } from '../config/config-files.ts';
import { describeOrigin, resolveProfileName, selectProfile, sourceProfileChain, type Profile, type ProfileName } from '../config/profile.ts';
import { resolveRegion, type InstanceRegionLookup, type ResolvedRegion } from '../config/region.ts';
import { fetchInstanceRegion, imdsDisabled, imdsEndpoint } from '../config/instance-region.ts';
import { readEndpointInputs, resolveEndpoint, type EndpointInputs, type EndpointRules, type ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { resolveFallbacks } from '../endpoint/fallbacks.ts';

export interface GlobalFlags {
  profile?: string | undefined;
  region?: string | undefined;
  endpointUrl?: string | undefined;
  fallbackRegion?: string[] | undefined;
}

export interface ResolvedSettings extends LocalSettings {
  files: ConfigFiles;
  profileName: ProfileName;
  profile: Profile;
  /** The profile and its source_profile chain. */
  chain: Profile[];
  region: ResolvedRegion;
  endpoint: ResolvedEndpoint;
  /** Opt-in failover targets, in order (empty unless configured). */
  fallbacks: ResolvedEndpoint[];
  /** Lines for stderr: what was assumed or ignored. */
  notes: string[];
}

export interface ResolveContext {
  env: Env;
  homedir: string;
  readFile: ReadTextFile;
  loadRules: () => Promise<EndpointRules>;
  instanceRegion?: InstanceRegionLookup | undefined;
  /** The run's one load of the config files (steps/command-context.ts); without it, they are read here. */
  files?: (() => Promise<ConfigFiles>) | undefined;
}

/** Everything that needs no AWS SDK: files, profile, chain and region (a cache hit stops here). */
export interface LocalSettings {
  files: ConfigFiles;
  profileName: ProfileName;
  profile: Profile;
  chain: Profile[];
  region: ResolvedRegion;
  /** What decides the endpoint (and, with the region, the partition): the same inputs give the same endpoint. */
  endpointInputs: EndpointInputs;
}

export async function resolveLocalSettings(flags: GlobalFlags, ctx: Omit<ResolveContext, 'loadRules'>): Promise<LocalSettings> {
  const files = await (ctx.files ? ctx.files() : loadConfigFiles(configFilePaths(ctx.env, ctx.homedir), ctx.readFile));
  const profileName = resolveProfileName(flags.profile, ctx.env);
  const profile = selectProfile(files, profileName);
  const chain = sourceProfileChain(files, profile);
  const region = await resolveRegion(
    {
      flag: flags.region,
      env: ctx.env,
      profiles: chain,
      imdsDisabled: imdsDisabled(ctx.env),
      instanceRegion: ctx.instanceRegion ?? (() => fetchInstanceRegion(imdsEndpoint(ctx.env, profile))),
    },
    describeOrigin,
  );
  const endpointInputs = readEndpointInputs({ flag: flags.endpointUrl, env: ctx.env, profile, files, region: region.region });
  return { files, profileName, profile, chain, region, endpointInputs };
}

/** Adds the endpoint (the SDK's rules) and the fallbacks to local settings. */
export function completeSettings(local: LocalSettings, flags: GlobalFlags, env: Env, rules: EndpointRules): ResolvedSettings {
  const { profile } = local;
  const endpoint = resolveEndpoint(local.endpointInputs, rules);
  const fallbacks = resolveFallbacks({ flags: flags.fallbackRegion ?? [], env, profile, primary: endpoint }, rules);
  // The region's own note (us-east-1 assumed) is said where the region is resolved for a command
  // (command-context.ts), so a cache hit says it too.
  const notes: string[] = [];
  for (const item of endpoint.ignored) {
    if (item.setting.includes('legacy') || item.setting.startsWith('the user name and password')) notes.push(`ignoring ${item.setting}: ${item.reason}`);
  }
  return { ...local, endpoint, fallbacks, notes };
}

export async function resolveSettings(flags: GlobalFlags, ctx: ResolveContext): Promise<ResolvedSettings> {
  const local = await resolveLocalSettings(flags, ctx);
  return completeSettings(local, flags, ctx.env, await ctx.loadRules());
}
