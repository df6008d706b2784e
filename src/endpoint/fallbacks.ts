// Opt-in failover targets (seed 003: for workloads outside AWS with multi-region needs, fail over
// to another region's regional endpoint). From --fallback-region, else STSX_FALLBACK_REGIONS, else
// the profile's stsx_fallback_regions. An entry is a region (its regional endpoint, computed by the
// SDK's rules like the primary) or `region=url` for a private or test endpoint of that region.
import { ConfigError, UsageError } from '../errors.ts';
import type { Env } from '../deps.ts';
import type { Origin, Profile } from '../config/profile.ts';
import { isWellFormedRegion } from '../config/region.ts';
import type { EndpointRules, ResolvedEndpoint } from './resolve-endpoint.ts';
import { stripUserinfo } from './userinfo.ts';

export interface FallbackInput {
  flags: string[];
  env: Env;
  profile: Profile;
  primary: ResolvedEndpoint;
}

export function resolveFallbacks(input: FallbackInput, rules: EndpointRules): ResolvedEndpoint[] {
  const { entries, origin } = pickSource(input);
  const out: ResolvedEndpoint[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const region = (eq === -1 ? entry : entry.slice(0, eq)).trim();
    // A user name or password in the URL is dropped, as for the primary endpoint: never sent or shown.
    const url = eq === -1 ? undefined : stripUserinfo(entry.slice(eq + 1).trim()).url;
    const bad = (message: string): never => {
      throw origin.kind === 'flag' ? new UsageError(message, { hint: 'use --fallback-region eu-west-1 or eu-west-1=https://host' }) : new ConfigError(message, { hint: 'use a comma list of regions, each optionally region=https://host' });
    };
    if (!isWellFormedRegion(region) || region === 'aws-global') bad(`fallback region ${JSON.stringify(region)} is not a region name`);
    let endpoint: ResolvedEndpoint;
    if (url !== undefined) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol)) return bad(`fallback endpoint ${JSON.stringify(url)} for ${region} is not an http(s) URL`);
      endpoint = { ...input.primary, url: parsed.href, host: parsed.host, region, signingRegion: region, partition: rules.partition(region), origin, custom: true, fips: false, dualStack: false, ignored: [] };
    } else {
      const computed = rules.endpoint({ Region: region, UseFIPS: input.primary.fips, UseDualStack: input.primary.dualStack, UseGlobalEndpoint: false });
      const parsed = new URL(computed.url);
      endpoint = { ...input.primary, url: parsed.href, host: parsed.host, region, signingRegion: computed.signingRegion ?? region, partition: rules.partition(region), origin, custom: false, ignored: [] };
    }
    if (endpoint.url !== input.primary.url && !out.some((e) => e.url === endpoint.url)) out.push(endpoint);
  }
  return out;
}

function pickSource(input: FallbackInput): { entries: string[]; origin: Origin } {
  const split = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (input.flags.length > 0) return { entries: input.flags.flatMap(split), origin: { kind: 'flag', name: '--fallback-region' } };
  const env = input.env.STSX_FALLBACK_REGIONS;
  if (env) return { entries: split(env), origin: { kind: 'env', name: 'STSX_FALLBACK_REGIONS' } };
  const fromProfile = input.profile.settings.stsx_fallback_regions;
  if (fromProfile) return { entries: split(fromProfile), origin: { kind: 'profile', profile: input.profile.name, key: 'stsx_fallback_regions', file: input.profile.keyFiles.stsx_fallback_regions ?? '' } };
  return { entries: [], origin: { kind: 'default', name: 'none' } };
}
