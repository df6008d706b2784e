// The one resolver every command uses: profile, region and STS endpoint, each with where it came
// from. I/O (files, instance metadata, the SDK's rules) is injected.
import type { Env } from '../deps.ts';
import { configFilePaths, loadConfigFiles, type ConfigFiles, type ReadTextFile } from './config-files.ts';
import { describeOrigin, resolveProfileName, selectProfile, sourceProfileChain, type Profile, type ProfileName } from './profile.ts';
import { resolveRegion, type InstanceRegionLookup, type ResolvedRegion } from './region.ts';
import { fetchInstanceRegion, imdsDisabled, imdsEndpoint } from './instance-region.ts';
import { resolveEndpoint, type EndpointRules, type ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { resolveFallbacks } from '../endpoint/fallbacks.ts';

export interface GlobalFlags {
  profile?: string | undefined;
  region?: string | undefined;
  endpointUrl?: string | undefined;
  fallbackRegion?: string[] | undefined;
}

export interface ResolvedSettings {
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
}

export async function resolveSettings(flags: GlobalFlags, ctx: ResolveContext): Promise<ResolvedSettings> {
  const files = await loadConfigFiles(configFilePaths(ctx.env, ctx.homedir), ctx.readFile);
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
  const rules = await ctx.loadRules();
  const endpoint = resolveEndpoint({ flag: flags.endpointUrl, env: ctx.env, profile, files, region: region.region }, rules);
  const fallbacks = resolveFallbacks({ flags: flags.fallbackRegion ?? [], env: ctx.env, profile, primary: endpoint }, rules);
  const notes: string[] = [];
  if (region.note) notes.push(region.note);
  for (const item of endpoint.ignored) {
    if (item.setting.includes('legacy')) notes.push(`ignoring ${item.setting}: ${item.reason}`);
  }
  return { files, profileName, profile, chain, region, endpoint, fallbacks, notes };
}
