// The steps of `stsx endpoint --check`, in the order a support engineer takes them (nslookup,
// Test-NetConnection, a TLS handshake, "does STS answer?"). Each is a function of the endpoint
// description and injected probes, and returns data: status, the figure, and a fix on failure.
import { isIP } from 'node:net';
import { AuthError, AwsRequestError, NetworkError, StsxError } from '../errors.ts';
import { addressKind } from './address-kind.ts';
import { dnsFix, globalNote, notStsFix, proxyFix, tcpFix, tlsFix } from './check-advice.ts';
import type { EndpointDescription } from './describe-endpoint.ts';
import type { Probes } from './probes.ts';

export type StepId = 'dns' | 'tcp' | 'tls' | 'sts' | 'signed' | 'global';
type StepStatus = 'ok' | 'failed' | 'skipped';

export interface StepResult {
  id: StepId;
  title: string;
  status: StepStatus;
  /** One line: the figure (addresses, ms, certificate, STS code, ARN) or what went wrong. */
  detail: string;
  /** What to do about it; set on failure. */
  fix?: string | undefined;
  ms?: number | undefined;
  /** A Node/OpenSSL/STS code for the failure or answer, e.g. ENOTFOUND, MissingAuthenticationToken. */
  code?: string | undefined;
  /** False for steps that never make the endpoint fail (the contrast, refused credentials). */
  decisive: boolean;
  /** dns/global: what the name resolved to; tcp: the address that answered. */
  addresses?: string[] | undefined;
}

export interface CheckIo {
  probes: Probes;
  /** Per step. */
  timeoutMs: number;
  /** The proxy variables stsx's client uses (sts/limits.ts proxyEnv), raw: never printed. */
  proxyEnv: Record<string, string> | undefined;
}

/** Where the first hop goes: the endpoint itself, or the proxy when one is in force. */
interface Hop {
  hostname: string;
  port: number;
  viaProxy: boolean;
  label: string;
}

function firstHop(d: EndpointDescription): Hop {
  const { proxy } = d;
  if (proxy.inForce && proxy.hostname !== undefined && proxy.port !== undefined) {
    return { hostname: proxy.hostname, port: proxy.port, viaProxy: true, label: 'proxy ' };
  }
  return { hostname: d.hostname, port: d.port, viaProxy: false, label: '' };
}

/** Signed GetCallerIdentity through stsx's own session, so the test matches what commands do. */
export interface SignedCall {
  /** Loads the source credentials; throws when there are none. */
  credentials(): Promise<void>;
  getCallerIdentity(): Promise<{ arn: string }>;
}

const UNSIGNED_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const GLOBAL_HOST = 'sts.amazonaws.com';

const TITLES: Record<StepId, string> = {
  dns: 'DNS',
  tcp: 'TCP connect',
  tls: 'TLS',
  sts: 'STS answers',
  signed: 'signed call',
  global: 'global endpoint',
};

export function skipped(id: StepId, detail: string, decisive = true): StepResult {
  return { id, title: TITLES[id], status: 'skipped', detail, decisive };
}

export async function dnsStep(d: EndpointDescription, io: CheckIo): Promise<StepResult> {
  const base = { id: 'dns', title: TITLES.dns, decisive: true } as const;
  const hop = firstHop(d);
  const proxyNote = hop.viaProxy ? `; the proxy resolves ${d.hostname} itself` : '';
  if (isIP(hop.hostname)) return { ...base, status: 'ok', detail: `${hop.label}${hop.hostname} is an IP address: nothing to look up${proxyNote}`, addresses: [hop.hostname] };
  const start = io.probes.now();
  try {
    const found = await io.probes.lookup(hop.hostname, io.timeoutMs);
    const ms = elapsed(io, start);
    const addresses = [...new Set(found.map((a) => a.address))];
    if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    const kinds = hop.viaProxy ? proxyNote : kindNote(addresses);
    return { ...base, status: 'ok', ms, addresses, detail: `${hop.label}${hop.hostname} -> ${listAddresses(addresses)} in ${ms} ms${kinds}` };
  } catch (error) {
    const ms = elapsed(io, start);
    const code = errorCode(error);
    return { ...base, status: 'failed', ms, code, detail: `${hop.label}${hop.hostname} does not resolve (${code}) after ${ms} ms`, fix: hop.viaProxy ? proxyFix(d, 'dns', code) : dnsFix(d) };
  }
}

