// `stsx endpoint` as data: the STS endpoint every other command would use now, and where each
// part of it came from. Built only from the resolved settings and the environment (no network).
import type { Env } from '../deps.ts';
import type { ResolvedSettings } from '../settings/resolve-settings.ts';
import { describeOrigin, type Origin, type Profile } from '../config/profile.ts';
import type { Ignored } from '../endpoint/resolve-endpoint.ts';
import { readProxySettings, type ProxySettings } from './proxy-settings.ts';

export interface Sourced<T> {
  value: T;
  /** Where it came from, for people: `--region`, `$AWS_REGION`, `region in profile "x" (file)`. */
  from: string;
  origin: Origin;
}

export interface EndpointDescription {
  url: string;
  host: string;
  /** The host name without port or IPv6 brackets, as DNS and TLS see it. */
  hostname: string;
  port: number;
  tls: boolean;
  endpoint: Sourced<string>;
  profile: Sourced<string>;
  region: Sourced<string>;
  partition: string;
  signingRegion: string;
  custom: boolean;
  fips: Sourced<boolean>;
  dualStack: Sourced<boolean>;
  ignored: Ignored[];
  /** Opt-in failover endpoints (--fallback-region...), tried in order when this one cannot be reached. */
  fallbacks: { url: string; region: string; from: string }[];
  proxy: ProxySettings;
}

export function describeEndpoint(settings: ResolvedSettings, env: Env): EndpointDescription {
  const { endpoint } = settings;
  const url = new URL(endpoint.url);
  const tls = url.protocol === 'https:';
  return {
    url: endpoint.url,
    host: endpoint.host,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    tls,
    endpoint: sourced(endpoint.url, endpoint.origin),
    profile: sourced(settings.profileName.name, settings.profileName.origin),
    region: sourced(settings.region.region, settings.region.origin),
    partition: endpoint.partition,
    signingRegion: endpoint.signingRegion,
    custom: endpoint.custom,
    fips: sourced(endpoint.fips, switchOrigin(env, settings.profile, 'AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint')),
    dualStack: sourced(endpoint.dualStack, switchOrigin(env, settings.profile, 'AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint')),
    ignored: endpoint.ignored,
    fallbacks: settings.fallbacks.map((f) => ({ url: f.url, region: f.region, from: describeOrigin(f.origin) })),
    proxy: readProxySettings(env, endpoint.url),
  };
}

function sourced<T>(value: T, origin: Origin): Sourced<T> {
  return { value, from: describeOrigin(origin), origin };
}

/** Where a FIPS/dual-stack switch was read, in the order resolve-endpoint.ts reads it. */
function switchOrigin(env: Env, profile: Profile, envName: string, key: string): Origin {
  if (env[envName] !== undefined && env[envName] !== '') return { kind: 'env', name: envName };
  const fromProfile = profile.settings[key];
  if (fromProfile !== undefined && fromProfile !== '') {
    return { kind: 'profile', profile: profile.name, key, file: profile.keyFiles[key] ?? '' };
  }
  return { kind: 'default', name: 'off' };
}
