// Runs a command in a fresh network and mount namespace (root only): loopback up, extra loopback
// addresses, and bind-mounted /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf, so only the
// names a test chooses resolve, every other lookup goes to 127.0.0.1:53 where nothing listens,
// and nothing can leave loopback. Also the driver that runs inside: an STS server with TLS on
// port 443 and a list of stsx invocations, reported as one JSON line (`runStsScenario`).
import { execFileSync } from 'node:child_process';
import { spawnCollect } from './spawn-collect.ts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStsx, type RunResult } from './run-cli.ts';
import { startStsServer, type StsRole } from './sts-server.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

export interface NetnsOptions {
  /** The namespace's /etc/hosts besides localhost: only these names resolve. */
  hosts: { address: string; names: string[] }[];
  /** More addresses on the namespace's loopback, e.g. 10.0.0.5 (a "VPC endpoint"). */
  loopbackAddresses?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The namespace's resolv.conf options line (default "timeout:1 attempts:1"); glibc's own default is timeout:5 attempts:2. */
  resolverOptions?: string;
}

function findBinary(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...SYSTEM_PATH.split(':')]) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** Why namespaces cannot be used here (for t.skip), or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root for unshare';
  for (const tool of ['unshare', 'ip', 'mount']) if (!findBinary(tool)) return `needs ${tool} (util-linux / iproute2)`;
  try {
    execFileSync(findBinary('unshare') ?? 'unshare', ['--net', '--mount', '--', 'true'], { stdio: 'pipe' });
  } catch (error) {
    return `unshare --net --mount is not permitted here: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  return undefined;
}

/** Writes the namespace's hosts, resolv.conf and nsswitch.conf and returns the setup script. */
function setupScript(options: NetnsOptions): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-netns-'));
  const lines = ['127.0.0.1 localhost', '::1 localhost'];
  for (const { address, names } of options.hosts) {
    if (!isIP(address) || names.some((n) => !/^[A-Za-z0-9.-]+$/.test(n))) throw new Error(`bad hosts entry ${address} ${names.join(' ')}`);
    lines.push(`${address} ${names.join(' ')}`);
  }
  writeFileSync(path.join(dir, 'hosts'), `${lines.join('\n')}\n`);
  // Nothing listens on 127.0.0.1:53 inside, so a name not in hosts fails at once, offline.
  const resolverOptions = options.resolverOptions ?? 'timeout:1 attempts:1';
  if (!/^[a-z0-9: -]+$/.test(resolverOptions)) throw new Error(`bad resolver options ${resolverOptions}`);
  writeFileSync(path.join(dir, 'resolv.conf'), `nameserver 127.0.0.1\noptions ${resolverOptions}\n`);
  // hosts: files dns only, so no NSS module (systemd-resolved, mdns) asks anything outside.
  const nsswitch = existsSync('/etc/nsswitch.conf') ? readFileSync('/etc/nsswitch.conf', 'utf8') : '';
  writeFileSync(path.join(dir, 'nsswitch.conf'), `${nsswitch.split('\n').filter((l) => !/^\s*hosts\s*:/.test(l)).join('\n')}\nhosts: files dns\n`);
  const run = (cmd: string): string => `PATH=${SYSTEM_PATH} ${cmd}`;
  const script = ['set -e', run('ip link set lo up')];
  for (const address of options.loopbackAddresses ?? []) {
    if (!isIP(address)) throw new Error(`bad loopback address ${address}`);
    script.push(run(`ip addr add ${address}/${isIP(address) === 6 ? 128 : 32} dev lo`));
  }
  for (const file of ['hosts', 'resolv.conf', 'nsswitch.conf']) {
    // -e follows a symlink; a missing resolv.conf already means "nameserver 127.0.0.1".
    script.push(`if [ -e /etc/${file} ]; then ${run(`mount --bind '${path.join(dir, file)}' /etc/${file}`)}; fi`);
  }
  script.push('exec "$@"');
  return script.join('\n');
}

/** Runs argv inside a fresh network + mount namespace and collects its output. */
export function runInNetns(argv: string[], options: NetnsOptions): Promise<RunResult> {
  const unshare = findBinary('unshare') ?? 'unshare';
  const script = setupScript(options);
  return spawnCollect(unshare, ['--net', '--mount', '--', 'sh', '-c', script, 'netns', ...argv], {
    // STSX_TEST_BINARY carries `npm run test:binary` into the namespace's driver (run-cli.ts).
    env: options.env ?? { PATH: process.env.PATH ?? SYSTEM_PATH, ...(process.env.STSX_TEST_BINARY ? { STSX_TEST_BINARY: process.env.STSX_TEST_BINARY } : {}) },
    timeoutMs: options.timeoutMs ?? 60000,
    what: 'namespace run',
  });
}

// ---- An STS server and stsx runs inside one namespace -------------------------------------

export interface ScenarioRun {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Add the seeded user's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
  withUserKeys?: boolean;
}

export interface StsScenario {
  /** The signing region the server accepts. */
  region: string;
  /** Listen address inside the namespace; 0.0.0.0 answers on every loopback address. */
  listen?: string;
  port?: number;
  serverCert: { certFile: string; keyFile: string };
  /** Given to every stsx run as NODE_EXTRA_CA_CERTS. */
  caFile: string;
  user: { userName: string; account?: string };
  roles?: StsRole[];
  /**
   * A corporate-style CONNECT proxy on 127.0.0.1:port that "resolves" every name itself and
   * tunnels it to the STS server; with `credentials` ("user:password") it answers 407 without them.
   */
  proxy?: { port: number; credentials?: string };
  runs: ScenarioRun[];
}

export interface ScenarioRequest {
  action: string;
  status: number;
  host: string | undefined;
  signingRegion: string | undefined;
  errorCode: string | undefined;
}

export interface ScenarioResult {
  user: { arn: string; accessKeyId: string };
  runs: Record<string, RunResult>;
  requests: ScenarioRequest[];
  /** CONNECT targets the proxy was asked for, in order. */
  proxyConnects: string[];
}

/** Runs the scenario inside a namespace set up by `netns`; throws with the driver's stderr if it breaks. */
export async function runStsScenario(scenario: StsScenario, netns: NetnsOptions): Promise<ScenarioResult> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'stsx-scenario-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  const result = await runInNetns([process.execPath, THIS_FILE, '--scenario', file], netns);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !last.startsWith('{')) {
    throw new Error(`namespace driver failed (exit ${String(result.code)})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return JSON.parse(last) as ScenarioResult;
}