export async function tcpStep(d: EndpointDescription, addresses: string[], io: CheckIo): Promise<StepResult> {
  const base = { id: 'tcp', title: TITLES.tcp, decisive: true } as const;
  const hop = firstHop(d);
  const failures: string[] = [];
  let code = '';
  let ms = 0;
  for (const address of addresses.slice(0, 3)) {
    const start = io.probes.now();
    try {
      await io.probes.connect(address, hop.port, io.timeoutMs);
      ms = elapsed(io, start);
      return { ...base, status: 'ok', ms, addresses: [address], detail: `${hop.label}${hostPort(address, hop.port)} connected in ${ms} ms` };
    } catch (error) {
      ms = elapsed(io, start);
      code = errorCode(error);
      failures.push(`${hop.label}${hostPort(address, hop.port)} ${code} after ${ms} ms`);
    }
  }
  const first = addresses[0] ?? hop.hostname;
  return { ...base, status: 'failed', ms, code, detail: failures.join('; '), fix: hop.viaProxy ? proxyFix(d, 'tcp', code) : tcpFix(d, first, code) };
}

export async function tlsStep(d: EndpointDescription, address: string, io: CheckIo): Promise<StepResult> {
  const base = { id: 'tls', title: TITLES.tls, decisive: true } as const;
  const hop = firstHop(d);
  const proxyUrl = hop.viaProxy ? io.proxyEnv?.[d.tls ? 'HTTPS_PROXY' : 'HTTP_PROXY'] : undefined;
  const tunnel = proxyUrl ? { proxyUrl, target: hostPort(d.hostname, d.port) } : undefined;
  const start = io.probes.now();
  try {
    const answer = await io.probes.tlsConnect({ address, port: hop.port, servername: isIP(d.hostname) ? undefined : d.hostname, timeoutMs: io.timeoutMs, tunnel });
    const ms = elapsed(io, start);
    const through = tunnel ? ' through the proxy' : '';
    const cert = answer.certificate;
    const who = cert ? `certificate ${cert.subject || '(no subject)'}, issued by ${cert.issuer || '(no issuer)'}, expires ${cert.validTo}` : 'no certificate';
    if (answer.authorized) return { ...base, status: 'ok', ms, detail: `${answer.protocol ?? 'TLS'} handshake${through} in ${ms} ms; ${who}` };
    const code = answer.authorizationError ?? 'UNVERIFIED';
    return { ...base, status: 'failed', ms, code, detail: `certificate not accepted for ${d.hostname} (${code}); ${who}`, fix: tlsFix(d, code, cert) };
  } catch (error) {
    const ms = elapsed(io, start);
    const code = errorCode(error);
    const through = tunnel ? ` through the proxy (CONNECT ${tunnel.target})` : '';
    const fix = code.startsWith('PROXY_') ? proxyFix(d, 'connect', code) : tlsFix(d, code, undefined);
    return { ...base, status: 'failed', ms, code, detail: `handshake${through} failed (${code}) after ${ms} ms`, fix };
  }
}

export async function stsStep(d: EndpointDescription, io: CheckIo): Promise<StepResult> {
  const base = { id: 'sts', title: TITLES.sts, decisive: true } as const;
  const start = io.probes.now();
  try {
    const answer = await io.probes.httpPost(d.url, UNSIGNED_BODY, io.timeoutMs, io.proxyEnv);
    const ms = elapsed(io, start);
    const stsCode = /<ErrorResponse[\s>][\s\S]*<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1];
    if (stsCode !== undefined) {
      const expected = stsCode === 'MissingAuthenticationToken' ? '' : ' (not the usual MissingAuthenticationToken, but an STS error all the same)';
      return { ...base, status: 'ok', ms, code: stsCode, detail: `unsigned GetCallerIdentity drew ${stsCode} (HTTP ${answer.status}) in ${ms} ms${expected}: STS answers` };
    }
    if (/<GetCallerIdentityResponse[\s>]/.test(answer.body)) {
      return { ...base, status: 'ok', ms, detail: `unsigned GetCallerIdentity was answered (HTTP ${answer.status}) in ${ms} ms: an STS emulator that does not check signatures answers` };
    }
    const type = answer.contentType.split(';')[0] || 'no content type';
    return { ...base, status: 'failed', ms, code: `HTTP ${answer.status}`, detail: `HTTP ${answer.status} (${type}) in ${ms} ms is not an STS answer: ${preview(answer.body)}`, fix: notStsFix(d) };
  } catch (error) {
    const ms = elapsed(io, start);
    const code = errorCode(error);
    return { ...base, status: 'failed', ms, code, detail: `unsigned POST failed (${code}) after ${ms} ms`, fix: notStsFix(d) };
  }
}

