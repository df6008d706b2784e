// Name resolution that can be abandoned. Node's default lookup is getaddrinfo() on libuv's thread
// pool: it cannot be cancelled, and libuv joins its threads when the process exits, so with
// nameservers that never answer even process.exit() waits out the resolver's own timeouts (5 s x
// 2 tries x A and AAAA, and more per search domain). Here:
//   1. /etc/hosts first (as nsswitch's usual "hosts: files dns"), read synchronously;
//   2. then the nameservers of /etc/resolv.conf through c-ares (node:dns Resolver), with a timer
//      that cancels the queries: a silent nameserver is an ETIMEOUT after timeoutMs, and nothing
//      is left running;
//   3. only when the nameservers answered "no such name", getaddrinfo() as the system would, for
//      what only NSS knows (search domains, mDNS, LDAP...); other failures are EAI_AGAIN.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createRequire } from 'node:module';
import type * as Fs from 'node:fs';
import { nodeDns } from '../node-builtin.ts';

const requireBuiltin = createRequire(import.meta.url);
const HOSTS_FILE = '/etc/hosts';

/** Addresses of `host` from a hosts file's text (null-prototype map: names are file content). */
export function hostsEntries(text: string, host: string): LookupAddress[] {
  const wanted = host.toLowerCase().replace(/\.$/, '');
  const found: LookupAddress[] = [];
  for (const raw of text.split('\n')) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !names.some((n) => n.toLowerCase() === wanted)) continue;
    const family = nodeNetIsIp(address);
    if (family) found.push({ address, family });
  }
  return found;
}

function nodeNetIsIp(address: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return 4;
  if (address.includes(':') && /^[0-9a-fA-F:.%a-zA-Z]+$/.test(address)) return 6;
  return 0;
}

let hostsText: string | undefined;
function readHosts(): string {
  if (hostsText === undefined) {
    try {
      hostsText = (requireBuiltin('node:fs') as typeof Fs).readFileSync(HOSTS_FILE, 'utf8').slice(0, 1024 * 1024);
    } catch {
      hostsText = '';
    }
  }
  return hostsText;
}

/** Answers from a nameserver that work out the same through getaddrinfo, quickly. */
const DEFINITE = new Set(['ENOTFOUND', 'ENODATA', 'NOTFOUND', 'NODATA']);

function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** All addresses of `host` for `family` (0: both), within timeoutMs or an ETIMEOUT error. */
export async function resolveHost(host: string, family: number, timeoutMs: number, test?: { hostsText?: string; servers?: string[] }): Promise<LookupAddress[]> {
  const dns = nodeDns();
  const fromHosts = hostsEntries(test?.hostsText ?? readHosts(), host).filter((a) => family === 0 || a.family === family);
  if (fromHosts.length > 0) return fromHosts;
  if (host.toLowerCase() === 'localhost') return [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }].filter((a) => family === 0 || a.family === family);

  const resolver = new dns.promises.Resolver({ timeout: Math.max(250, Math.floor(timeoutMs / 2)), tries: 2 });
  if (test?.servers) resolver.setServers(test.servers);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolver.cancel();
      reject(coded('ETIMEOUT', `no answer from the nameservers for ${host} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const ask = async (kind: 4 | 6): Promise<LookupAddress[] | Error> => {
    try {
      const addresses = kind === 4 ? await resolver.resolve4(host) : await resolver.resolve6(host);
      return addresses.map((address) => ({ address, family: kind }));
    } catch (error) {
      return error as Error;
    }
  };
  let answers: (LookupAddress[] | Error)[];
  try {
    answers = await Promise.race([Promise.all(family === 0 ? [ask(4), ask(6)] : [ask(family === 6 ? 6 : 4)]), timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw coded('ETIMEOUT', `no answer from the nameservers for ${host} within ${timeoutMs} ms`);
  const addresses = answers.filter((a): a is LookupAddress[] => Array.isArray(a)).flat();
  if (addresses.length > 0) return addresses;
  const codes = answers.filter((a): a is Error => a instanceof Error).map((e) => (e as { code?: string }).code ?? 'error');
  if (codes.includes('ETIMEOUT')) throw coded('ETIMEOUT', `no answer from the nameservers for ${host}`);
  // Only a definite "no such name / no such record" from the nameservers goes on to the system's
  // getaddrinfo (search domains, mDNS, LDAP...): it answers at once then. Anything else (refused,
  // server failure, unreachable) would leave getaddrinfo waiting out its own timeouts, uncancellable.
  if (!codes.every((c) => DEFINITE.has(c))) throw coded('EAI_AGAIN', `the nameservers could not resolve ${host} (${[...new Set(codes)].join(', ')})`);
  const all = await dns.promises.lookup(host, { all: true, family });
  if (all.length === 0) throw coded('ENOTFOUND', `cannot resolve ${host}`);
  return all;
}

/** A `lookup` for net/tls/http agents backed by resolveHost. */
export function cancellableLookup(timeoutMs: number, onStart?: (host: string) => void, onDone?: () => void): LookupFunction {
  return (hostname, options, callback) => {
    onStart?.(hostname);
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { family?: number | string; all?: boolean };
    const family = opts.family === 'IPv6' || opts.family === 6 ? 6 : opts.family === 'IPv4' || opts.family === 4 ? 4 : 0;
    const done = callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    resolveHost(hostname, family, timeoutMs).then(
      (addresses) => {
        onDone?.();
        if (opts.all) done(null, addresses);
        else done(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      },
      (error: NodeJS.ErrnoException) => done(error, opts.all ? [] : ''),
    );
  };
}
