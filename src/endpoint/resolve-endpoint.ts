// Which STS endpoint, and why. Overrides follow the AWS SDKs' "service-specific endpoints"
// precedence (sdkref: feature-ss-endpoints): flag, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the
// profile's [services] sts endpoint_url, the profile's endpoint_url; all but the flag are switched
// off by AWS_IGNORE_CONFIGURED_ENDPOINT_URLS. Otherwise the SDK's own STS endpoint rules compute
// the regional endpoint of the region's partition (FIPS and dual-stack honoured). The legacy
// global endpoint is never chosen implicitly (sdkref: feature-sts-regionalized-endpoints).
import { ConfigError, UsageError } from '../errors.ts';
import type { Env } from '../deps.ts';
import type { ConfigFiles } from '../config/config-files.ts';
import type { Origin, Profile } from '../config/profile.ts';

export interface EndpointRuleParams {
  Region: string;
  UseFIPS: boolean;
  UseDualStack: boolean;
  UseGlobalEndpoint: boolean;
}

/** The SDK's STS endpoint ruleset and partition table, injected so this module stays pure. */
export interface EndpointRules {
  endpoint(params: EndpointRuleParams): { url: string; signingRegion?: string | undefined };
  partition(region: string): string;
}

export interface Ignored {
  setting: string;
  reason: string;
}

export interface ResolvedEndpoint {
  url: string;
  host: string;
  region: string;
  /** The region in the SigV4 credential scope. */
  signingRegion: string;
  partition: string;
  origin: Origin;
  custom: boolean;
  fips: boolean;
  dualStack: boolean;
  ignored: Ignored[];
}

export interface EndpointInput {
  flag?: string | undefined;
  env: Env;
  profile: Profile;
  files: ConfigFiles;
  region: string;
}

export function resolveEndpoint(input: EndpointInput, rules: EndpointRules): ResolvedEndpoint {
  const ignored: Ignored[] = [];
  const { env, profile } = input;
  const fips = readBoolean(env, profile, 'AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint');
  const dualStack = readBoolean(env, profile, 'AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint');
  noteLegacySetting(env, profile, ignored);

  const override = findOverride(input, ignored);
  const partition = rules.partition(input.region === 'aws-global' ? 'us-east-1' : input.region);
  if (override) {
    const url = checkUrl(override.url, override.origin);
    if (fips.value) ignored.push({ setting: fips.name, reason: 'FIPS does not apply to a custom endpoint' });
    if (dualStack.value) ignored.push({ setting: dualStack.name, reason: 'dual-stack does not apply to a custom endpoint' });
    const signingRegion = input.region === 'aws-global' ? 'us-east-1' : input.region;
    return { url: url.href, host: url.host, region: input.region, signingRegion, partition, origin: override.origin, custom: true, fips: false, dualStack: false, ignored };
  }

  let computed: { url: string; signingRegion?: string | undefined };
  try {
    computed = rules.endpoint({ Region: input.region, UseFIPS: fips.value, UseDualStack: dualStack.value, UseGlobalEndpoint: false });
  } catch (error) {
    throw new ConfigError(`no STS endpoint for region ${input.region}: ${(error as Error).message}`, {
      hint: 'turn off FIPS or dual-stack for this region, or pass --endpoint-url',
      cause: error,
    });
  }
  const url = new URL(computed.url);
  return {
    url: url.href,
    host: url.host,
    region: input.region,
    signingRegion: computed.signingRegion ?? input.region,
    partition,
    origin: { kind: 'default', name: `regional endpoint of partition ${partition}` },
    custom: false,
    fips: fips.value,
    dualStack: dualStack.value,
    ignored,
  };
}

function findOverride(input: EndpointInput, ignored: Ignored[]): { url: string; origin: Origin } | undefined {
  if (input.flag !== undefined) return { url: input.flag, origin: { kind: 'flag', name: '--endpoint-url' } };
  const { env, profile, files } = input;
  const candidates: { url: string; origin: Origin }[] = [];
  for (const name of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'] as const) {
    const value = env[name];
    if (value) candidates.push({ url: value, origin: { kind: 'env', name } });
  }
  const servicesName = profile.settings.services;
  if (servicesName) {
    const section = files.config[`services.${servicesName}`];
    if (!section) {
      throw new ConfigError(`profile "${profile.name}" names services "${servicesName}", but there is no [services ${servicesName}] section in ${files.paths.config}`, {
        hint: `add the section or remove services = ${servicesName}`,
      });
    }
    const value = section['sts.endpoint_url'];
    if (value) candidates.push({ url: value, origin: { kind: 'profile', profile: profile.name, key: `[services ${servicesName}] sts endpoint_url`, file: files.paths.config } });
  }
  if (profile.settings.endpoint_url) {
    candidates.push({ url: profile.settings.endpoint_url, origin: { kind: 'profile', profile: profile.name, key: 'endpoint_url', file: profile.keyFiles.endpoint_url ?? files.paths.config } });
  }
  const ignoreVar = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  const ignoreAll = ignoreVar !== undefined ? ignoreVar.toLowerCase() === 'true' : profile.settings.ignore_configured_endpoint_urls?.toLowerCase() === 'true';
  if (ignoreAll) {
    const why = ignoreVar !== undefined ? 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true' : 'ignore_configured_endpoint_urls = true';
    for (const c of candidates) ignored.push({ setting: describeSetting(c.origin), reason: `switched off by ${why}` });
    return undefined;
  }
  const [first, ...rest] = candidates;
  for (const c of rest) ignored.push({ setting: describeSetting(c.origin), reason: 'overridden by a setting of higher precedence' });
  return first;
}

function describeSetting(origin: Origin): string {
  if (origin.kind === 'env') return origin.name;
  if (origin.kind === 'profile') return `${origin.key} (profile ${origin.profile})`;
  return origin.name;
}

function checkUrl(raw: string, origin: Origin): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    const message = `endpoint URL ${JSON.stringify(raw)} (from ${describeSetting(origin)}) is not an http(s) URL`;
    const hint = 'use a full URL such as https://sts.eu-west-1.amazonaws.com';
    throw origin.kind === 'flag' ? new UsageError(message, { hint }) : new ConfigError(message, { hint });
  }
  return url;
}

function readBoolean(env: Env, profile: Profile, envName: string, key: string): { value: boolean; name: string } {
  const fromEnv = env[envName];
  const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : profile.settings[key];
  const name = fromEnv !== undefined && fromEnv !== '' ? envName : key;
  if (raw === undefined || raw === '') return { value: false, name };
  const lower = raw.toLowerCase();
  if (lower === 'true') return { value: true, name };
  if (lower === 'false') return { value: false, name };
  throw new ConfigError(`${name} must be true or false, not ${JSON.stringify(raw)}`, { hint: `fix ${name}` });
}

function noteLegacySetting(env: Env, profile: Profile, ignored: Ignored[]): void {
  const reason = 'stsx always uses regional STS endpoints; name the global one with --region aws-global or --endpoint-url if you really need it';
  if (env.AWS_STS_REGIONAL_ENDPOINTS?.toLowerCase() === 'legacy') ignored.push({ setting: 'AWS_STS_REGIONAL_ENDPOINTS=legacy', reason });
  else if (profile.settings.sts_regional_endpoints?.toLowerCase() === 'legacy') ignored.push({ setting: `sts_regional_endpoints = legacy (profile ${profile.name})`, reason });
}
