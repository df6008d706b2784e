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
import { runWithSilentDns } from '../support/netns.ts';
import { needPrerequisite } from '../support/prerequisites.ts';

let sts: StsServer;
let silentTls: net.Server;
let silentTlsPort = 0;
const held = new Set<net.Socket>();
let keys: Record<string, string>;
const ROLE = 'arn:aws:iam::123456789012:role/hostile';
const ENCODED = 'AAAAbbbbCCCCddddEEEEffff0123456789';

before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
  const user = sts.addUser({ userName: 'hostile' });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [user.arn] });
  sts.setDecodedMessage(ENCODED, '{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"failures":{"items":[]},"context":{"action":"ec2:RunInstances"}}');
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

/**
 * What starting stsx and failing at once costs right now (Node start-up, module loading): the
 * machine may be busy, and that time is not part of any network deadline.
 */
async function startupMs(): Promise<number> {
  const r = await timed(['whoami', '--endpoint-url', 'http://127.0.0.1:9', '--timeout', '1'], env());
  assert.equal(r.code, 5, r.stderr);
  return r.ms;
}

/**
 * Exit code 5, one error line (plus hint), nothing on stdout, exit within the deadline + 1.5 s
 * (plus start-up as measured now), and the real time in the message.
 */
async function assertTimedOut(r: RunResult & { ms: number }, deadlineMs: number, step: RegExp): Promise<void> {
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stdout, '');
  const lines = errorLines(r.stderr);
  assert.ok(lines.length >= 1 && lines.length <= 2, r.stderr);
  assert.match(lines[0] ?? '', step);
  const startup = await startupMs();
  assert.ok(r.ms <= deadlineMs + 1500 + startup, `exited after ${r.ms} ms; deadline ${deadlineMs} ms, start-up now ${startup} ms\n${r.stderr}`);
  const claimed = claimedMs(r.stderr);
  assert.ok(claimed <= r.ms && r.ms - claimed <= 1500 + startup, `the message says ${claimed} ms, the process took ${r.ms} ms (start-up now ${startup} ms)`);
  assert.doesNotMatch(r.stderr, /node-http-handler|\[WARN\]/, 'no SDK warning reaches the user');
}

// ---- Bounded time ----------------------------------------------------------------------------

// These need network namespaces (root): without them each fails, naming how to get them.

for (const [command, args] of [
  ['whoami', ['whoami']],
  ['assume', ['assume', '--role-arn', ROLE, '--format', 'json', '--no-cache']],
] as const) {
  test(`${command}: a nameserver that never answers -> exit within --timeout 4, naming the DNS lookup`, async () => {
    needPrerequisite('netns');
    // glibc's own defaults (5 s per try, 2 tries, A and AAAA): getaddrinfo alone would take 20 s+.
    const r = await runWithSilentDns({ args: [...args, '--region', 'eu-west-1', '--timeout', '4'], env: env() }, { resolverOptions: 'timeout:5 attempts:2' });
    assert.ok(r.queries > 0, 'the nameserver was asked');
    await assertTimedOut(r, 4000, /^stsx: DNS lookup of sts\.eu-west-1\.amazonaws\.com got no answer within \d/);
  });
}

test('a nameserver that never answers, default limits: the message gives the real elapsed time', async () => {
  needPrerequisite('netns');
  const r = await runWithSilentDns({ args: ['whoami', '--region', 'eu-west-1'], env: env() }, { resolverOptions: 'timeout:5 attempts:2' });
  await assertTimedOut(r, 15000, /^stsx: DNS lookup of sts\.eu-west-1\.amazonaws\.com got no answer within \d/);
});

test('a port that accepts and never speaks TLS -> exit within --timeout, naming the TLS handshake', async () => {
  const r = await timed(['whoami', '--endpoint-url', `https://127.0.0.1:${silentTlsPort}`, '--timeout', '3'], env());
  await assertTimedOut(r, 3000, new RegExp(`^stsx: TLS handshake with 127\\.0\\.0\\.1:${silentTlsPort} got no answer within \\d`));
});

test('a body trickled one byte a second -> exit within --timeout, naming the answer', async () => {
  sts.clearFaults();
  const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/slow</Arn><UserId>AIDASLOW</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
  sts.fault({ status: 200, body, trickleMs: 1000, headers: { 'Content-Type': 'text/xml', 'Content-Length': String(body.length) } });
  const r = await timed(['whoami', '--endpoint-url', sts.url, '--timeout', '3'], env());
  sts.clearFaults();
  await assertTimedOut(r, 3000, /^stsx: the answer from 127\.0\.0\.1:\d+ did not finish within \d/);
});

