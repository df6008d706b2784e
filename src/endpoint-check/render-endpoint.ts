// `stsx endpoint` as text for people and JSON for scripts, from the one EndpointDescription.
import type { EndpointDescription, Sourced } from './describe-endpoint.ts';
import type { ProxySettings } from './proxy-settings.ts';
import { jsonText } from '../text/json.ts';

const WIDTH = 16;

export function endpointText(d: EndpointDescription): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => void lines.push(`${label.padEnd(WIDTH)}${value}`.trimEnd());
  row('endpoint', d.url);
  row('  from', d.endpoint.from);
  row('host', `${d.hostname}, port ${d.port} (${d.tls ? 'https' : 'http, no TLS'})`);
  row('region', `${d.region.value}  ${fromText(d.region)}`);
  row('partition', d.partition);
  row('signing region', d.signingRegion === d.region.value ? d.signingRegion : `${d.signingRegion}  (SigV4 scope differs from the region)`);
  row('FIPS', onOff(d.fips, 'AWS_USE_FIPS_ENDPOINT / use_fips_endpoint'));
  row('dual-stack', onOff(d.dualStack, 'AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint'));
  row('profile', `${d.profile.value}  ${d.profile.origin.kind === 'default' ? '(no --profile or AWS_PROFILE)' : fromText(d.profile)}`);
  if (d.ignored.length === 0) row('ignored', 'nothing');
  d.ignored.forEach((item, i) => row(i === 0 ? 'ignored' : '', `${item.setting}: ${item.reason}`));
  if (d.fallbacks.length === 0) row('fallbacks', 'none (no --fallback-region, STSX_FALLBACK_REGIONS or stsx_fallback_regions)');
  d.fallbacks.forEach((f, i) => row(i === 0 ? 'fallbacks' : '', `${f.url}  (${f.region}, from ${f.from})`));
  for (const [i, line] of proxyLines(d.proxy, d.hostname).entries()) row(i === 0 ? 'proxy' : '', line);
  return `${lines.join('\n')}\n`;
}

export function proxyLines(p: ProxySettings, hostname: string): string[] {
  if (!p.proxy) {
    const lines = ['none: stsx connects directly (HTTPS_PROXY / https_proxy not set)'];
    if (p.noProxy) lines.push(`$${p.noProxy.name}=${p.noProxy.value} (no effect without a proxy)`);
    return lines;
  }
  const lines = [`${p.proxy.value}  (from $${p.proxy.name})`];
  if (p.unusable) lines.push(`not used: ${p.unusable}; stsx connects directly`);
  else if (p.excludedBy && p.noProxy) lines.push(`not used for ${hostname}: $${p.noProxy.name} exempts it (entry "${p.excludedBy}"); stsx connects directly`);
  else {
    const why = p.noProxy ? `$${p.noProxy.name}=${p.noProxy.value} does not exempt ${hostname}` : 'no NO_PROXY / no_proxy';
    lines.push(`in force: STS calls to ${hostname} go through the proxy (${why})`);
  }
  return lines;
}

function fromText(s: Sourced<unknown>): string {
  return s.origin.kind === 'default' ? `(${s.from})` : `(from ${s.from})`;
}

function onOff(s: Sourced<boolean>, names: string): string {
  const state = s.value ? 'on' : 'off';
  return s.origin.kind === 'default' ? `${state}  (${names} not set)` : `${state}  (from ${s.from})`;
}

/** The JSON shape for scripts: the description as is (origins both as text and as data). */
export function endpointJson(d: EndpointDescription): string {
  return `${jsonText(d, 2)}\n`;
}
