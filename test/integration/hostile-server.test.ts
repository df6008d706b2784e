// The standing hostile-input suite for what answers stsx over the network: a nameserver that
// never answers, a port that accepts and never speaks TLS, a body trickled a byte a second, answers
// that are not STS at all (captive portals, redirects, empty bodies), STS answers with fields
// missing or already expired, and server text carrying terminal escape sequences. Every case runs
// the built stsx as a child process against loopback servers and checks the exit code, the one
// error line, stdout staying empty, and (for the slow cases) the wall-clock time to exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, type RunResult } from '../support/run-cli.ts';
import { netnsUnavailable, runWithSilentDns } from '../support/netns.ts';

let sts: StsServer;
let silentTls: net.Server;
let silentTlsPort = 0;
const held = new Set<net.Socket>();
let keys: Record<string, string>;
const ROLE = 'arn:aws:iam::123456789012:role/hostile';

before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
  const user = sts.addUser({ userName: 'hostile' });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [user.arn] });
  keys = { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_REGION: 'eu-west-1' };
  // Accepts TCP and never says a word: TLS never completes.
  silentTls = net.createServer((s) => {
    held.add(s);
    s.on('close', () => held.delete(s));
  });
  await new Promise<void>((resolve) => silentTls.listen(0, '127.0.0.1', resolve));
  silentTlsPort = (silentTls.address() as net.AddressInfo).port;
});
after(async () => {
  for (const s of held) s.destroy();
  await Promise.all([sts?.close(), new Promise((r) => silentTls?.close(r))]);
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return sandbox({ ...keys, ...extra }).env;
}

async function timed(args: string[], environment: Record<string, string>): Promise<RunResult & { ms: number }> {
  const started = Date.now();
  const r = await runStsx(args, { env: environment, timeoutMs: 90000 });
  return { ...r, ms: Date.now() - started };
}

/** The seconds a timeout message claims, e.g. "within 4.1 s" -> 4100. */
function claimedMs(stderr: string): number {
  const m = /within (\d+(?:\.\d+)?) s/.exec(stderr);
  assert.ok(m, `no "within N s" in: ${stderr}`);
  return Number(m[1]) * 1000;
}

/** Exit code 5, one error line (plus hint), nothing on stdout, exit within the deadline + 1.5 s, and the real time in the message. */
function assertTimedOut(r: RunResult & { ms: number }, deadlineMs: number, step: RegExp): void {
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stdout, '');
  const lines = errorLines(r.stderr);
  assert.ok(lines.length >= 1 && lines.length <= 2, r.stderr);
  assert.match(lines[0] ?? '', step);
  assert.ok(r.ms <= deadlineMs + 1500, `exited after ${r.ms} ms; deadline ${deadlineMs} ms\n${r.stderr}`);
  const claimed = claimedMs(r.stderr);
  assert.ok(Math.abs(claimed - r.ms) <= 1500, `the message says ${claimed} ms, the process took ${r.ms} ms`);
  assert.doesNotMatch(r.stderr, /node-http-handler|\[WARN\]/, 'no SDK warning reaches the user');
}

// ---- Bounded time ----------------------------------------------------------------------------

const netns = netnsUnavailable();
if (netns && process.env.CI && process.getuid?.() === 0) throw new Error(`hostile DNS tests cannot run in CI: ${netns}`);

for (const [command, args] of [
  ['whoami', ['whoami']],
  ['assume', ['assume', '--role-arn', ROLE, '--format', 'json', '--no-cache']],
] as const) {
  test(`${command}: a nameserver that never answers -> exit within --timeout 4, naming the DNS lookup`, { skip: netns ?? false }, async () => {
    // glibc's own defaults (5 s per try, 2 tries, A and AAAA): getaddrinfo alone would take 20 s+.
    const r = await runWithSilentDns({ args: [...args, '--region', 'eu-west-1', '--timeout', '4'], env: env() }, { resolverOptions: 'timeout:5 attempts:2' });
    assert.ok(r.queries > 0, 'the nameserver was asked');
    assertTimedOut(r, 4000, /^stsx: DNS lookup of sts\.eu-west-1\.amazonaws\.com got no answer within \d/);
  });
}

test('a nameserver that never answers, default limits: the message gives the real elapsed time', { skip: netns ?? false }, async () => {
  const r = await runWithSilentDns({ args: ['whoami', '--region', 'eu-west-1'], env: env() }, { resolverOptions: 'timeout:5 attempts:2' });
  assertTimedOut(r, 15000, /^stsx: DNS lookup of sts\.eu-west-1\.amazonaws\.com got no answer within \d/);
});

test('a port that accepts and never speaks TLS -> exit within --timeout, naming the TLS handshake', async () => {
  const r = await timed(['whoami', '--endpoint-url', `https://127.0.0.1:${silentTlsPort}`, '--timeout', '3'], env());
  assertTimedOut(r, 3000, new RegExp(`^stsx: TLS handshake with 127\\.0\\.0\\.1:${silentTlsPort} got no answer within \\d`));
});

test('a body trickled one byte a second -> exit within --timeout, naming the answer', async () => {
  sts.clearFaults();
  const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/slow</Arn><UserId>AIDASLOW</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
  sts.fault({ status: 200, body, trickleMs: 1000, headers: { 'Content-Type': 'text/xml', 'Content-Length': String(body.length) } });
  const r = await timed(['whoami', '--endpoint-url', sts.url, '--timeout', '3'], env());
  sts.clearFaults();
  assertTimedOut(r, 3000, /^stsx: the answer from 127\.0\.0\.1:\d+ did not finish within \d/);
});