async function driveScenario(file: string): Promise<void> {
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as StsScenario;
  const server = await startStsServer({
    region: scenario.region,
    host: scenario.listen ?? '0.0.0.0',
    port: scenario.port ?? 443,
    tls: { key: readFileSync(scenario.serverCert.keyFile), cert: readFileSync(scenario.serverCert.certFile) },
  });
  const proxyConnects: string[] = [];
  const proxy = scenario.proxy ? await startProxy(scenario.proxy, server.port, proxyConnects) : undefined;
  try {
    const user = server.addUser({ userName: scenario.user.userName, ...(scenario.user.account ? { account: scenario.user.account } : {}) });
    for (const role of scenario.roles ?? []) server.addRole(role);
    const runs: Record<string, RunResult> = {};
    for (const run of scenario.runs) {
      const keys = run.withUserKeys ? { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey } : {};
      runs[run.name] = await runStsx(run.args, { env: { ...run.env, ...keys, NODE_EXTRA_CA_CERTS: scenario.caFile }, timeoutMs: 30000 });
    }
    const requests: ScenarioRequest[] = server.requests.map((r) => ({
      action: r.action, status: r.status, host: r.headers.host, signingRegion: r.signingRegion, errorCode: r.errorCode,
    }));
    process.stdout.write(`${JSON.stringify({ user: { arn: user.arn, accessKeyId: user.accessKeyId }, runs, requests, proxyConnects })}\n`);
  } finally {
    proxy?.close();
    proxy?.closeAllConnections();
    await server.close();
  }
}

function startProxy(options: { port: number; credentials?: string }, stsPort: number, connects: string[]): Promise<Server> {
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: IncomingMessage, client: Socket) => {
    connects.push(req.url ?? '');
    const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
    if (expected !== undefined && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      return;
    }
    const upstream = connect(stsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(options.port, '127.0.0.1', () => resolve(proxy));
  });
}

// ---- A nameserver that never answers ------------------------------------------------------

export interface SilentDnsRun {
  args: string[];
  env: Record<string, string>;
}

export interface TimedRun extends RunResult {
  /** Milliseconds from spawn to exit, measured inside the namespace. */
  ms: number;
  /** DNS queries the silent nameserver swallowed. */
  queries: number;
}

/**
 * Runs one stsx inside a namespace whose only nameserver (127.0.0.1:53, UDP and TCP) receives
 * every query and never answers, as a broken or firewalled resolver does. Reports the exit time.
 */
export async function runWithSilentDns(run: SilentDnsRun, netns: Omit<NetnsOptions, 'hosts'> & { hosts?: NetnsOptions['hosts'] }): Promise<TimedRun> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'stsx-silent-dns-')), 'run.json');
  writeFileSync(file, JSON.stringify(run));
  const result = await runInNetns([process.execPath, THIS_FILE, '--silent-dns', file], { hosts: [], ...netns });
  const last = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !last.startsWith('{')) {
    throw new Error(`silent-dns driver failed (exit ${String(result.code)})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return JSON.parse(last) as TimedRun;
}

async function driveSilentDns(file: string): Promise<void> {
  const run = JSON.parse(readFileSync(file, 'utf8')) as SilentDnsRun;
  const { createSocket } = await import('node:dgram');
  let queries = 0;
  const udp = createSocket('udp4');
  udp.on('message', () => (queries += 1));
  await new Promise<void>((resolve) => udp.bind(53, '127.0.0.1', resolve));
  const held = new Set<Socket>();
  const { createServer: createTcpServer } = await import('node:net');
  const tcp = createTcpServer((s) => {
    queries += 1;
    held.add(s);
  });
  await new Promise<void>((resolve) => tcp.listen(53, '127.0.0.1', resolve));
  const started = Date.now();
  const result = await runStsx(run.args, { env: run.env, timeoutMs: 120000 });
  const ms = Date.now() - started;
  for (const s of held) s.destroy();
  udp.close();
  tcp.close();
  process.stdout.write(`${JSON.stringify({ ...result, ms, queries })}\n`);
}

if (import.meta.main && process.argv[2] === '--scenario' && process.argv[3]) {
  await driveScenario(process.argv[3]);
}
if (import.meta.main && process.argv[2] === '--silent-dns' && process.argv[3]) {
  await driveSilentDns(process.argv[3]);
}
