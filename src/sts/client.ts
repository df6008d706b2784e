// The only place an STS client is built: region and endpoint always explicit (never left to the
// SDK's own environment lookups, which ignore AWS_DEFAULT_REGION and AWS_STS_REGIONAL_ENDPOINTS
// and read endpoint overrides from AWS_PROFILE rather than the chosen profile), bounded timeouts,
// and the corporate proxy from HTTPS_PROXY / NO_PROXY.
import type http from 'node:http';
import type https from 'node:https';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { EndpointRules, ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import type { Socket } from 'node:net';
import { nodeHttp, nodeHttps } from '../node-builtin.ts';
import { cancellableLookup } from './dns-lookup.ts';
import type { Progress } from '../deadline.ts';
import { DEFAULT_LIMITS, SIZE_LIMITS, type NetworkLimits } from './limits.ts';
import { NetworkError } from '../errors.ts';

export { DEFAULT_LIMITS, type NetworkLimits } from './limits.ts';

/** What answered a request, as received: for telling an STS answer from something else. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface InnerClientConfig {
  region: string;
  endpoint: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; httpAgent: http.Agent; httpsAgent: https.Agent };
  defaultsMode: 'legacy';
  retryMode: 'standard';
  authSchemePreference: string[];
  sigv4aSigningRegionSet: () => Promise<undefined>;
  userAgentAppId: () => Promise<undefined>;
  disableClockSkewCorrection: false;
}

/**
 * Every setting the SDK's client would otherwise look up itself in the environment and in the
 * shared config files (of AWS_PROFILE or `default`, not the chosen profile): one such lookup makes
 * the SDK read and parse both files again with its own, slow parser (≈ 0.5 s on a 30,000-line
 * config). The values are what the SDK arrives at on its own when the files say nothing:
 * retries are stsx's decision (maxAttempts above), whatever mode the SDK's defaults would pick
 * (all of them retry in `standard` mode), STS signs with SigV4 only, and the signer corrects a
 * skewed clock.
 */
const SDK_SETTINGS = {
  defaultsMode: 'legacy',
  retryMode: 'standard',
  authSchemePreference: [] as string[],
  sigv4aSigningRegionSet: () => Promise.resolve(undefined),
  userAgentAppId: () => Promise.resolve(undefined),
  disableClockSkewCorrection: false,
} as const;

/** What every client gets, the credential providers' inner STS clients too, so every hop uses the same endpoint. */
export function innerClientConfig(endpoint: ResolvedEndpoint, limits: NetworkLimits): InnerClientConfig {
  const agents = networkAgents(limits);
  return {
    region: endpoint.signingRegion,
    endpoint: endpoint.url,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: limits.maxAttempts,
    requestHandler: { connectionTimeout: limits.connectTimeoutMs, requestTimeout: limits.requestTimeoutMs, ...agents },
    ...SDK_SETTINGS,
  };
}

/**
 * The agents every request of stsx uses (STS, and the console sign-in endpoint): the proxy from
 * HTTPS_PROXY / NO_PROXY, a DNS lookup that can be abandoned (sts/dns-lookup.ts), and each step
 * reported to limits.progress.
 */
export function networkAgents(limits: NetworkLimits): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const proxy = limits.proxyEnv ? { proxyEnv: limits.proxyEnv } : {};
  return {
    httpAgent: onFirstUse(() => reporting(new (nodeHttp().Agent)({ keepAlive: true, ...proxy }), limits, false)),
    httpsAgent: onFirstUse(() => reporting(new (nodeHttps().Agent)({ keepAlive: true, ...proxy }), limits, true)),
  };
}

/**
 * An agent made when a request first uses it. A call over http:// (a loopback endpoint, a VPC
 * endpoint behind a TLS-terminating proxy) then never loads node:https and node:tls, about a
 * tenth of whoami's start-up; the SDK's handler only checks that the agent it is given has a
 * `destroy` method, and destroying one never made does nothing.
 */
