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
import { stripUserinfo } from './userinfo.ts';

interface EndpointRuleParams {
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

/** Where the endpoint inputs are read from: the one place that knows which settings matter. */
export interface EndpointSources {
  flag?: string | undefined;
  env: Env;
  profile: Profile;
  files: ConfigFiles;
  region: string;
}

/** A custom endpoint URL and where it was set; any `user:password@` is already gone. */
interface EndpointOverride {
  url: string;
  origin: Origin;
  /** The value carried a user name or password, which was dropped (SigV4 signs STS calls; it is never sent). */
  hadUserinfo: boolean;
}

/** A FIPS or dual-stack switch: its value, the setting's name, and where it was read. */
interface Switch {
  value: boolean;
  name: string;
  origin: Origin;
}

/**
 * Everything that decides the STS endpoint, read once (readEndpointInputs) and interpreted once
 * (resolveEndpoint); the cache key is computed from it, so equal inputs mean the same endpoint
 * without loading the SDK's rules. Plain data (JSON-serialisable), never a password.
 */
export interface EndpointInputs {
  region: string;
  /** Custom endpoint URLs, highest precedence first: the flag, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, [services] sts endpoint_url, endpoint_url. */
  overrides: EndpointOverride[];
  /** Which setting switches off every override but the flag, when one does. */
  ignoreConfigured: string | undefined;
  fips: Switch;
  dualStack: Switch;
  /** The legacy global-endpoint setting that stsx ignores, when set. */
  legacy: string | undefined;
}

export function readEndpointInputs(input: EndpointSources): EndpointInputs {
  const { env, profile, files } = input;
  const overrides: EndpointOverride[] = [];
  const add = (raw: string, origin: Origin): void => {
    const { url, had } = stripUserinfo(raw);
    overrides.push({ url, origin, hadUserinfo: had });
  };
  if (input.flag !== undefined) add(input.flag, { kind: 'flag', name: '--endpoint-url' });
  for (const name of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'] as const) {
    const value = env[name];
    if (value) add(value, { kind: 'env', name });
  }
  const servicesName = profile.settings.services;
  if (servicesName) {
    const section = files.config.get(`services.${servicesName}`);
    if (!section) {
      throw new ConfigError(`profile "${profile.name}" names services "${servicesName}", but there is no [services ${servicesName}] section in ${files.paths.config}`, {
        hint: `add the section or remove services = ${servicesName}`,
      });
    }
    const value = section['sts.endpoint_url'];
    if (value) add(value, { kind: 'profile', profile: profile.name, key: `[services ${servicesName}] sts endpoint_url`, file: files.paths.config });
  }
  if (profile.settings.endpoint_url) {
    add(profile.settings.endpoint_url, { kind: 'profile', profile: profile.name, key: 'endpoint_url', file: profile.keyFiles.endpoint_url ?? files.paths.config });
  }
  const ignoreVar = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  const ignoreAll = ignoreVar !== undefined ? ignoreVar.toLowerCase() === 'true' : profile.settings.ignore_configured_endpoint_urls?.toLowerCase() === 'true';
  const ignoreConfigured = !ignoreAll ? undefined : ignoreVar !== undefined ? 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true' : 'ignore_configured_endpoint_urls = true';
  return {
    region: input.region,
    overrides,
    ignoreConfigured,
    fips: readBoolean(env, profile, 'AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint'),
    dualStack: readBoolean(env, profile, 'AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint'),
    legacy: legacySetting(env, profile),
  };
}

export function resolveEndpoint(inputs: EndpointInputs, rules: EndpointRules): ResolvedEndpoint {
  const ignored: Ignored[] = [];
  const { fips, dualStack, region } = inputs;
  if (inputs.legacy !== undefined) {
    ignored.push({ setting: inputs.legacy, reason: 'stsx always uses regional STS endpoints; name the global one with --region aws-global or --endpoint-url if you really need it' });
  }
  const override = pickOverride(inputs, ignored);
  const partition = rules.partition(region === 'aws-global' ? 'us-east-1' : region);
  if (override) {
    const url = checkUrl(override.url, override.origin);
    if (override.hadUserinfo) ignored.push({ setting: `the user name and password in ${describeSetting(override.origin)}`, reason: 'STS calls are signed with SigV4; they are never sent or stored' });
    if (fips.value) ignored.push({ setting: fips.name, reason: 'FIPS does not apply to a custom endpoint' });
    if (dualStack.value) ignored.push({ setting: dualStack.name, reason: 'dual-stack does not apply to a custom endpoint' });
    const signingRegion = region === 'aws-global' ? 'us-east-1' : region;
    return { url: url.href, host: url.host, region, signingRegion, partition, origin: override.origin, custom: true, fips: false, dualStack: false, ignored };
  }

  let computed: { url: string; signingRegion?: string | undefined };
  try {
    computed = rules.endpoint({ Region: region, UseFIPS: fips.value, UseDualStack: dualStack.value, UseGlobalEndpoint: false });
  } catch (error) {
    throw new ConfigError(`no STS endpoint for region ${region}: ${(error as Error).message}`, {
      hint: 'turn off FIPS or dual-stack for this region, or pass --endpoint-url',
      cause: error,
    });
  }
  const url = new URL(computed.url);
  return {
    url: url.href,
    host: url.host,
    region,
    signingRegion: computed.signingRegion ?? region,
    partition,
    origin: { kind: 'default', name: `regional endpoint of partition ${partition}` },
    custom: false,
    fips: fips.value,
    dualStack: dualStack.value,
    ignored,
  };
}

function pickOverride(inputs: EndpointInputs, ignored: Ignored[]): EndpointOverride | undefined {
  const [first, ...rest] = inputs.overrides;
  if (first?.origin.kind === 'flag') {
    for (const c of rest) ignored.push({ setting: describeSetting(c.origin), reason: 'overridden by a setting of higher precedence' });
    return first;
  }
  if (inputs.ignoreConfigured !== undefined) {
    for (const c of inputs.overrides) ignored.push({ setting: describeSetting(c.origin), reason: `switched off by ${inputs.ignoreConfigured}` });
    return undefined;
  }
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

/** A FIPS/dual-stack switch: the environment variable when set (non-empty), else the profile key. */
function readBoolean(env: Env, profile: Profile, envName: string, key: string): Switch {
  const fromEnv = env[envName];
  const useEnv = fromEnv !== undefined && fromEnv !== '';
  const raw = useEnv ? fromEnv : profile.settings[key];
  const name = useEnv ? envName : key;
  const origin: Origin = useEnv
    ? { kind: 'env', name: envName }
    : raw !== undefined && raw !== ''
      ? { kind: 'profile', profile: profile.name, key, file: profile.keyFiles[key] ?? '' }
      : { kind: 'default', name: 'off' };
  if (raw === undefined || raw === '') return { value: false, name, origin };
  const lower = raw.toLowerCase();
  if (lower === 'true') return { value: true, name, origin };
  if (lower === 'false') return { value: false, name, origin };
  throw new ConfigError(`${name} must be true or false, not ${JSON.stringify(raw)}`, { hint: `fix ${name}` });
}

function legacySetting(env: Env, profile: Profile): string | undefined {
  if (env.AWS_STS_REGIONAL_ENDPOINTS?.toLowerCase() === 'legacy') return 'AWS_STS_REGIONAL_ENDPOINTS=legacy';
  if (profile.settings.sts_regional_endpoints?.toLowerCase() === 'legacy') return `sts_regional_endpoints = legacy (profile ${profile.name})`;
  return undefined;
}
