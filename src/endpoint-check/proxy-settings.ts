// Whether stsx's STS calls go through a proxy, and why. The variables are picked exactly as
// sts/limits.ts `proxyEnv` picks them (upper case first) and handed to Node's agents (`proxyEnv`),
// so the NO_PROXY rules here are Node's (lib/internal/http.js, ProxyConfig.shouldUseProxy):
// `*`; the exact host or host:port; `.suffix` (a plain suffix match, as curl); `*.domain`; an
// IPv4 range `a.b.c.d-e.f.g.h`. A bare `example.com` exempts only that host, not its subdomains.
// Only http:// and https:// proxy URLs are used; Node ignores others.
import type { Env } from '../deps.ts';
import { proxyEnv } from '../sts/limits.ts';
import { ipv4ToNumber } from './address-kind.ts';
import { maskPassword } from '../endpoint/userinfo.ts';

export { maskPassword };

interface EnvSetting {
  /** The variable's name as found, e.g. `HTTPS_PROXY` or `https_proxy`. */
  name: string;
  /** The value, with any password in a proxy URL masked. */
  value: string;
}

export interface ProxySettings {
  /** HTTPS_PROXY/https_proxy for an https endpoint, HTTP_PROXY/http_proxy for http. */
  proxy: EnvSetting | undefined;
  noProxy: EnvSetting | undefined;
  /** The NO_PROXY entry that exempts the endpoint host, if any. */
  excludedBy: string | undefined;
  /** Why a set proxy variable is not used, other than NO_PROXY (e.g. an unsupported scheme). */
  unusable: string | undefined;
  /** stsx's STS calls to this endpoint go through the proxy. */
  inForce: boolean;
  /** The proxy's host name (no brackets) and port, when set and usable. */
  hostname: string | undefined;
  port: number | undefined;
}

export function readProxySettings(env: Env, endpointUrl: string): ProxySettings {
  const url = new URL(endpointUrl);
  const picked = proxyEnv(env) ?? {};
  const which = url.protocol === 'http:' ? 'HTTP_PROXY' : 'HTTPS_PROXY';
  const proxyValue = picked[which];
  const proxy = proxyValue ? { name: nameOf(env, which), value: maskPassword(proxyValue) } : undefined;
  const noProxy = picked.NO_PROXY ? { name: nameOf(env, 'NO_PROXY'), value: picked.NO_PROXY } : undefined;
  const port = url.port || (url.protocol === 'http:' ? '80' : '443');
  const excludedBy = proxy && noProxy ? matchNoProxy(noProxy.value, url.hostname.replace(/^\[|\]$/g, ''), port) : undefined;
  let unusable: string | undefined;
  let target: URL | undefined;
  if (proxyValue) {
    try {
      target = new URL(proxyValue);
    } catch {
      target = undefined;
    }
    if (!target || !/^https?:$/.test(target.protocol) || !/^https?:\/\//.test(proxyValue)) {
      unusable = 'not an http:// or https:// URL, so Node does not use it';
      target = undefined;
    }
  }
  const inForce = target !== undefined && excludedBy === undefined;
  return {
    proxy,
    noProxy,
    excludedBy,
    unusable,
    inForce,
    hostname: target?.hostname.replace(/^\[|\]$/g, ''),
    port: target ? Number(target.port || (target.protocol === 'https:' ? 443 : 80)) : undefined,
  };
}

/** The name limits.ts read: the upper-case variable when set, else the lower-case one. */
function nameOf(env: Env, upper: string): string {
  return env[upper] ? upper : upper.toLowerCase();
}

/** The NO_PROXY entry that exempts host:port under Node's rules, if any. */
export function matchNoProxy(list: string, hostname: string, port: string): string | undefined {
  const host = hostname.toLowerCase();
  for (const raw of list.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*' || entry === host || entry === `${host}:${port}`) return raw.trim();
    if (entry.startsWith('.') && host.endsWith(entry.slice(1))) return raw.trim();
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return raw.trim();
    if (entry.includes('-') && inRange(host, entry)) return raw.trim();
  }
  return undefined;
}

function inRange(host: string, entry: string): boolean {
  const [start, end] = entry.split('-').map((s) => s.trim());
  const h = ipv4ToNumber(host);
  const a = start === undefined ? undefined : ipv4ToNumber(start);
  const b = end === undefined ? undefined : ipv4ToNumber(end);
  return h !== undefined && a !== undefined && b !== undefined && h >= a && h <= b;
}