export async function signedStep(call: SignedCall | undefined, io: CheckIo): Promise<StepResult> {
  const base = { id: 'signed', title: TITLES.signed } as const;
  if (!call) return skipped('signed', 'not requested', false);
  try {
    await call.credentials();
  } catch (error) {
    // Credentials that need the endpoint (a role hop) and could not reach it are an endpoint fault.
    if (error instanceof NetworkError) return { ...base, decisive: true, status: 'failed', code: error.kind, detail: error.message, fix: error.hint };
    return { ...base, decisive: false, status: 'skipped', detail: `no credentials: ${error instanceof Error ? error.message : String(error)}` };
  }
  const start = io.probes.now();
  try {
    const { arn } = await call.getCallerIdentity();
    const ms = elapsed(io, start);
    return { ...base, decisive: false, status: 'ok', ms, detail: `GetCallerIdentity as ${arn} in ${ms} ms` };
  } catch (error) {
    const ms = elapsed(io, start);
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof StsxError ? error.hint : undefined;
    if (error instanceof AuthError || error instanceof AwsRequestError) {
      return { ...base, decisive: false, status: 'failed', ms, code: error.code, detail: `the endpoint works, but ${message}`, fix: hint };
    }
    return { ...base, decisive: true, status: 'failed', ms, code: error instanceof StsxError ? error.kind : undefined, detail: message, fix: hint };
  }
}

export async function globalStep(d: EndpointDescription, io: CheckIo): Promise<StepResult> {
  const base = { id: 'global', title: TITLES.global, decisive: false } as const;
  if (d.hostname === GLOBAL_HOST) return skipped('global', `${GLOBAL_HOST} is the endpoint in use (see step 1)`, false);
  if (d.partition !== 'aws') return skipped('global', `partition ${d.partition} has no global endpoint`, false);
  if (d.proxy.inForce) return skipped('global', 'a proxy is in force: it, not this host, resolves names for tools that use it', false);
  const start = io.probes.now();
  try {
    const addresses = [...new Set((await io.probes.lookup(GLOBAL_HOST, io.timeoutMs)).map((a) => a.address))];
    const ms = elapsed(io, start);
    return { ...base, status: 'ok', ms, addresses, detail: `${GLOBAL_HOST} -> ${listAddresses(addresses)} in ${ms} ms (for contrast only: stsx does not use it)` };
  } catch (error) {
    const ms = elapsed(io, start);
    const code = errorCode(error);
    const detail = `${GLOBAL_HOST} does not resolve here (${code}) after ${ms} ms: tools that default to the legacy global endpoint fail here; stsx does not use it`;
    return { ...base, status: 'failed', ms, code, detail, fix: globalNote(d) };
  }
}

function elapsed(io: CheckIo, start: number): number {
  return Math.max(0, Math.round(io.probes.now() - start));
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code !== '') return e.code;
  if (typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  return typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
}

function listAddresses(addresses: string[]): string {
  return addresses.length > 4 ? `${addresses.slice(0, 4).join(', ')} and ${addresses.length - 4} more` : addresses.join(', ');
}

function kindNote(addresses: string[]): string {
  const kinds = new Set(addresses.map(addressKind));
  if (kinds.has('private')) return '; private address: an interface VPC endpoint with private DNS answers for this name';
  if (kinds.has('loopback')) return '; loopback address: a hosts-file entry or a local service answers for this name';
  return kinds.has('public') ? '; public address' : '';
}

function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function preview(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') return 'empty body';
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