// ---- Answers that are not STS --------------------------------------------------------------

interface CommandCase {
  name: string;
  action: string;
  args: () => string[];
}

const COMMANDS: CommandCase[] = [
  { name: 'whoami', action: 'GetCallerIdentity', args: () => ['whoami'] },
  { name: 'whoami --access-key-id', action: 'GetAccessKeyInfo', args: () => ['whoami', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE'] },
  { name: 'assume', action: 'AssumeRole', args: () => ['assume', '--role-arn', ROLE, '--format', 'json', '--no-cache'] },
  { name: 'session-token', action: 'GetSessionToken', args: () => ['session-token', '--format', 'json', '--no-cache'] },
  { name: 'decode', action: 'DecodeAuthorizationMessage', args: () => ['decode', ENCODED] },
];

const ERROR_XML = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>nope</Message></Error><RequestId>x</RequestId></ErrorResponse>';

const NOT_STS: { name: string; setup: (action: string) => void; answered: RegExp }[] = [
  {
    name: 'a 200 HTML captive portal',
    setup: () => sts.fault({ status: 200, body: '<!DOCTYPE html><html><head><title>Hotel WiFi login</title></head><body>Please log in</body></html>', headers: { 'Content-Type': 'text/html; charset=utf-8', Server: 'captive-portal/1.0' } }),
    answered: /HTTP 200, content-type text\/html; charset=utf-8, server captive-portal\/1\.0, body "<!DOCTYPE html><html>/,
  },
  { name: 'an empty 200', setup: () => sts.fault({ status: 200, body: '', headers: { 'Content-Type': 'text/xml' } }), answered: /HTTP 200, content-type text\/xml, empty body/ },
  { name: 'a 200 carrying <ErrorResponse>', setup: () => sts.fault({ status: 200, body: ERROR_XML, headers: { 'Content-Type': 'text/xml' } }), answered: /HTTP 200, content-type text\/xml, body "<ErrorResponse/ },
  { name: 'a 302 to a login page', setup: () => sts.fault({ status: 302, body: '', headers: { Location: 'http://login.example/portal', 'Content-Type': 'text/html' } }), answered: /HTTP 302, content-type text\/html, location http:\/\/login\.example\/portal, empty body/ },
  { name: 'a 404 HTML page from a proxy', setup: () => sts.fault({ status: 404, body: '<html><body>Not Found</body></html>', headers: { 'Content-Type': 'text/html', Server: 'squid' } }), answered: /HTTP 404, content-type text\/html, server squid/ },
  {
    name: 'a 200 of 2 MiB',
    setup: () => sts.fault({ status: 200, body: `<x>${'A'.repeat(2 * 1024 * 1024)}</x>`, headers: { 'Content-Type': 'text/xml' } }),
    answered: /sent more than 1 MiB/,
  },
  {
    name: 'an STS-shaped answer with a required field missing',
    setup: (action) => sts.answer(action, (xml) => xml.replace(/<(Expiration|Account|DecodedMessage)>[^<]*<\/\1>/g, '')),
    answered: /HTTP 200, content-type text\/xml, body "<\w+Response xmlns=.*\(no (Expiration|Account|DecodedMessage)\)/,
  },
  {
    name: 'an STS-shaped answer without AccessKeyId',
    setup: (action) => sts.answer(action, (xml) => xml.replace(/<(AccessKeyId|Arn|Account|DecodedMessage)>[^<]*<\/\1>/g, '')),
    answered: /\(no (AccessKeyId|Arn|AssumedRoleUser\.Arn|Account|DecodedMessage)[,)]/,
  },
];

for (const kind of NOT_STS) {
  for (const command of COMMANDS) {
    test(`${command.name}: ${kind.name} -> exit 5, "this is not an STS answer" and what answered`, async () => {
      sts.clearFaults();
      kind.setup(command.action);
      const r = await runStsx([...command.args(), '--endpoint-url', sts.url], { env: env() });
      sts.clearFaults();
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.stdout, '');
      const lines = errorLines(r.stderr);
      assert.ok(lines.length >= 1 && lines.length <= 2, r.stderr);
      assert.match(lines[0] ?? '', /^stsx: this is not an STS answer: 127\.0\.0\.1:\d+ /);
      if (!/more than/.test(kind.answered.source)) assert.match(lines[0] ?? '', new RegExp(`answered ${command.action} with `));
      assert.match(lines[0] ?? '', kind.answered);
      assert.doesNotMatch(r.stderr, /bug in stsx|Deserialization|Unknown: Unknown/);
    });
  }
}

test('a real STS error is still an STS error, not "not an STS answer"', async () => {
  sts.clearFaults();
  sts.fault({ status: 403, code: 'AccessDenied', message: 'User is not authorized' });
  const r = await runStsx(['whoami', '--endpoint-url', sts.url], { env: env() });
  sts.clearFaults();
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /access denied/);
});

// ---- Credentials that are dead on arrival ------------------------------------------------------

const ISSUING = COMMANDS.filter((c) => c.name === 'assume' || c.name === 'session-token');

for (const command of ISSUING) {
  test(`${command.name}: an Expiration in the past is refused, nothing on stdout, the clocks agree`, async () => {
    sts.clearFaults();
    sts.setCredentialLifetime(-600);
    const r = await runStsx([...command.args(), '--endpoint-url', sts.url], { env: env() });
    sts.setCredentialLifetime(undefined);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    const lines = errorLines(r.stderr);
    assert.match(lines[0] ?? '', new RegExp(`^stsx: 127\\.0\\.0\\.1:\\d+ answered ${command.action} with credentials that expired at \\S+Z, (\\d+ s|10 min) ago by this machine's clock; this machine's clock agrees with the server's`));
    assert.doesNotMatch(r.stderr, /\(expired\)/);
  });

  test(`${command.name}: a skewed clock (the server's Date header 2 h behind) is named as the likely cause`, async () => {
    sts.clearFaults();
    sts.setClockOffset(-2 * 3600 * 1000);
    const r = await runStsx([...command.args(), '--endpoint-url', sts.url, '--duration', '1h'], { env: env() });
    sts.setClockOffset(0);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', /credentials that expired at .*; this machine's clock looks wrong: it is 2 h ahead of the server's \(its Date header\)$/);
    assert.match(r.stderr, /hint: synchronise the clock/);
  });
}

// ---- Server text that would drive the terminal ---------------------------------------------

const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
const FORGED = `${ESC}]52;c;ZXZpbA==${BEL}${ESC}[2K\rstsx: warning: forged\n`;
/** Any C0/C1 control character but the line feeds that end our own lines. */
const RAW_CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(9)}${String.fromCharCode(11)}-${String.fromCharCode(31)}${String.fromCharCode(127)}-${String.fromCharCode(159)}]`);

test('whoami: an ARN carrying OSC 52, erase-line and a newline is shown escaped, in text, --query and --debug', async () => {
  sts.clearFaults();
  sts.answer('GetCallerIdentity', (xml) => xml.replace(/<Arn>([^<]*)<\/Arn>/, (_m, arn: string) => `<Arn>${arn}${FORGED}</Arn>`));
  const text = await runStsx(['whoami', '--endpoint-url', sts.url, '--debug'], { env: env() });
  const query = await runStsx(['whoami', '--endpoint-url', sts.url, '--query', 'Arn'], { env: env() });
  const json = await runStsx(['whoami', '--endpoint-url', sts.url, '--output', 'json'], { env: env() });
  sts.clearFaults();
  for (const r of [text, query, json]) {
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    assert.doesNotMatch(r.stderr, /^stsx: warning: forged/m);
  }
  assert.match(text.stdout, /^ARN {7}arn:aws:iam::\d+:user\/hostile\\e\]52;c;ZXZpbA==\\x07\\e\[2K\\[rn]stsx: warning: forged\\n$/m);
  assert.equal(text.stdout.split('\n').length, 5, text.stdout);
  assert.equal(query.stdout.split('\n').length, 2, query.stdout);
  // JSON stays JSON, and the value keeps what the server sent (XML turns the CR into a LF).
  assert.ok((JSON.parse(json.stdout) as { Arn: string }).Arn.endsWith(FORGED.replace('\r', '\n')), json.stdout);
});

test('an STS error message carrying escape sequences and newlines stays one escaped line, --debug too', async () => {
  sts.clearFaults();
  sts.fault({ status: 403, code: 'AccessDenied', message: `denied${FORGED}more` });
  const r = await runStsx(['whoami', '--endpoint-url', sts.url, '--debug'], { env: env() });
  sts.clearFaults();
  assert.equal(r.code, 4, r.stderr);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  assert.doesNotMatch(r.stderr, /^stsx: warning: forged/m);
  assert.match(r.stderr, /^stsx: access denied by STS \(GetCallerIdentity at 127\.0\.0\.1:\d+\): denied\\e\]52;c;ZXZpbA==\\x07\\e\[2K\\rstsx: warning: forged/m);
});