function onFirstUse<A extends http.Agent>(make: () => A): A {
  let agent: A | undefined;
  const real = (): A => (agent ??= make());
  return new Proxy({} as A, {
    get(_, key) {
      if (key === 'destroy' && agent === undefined) return () => undefined;
      const value: unknown = Reflect.get(real(), key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real()) : value;
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
  });
}

/**
 * Makes an agent's new connections report their steps (DNS lookup, TCP connect, TLS handshake,
 * reading the answer) to `progress`, so a timeout names the step that hung.
 */
function reporting<A extends http.Agent>(agent: A, limits: NetworkLimits, tls: boolean): A {
  const progress: Progress = limits.progress ?? { step: () => undefined, current: () => undefined, elapsedMs: () => 0 };
  const create = agent.createConnection.bind(agent) as (options: Record<string, unknown>, callback?: unknown) => Socket | undefined;
  const report = (socket: Socket | undefined, where: string): void => {
    if (!socket || typeof socket.once !== 'function') return;
    socket.once('connect', () => progress.step(tls ? 'tls' : 'request', tls ? `TLS handshake with ${where}` : `the request to ${where}`));
    if (tls) socket.once('secureConnect', () => progress.step('request', `the request to ${where}`));
    socket.once('data', () => progress.step('answer', `the answer from ${where}`));
  };
  (agent as unknown as { createConnection: unknown }).createConnection = (options: Record<string, unknown>, callback?: unknown): Socket | undefined => {
    const host = typeof options.host === 'string' ? options.host : typeof options.hostname === 'string' ? options.hostname : 'localhost';
    const where = `${host.includes(':') ? `[${host}]` : host}:${String(options.port ?? (tls ? 443 : 80))}`;
    progress.step('connect', `TCP connect to ${where}`);
    const lookup = cancellableLookup(
      limits.connectTimeoutMs,
      (hostname) => progress.step('dns', `DNS lookup of ${hostname}`),
      () => progress.step('connect', `TCP connect to ${where}`),
    );
    const socket = create({ ...options, lookup }, callback);
    report(socket, where);
    return socket;
  };
  return agent;
}

export async function createStsClient(
  endpoint: ResolvedEndpoint,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined,
  limits: NetworkLimits = DEFAULT_LIMITS,
  onAnswer?: (answer: RawAnswer) => void,
): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const client = new STSClient({ ...innerClientConfig(endpoint, limits), ...(credentials ? { credentials } : {}) });
  // Between the transport and the deserializer: read the body (at most SIZE_LIMITS.responseBytes)
  // and keep what answered, so session.ts can say what it was when it is not STS.
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { statusCode?: number; headers?: Record<string, string>; body?: unknown };
      const body = await readCapped(response.body, SIZE_LIMITS.responseBytes, endpoint.host);
      response.body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      onAnswer?.({ status: response.statusCode ?? 0, headers: response.headers ?? {}, body });
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'stsxRawAnswer' },
  );
  return client;
}

/** The whole body, or a NetworkError as soon as it grows beyond `max` bytes. */
async function readCapped(body: unknown, max: number, host: string): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (body instanceof Uint8Array) {
    if (body.byteLength > max) throw tooLarge(host, max);
    return Buffer.from(body);
  }
  if (typeof body === 'string') return readCapped(Buffer.from(body), max, host);
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = body as AsyncIterable<Buffer | string> & { destroy?: () => void };
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > max) {
      stream.destroy?.();
      throw tooLarge(host, max);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooLarge(host: string, max: number): NetworkError {
  return new NetworkError(`this is not an STS answer: ${host} sent more than ${max / 1024 / 1024} MiB`, {
    host,
    hint: 'check --endpoint-url / AWS_ENDPOINT_URL_STS and HTTPS_PROXY: something other than STS answered',
  });
}

/**
 * The SDK's own STS endpoint ruleset and partition table (the same code the STS client runs), so
 * hosts for every partition, FIPS and dual-stack come from AWS's rules, not a table of ours. The
 * client is built only to reach its endpoint provider, a pure function of its parameters.
 */
export async function loadEndpointRules(): Promise<EndpointRules> {
  const [{ STSClient }, { partition }] = await Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/core/client')]);
  // The provider is a pure function of its parameters; the client is built only to reach it and
  // never sends: a request handler of its own would ask for the defaults mode and make an HTTPS
  // agent (loading node:https and node:tls) for nothing.
  const requestHandler = { handle: () => Promise.reject(new Error('stsx: the endpoint rules client sends no requests')) };
  const provider = new STSClient({ region: 'us-east-1', ...SDK_SETTINGS, requestHandler }).config.endpointProvider;
  return {
    endpoint(params) {
      const result = provider({ ...params } as Parameters<typeof provider>[0]);
      const schemes = result.properties?.authSchemes as { signingRegion?: string }[] | undefined;
      return { url: result.url.href, signingRegion: schemes?.[0]?.signingRegion };
    },
    partition(region) {
      return partition(region).name;
    },
  };
}
