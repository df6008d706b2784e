// The network primitives `stsx endpoint --check` needs, each bounded by a timeout and returning
// data rather than printing: name lookup, TCP connect, TLS handshake (verified against Node's CA
// store, which includes NODE_EXTRA_CA_CERTS), and one unsigned HTTP POST. The step logic in
// check-steps.ts receives them as arguments, so tests can drive it without a network.
import { cancellableLookup, resolveHost } from '../sts/dns-lookup.ts';
import http, { request as httpRequest } from 'node:http';
import https, { request as httpsRequest } from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';

export interface LookupAddress {
  address: string;
  family: number;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** As the certificate says, e.g. `Jan  1 00:00:00 2027 GMT`. */
  validTo: string;
  altNames: string;
}

export interface TlsAnswer {
  /** The chain and the host name verified. */
  authorized: boolean;
  /** OpenSSL's or Node's code when not authorized, e.g. SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID. */
  authorizationError: string | undefined;
  protocol: string | undefined;
  certificate: CertificateSummary | undefined;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  requestId: string | undefined;
  body: string;
}

export interface TlsTarget {
  /** Where to connect: the endpoint's address, or the proxy's when `tunnel` is set. */
  address: string;
  port: number;
  /** The endpoint's host name, for SNI and the certificate check (undefined for an IP address). */
  servername: string | undefined;
  timeoutMs: number;
  /** Reach the endpoint through an HTTP CONNECT tunnel, as Node's agents do with a proxy. */
  tunnel?: { proxyUrl: string; target: string } | undefined;
}

export interface Probes {
  lookup(host: string, timeoutMs: number): Promise<LookupAddress[]>;
  connect(address: string, port: number, timeoutMs: number): Promise<void>;
  tlsConnect(target: TlsTarget): Promise<TlsAnswer>;
  /** One POST as stsx's client sends it: through the proxy when `proxyEnv` says so. */
  httpPost(url: string, body: string, timeoutMs: number, proxyEnv: Record<string, string> | undefined): Promise<HttpAnswer>;
  /** Milliseconds from a monotonic clock. */
  now(): number;
}

/** An Error with a Node-style `code`, so the steps can tell failures apart. */
function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(codedError('ETIMEDOUT', `${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const nodeProbes: Probes = {
  // Abandonable (sts/dns-lookup.ts): a silent nameserver must not keep the process alive after the report.
  lookup: (host, timeoutMs) => withTimeout(resolveHost(host, 0, timeoutMs), timeoutMs, `looking up ${host}`),

  connect: (address, port, timeoutMs) =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(codedError('ETIMEDOUT', `connecting to ${address}:${port} timed out after ${timeoutMs} ms`));
      });
      socket.once('error', reject);
    }),

  tlsConnect: (target) => {
    const sockets: net.Socket[] = [];
    const work = (async () => {
      const tunnel = target.tunnel ? await openTunnel(target, sockets) : undefined;
      return handshake(target, tunnel, sockets);
    })();
    return withTimeout(work, target.timeoutMs, `TLS handshake${target.tunnel ? ' through the proxy' : ''}`).finally(() => {
      for (const socket of sockets) socket.destroy();
    });
  },

  httpPost: (url, body, timeoutMs, proxyEnv) =>
    new Promise((resolve, reject) => {
      const plain = url.startsWith('http:');
      const send = plain ? httpRequest : httpsRequest;
      // The same agent options sts/client.ts gives the SDK, so the proxy decision is Node's.
      const agent = proxyEnv ? (plain ? new http.Agent({ proxyEnv }) : new https.Agent({ proxyEnv })) : false;
      const req = send(url, {
        method: 'POST',
        agent,
        lookup: cancellableLookup(timeoutMs),
        timeout: timeoutMs,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': Buffer.byteLength(body) },
      });
      req.once('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 64 * 1024) text += chunk;
        });
        res.once('end', () => {
          const requestId = res.headers['x-amzn-requestid'];
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', requestId: typeof requestId === 'string' ? requestId : undefined, body: text });
        });
        res.once('error', reject);
      });
      req.once('timeout', () => req.destroy(codedError('ETIMEDOUT', `no answer from ${url} within ${timeoutMs} ms`)));
      req.once('error', reject);
      req.end(body);
    }),

  now: () => performance.now(),
};

/** HTTP CONNECT through the proxy at target.address:port; resolves with the open tunnel. */
function openTunnel(target: TlsTarget, sockets: net.Socket[]): Promise<net.Socket> {
  const { proxyUrl, target: hostPort } = target.tunnel ?? { proxyUrl: '', target: '' };
  const proxy = new URL(proxyUrl);
  const proxyName = proxy.hostname.replace(/^\[|\]$/g, '');
  const secure = proxy.protocol === 'https:';
  const socket = secure
    ? tls.connect({ host: target.address, port: target.port, ...(net.isIP(proxyName) ? {} : { servername: proxyName }) })
    : net.connect({ host: target.address, port: target.port });
  sockets.push(socket);
  const auth = proxy.username || proxy.password
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
    : '';
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(head)?.[1] ?? 0);
      if (status === 200) resolve(socket);
      else reject(codedError(`PROXY_${status || 'BAD_ANSWER'}`, `the proxy answered CONNECT ${hostPort} with ${head.slice(0, head.indexOf('\r\n'))}`));
    };
    socket.on('data', onData);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${hostPort} HTTP/1.1\r\nHost: ${hostPort}\r\n${auth}\r\n`);
    });
    socket.once('error', reject);
    socket.once('end', () => reject(codedError('ECONNRESET', 'the proxy closed the connection')));
  });
}

function handshake(target: TlsTarget, tunnel: net.Socket | undefined, sockets: net.Socket[]): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    // rejectUnauthorized: false so a failed verification still shows who presented what;
    // `authorized` and `authorizationError` carry the verdict (chain and host name).
    const where = tunnel ? { socket: tunnel } : { host: target.address, port: target.port };
    const socket = tls.connect({ ...where, ...(target.servername ? { servername: target.servername } : {}), rejectUnauthorized: false });
    // The TLS socket now owns the tunnel: destroying both would close one handle twice.
    if (tunnel) sockets.splice(sockets.indexOf(tunnel), 1);
    sockets.push(socket);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const error = socket.authorizationError as (Error & { code?: string }) | string | null | undefined;
      resolve({
        authorized: socket.authorized,
        authorizationError: error ? String(typeof error === 'string' ? error : (error.code ?? error.message)) : undefined,
        protocol: socket.getProtocol() ?? undefined,
        certificate: cert && Object.keys(cert).length > 0 ? summarise(cert) : undefined,
      });
    });
    socket.once('error', reject);
  });
}

function summarise(cert: tls.PeerCertificate): CertificateSummary {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validTo: cert.valid_to,
    altNames: cert.subjectaltname ?? '',
  };
}

function distinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  const parts: string[] = [];
  for (const key of ['CN', 'O', 'OU', 'C'] as const) {
    const value = name[key];
    if (value) parts.push(`${key}=${Array.isArray(value) ? value.join('+') : value}`);
  }
  return parts.join(', ');
}
