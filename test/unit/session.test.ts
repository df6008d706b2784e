// sts/session.ts without a CLI: its validation of what answered (validate-answer.ts, pure) as
// tables, and its failover decisions against in-process loopback STS servers: which failures
// move on to the next endpoint (cannot reach, keeps failing, not STS at all, too slow) and which
// are final (an answer about the caller, dead credentials).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { checkNotExpired, checkSuccessAnswer, describeAnswer, isNotStsError, requireFields } from '../../src/sts/validate-answer.ts';
import type { RawAnswer } from '../../src/sts/client.ts';
import { openStsSession } from '../../src/sts/session.ts';
import { resolveSettings } from '../../src/settings/resolve-settings.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import { AuthError, NetworkError, type StsxError } from '../../src/errors.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';

const answer = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'text/xml' }): RawAnswer => ({ status, headers, body: Buffer.from(body) });
const STS_ERROR = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>1</RequestId></ErrorResponse>';

// ---- What answered: STS or not --------------------------------------------------------------

const errorPath: [string, RawAnswer | undefined, boolean][] = [
  ['no answer at all (a network error)', undefined, false],
  ['an STS 403 ErrorResponse', answer(403, STS_ERROR), false],
  ['an STS 400 ErrorResponse', answer(400, STS_ERROR.replace('AccessDenied', 'ValidationError')), false],
  ['a 503 without XML (a load balancer): a server failure, retried and failed over', answer(503, '<html>busy</html>'), false],
  ['a 200 HTML captive portal', answer(200, '<html>login</html>', { 'content-type': 'text/html' }), true],
  ['an empty 200', answer(200, ''), true],
  ['a 200 carrying <ErrorResponse>', answer(200, STS_ERROR), true],
  ['a 302', answer(302, '', { location: 'http://portal/' }), true],
  ['a 404 HTML page', answer(404, '<html>not found</html>', { 'content-type': 'text/html' }), true],
  ['a 403 from a proxy, no XML', answer(403, 'Forbidden'), true],
];
for (const [name, a, expected] of errorPath) {
  test(`error path: ${name} -> ${expected ? 'not STS' : 'STS error, mapped as such'}`, () => assert.equal(isNotStsError(a), expected));
}

const successPath: [string, RawAnswer, boolean][] = [
  ['the operation\'s own response', answer(200, '<GetCallerIdentityResponse xmlns="x"><GetCallerIdentityResult/></GetCallerIdentityResponse>'), true],
  ['another operation\'s response', answer(200, '<AssumeRoleResponse xmlns="x"/>'), false],
  ['HTML that parsed into nothing', answer(200, '<html><body>hi</body></html>'), false],
  ['an S3 bucket list (moto answering unsigned)', answer(200, '<ListAllMyBucketsResult/>'), false],
];
for (const [name, a, ok] of successPath) {
  test(`success path: ${name} -> ${ok ? 'accepted' : 'not STS'}`, () => {
    if (ok) checkSuccessAnswer(a, 'h', 'GetCallerIdentity');
    else assert.throws(() => checkSuccessAnswer(a, 'h', 'GetCallerIdentity'), (e: StsxError) => e instanceof NetworkError && /^this is not an STS answer: h answered GetCallerIdentity with HTTP 200/.test(e.message));
  });
}

test('required fields: each missing one is named', () => {
  assert.doesNotThrow(() => requireFields({ Account: '1', Arn: 'a' }, undefined, 'h', 'Op'));
  assert.throws(() => requireFields({ Account: '', Arn: undefined, UserId: 'u' }, answer(200, '<OpResponse/>'), 'h', 'Op'), /\(no Account, Arn\)$/);
});

test('what answered is described, escaped and cut short', () => {
  const text = describeAnswer(answer(200, `<html>\u001b]52;c;AAAA\u0007${'x'.repeat(100)}`, { 'Content-Type': 'text/html', Server: 'evil\u001b[2K' }));
  assert.match(text, /^HTTP 200, content-type text\/html, server evil\\e\[2K, body "<html>\\u001b\]52;c;AAAA\\u0007x+"\.\.\.$/);
});

// ---- Dead on arrival -----------------------------------------------------------------------

const NOW = new Date('2026-11-30T12:00:00Z');
const expiryCases: [string, Date, Record<string, string>, RegExp | undefined][] = [
  ['valid for an hour', new Date('2026-11-30T13:00:00Z'), { date: NOW.toUTCString() }, undefined],
  ['expired a second ago, clocks agree', new Date('2026-11-30T11:59:59Z'), { date: NOW.toUTCString() }, /expired at 2026-11-30T11:59:59Z, 1 s ago by this machine's clock; this machine's clock agrees with the server's/],
  ['expired, this clock 3 h ahead', new Date('2026-11-30T10:00:00Z'), { date: new Date('2026-11-30T09:00:00Z').toUTCString() }, /this machine's clock looks wrong: it is 3 h ahead of the server's/],
  ['expired, this clock 20 min behind', new Date('2026-11-30T11:00:00Z'), { date: new Date('2026-11-30T12:20:00Z').toUTCString() }, /it is 20 min behind the server's/],
  ['expired, no Date header', new Date('2026-11-30T11:00:00Z'), {}, /no Date header to compare clocks with/],
];
for (const [name, expiration, headers, message] of expiryCases) {
  test(`expiry: ${name}`, () => {
    const a = answer(200, '<AssumeRoleResponse/>', headers);
    if (!message) return checkNotExpired(expiration, NOW, a, 'h', 'AssumeRole');
    assert.throws(() => checkNotExpired(expiration, NOW, a, 'h', 'AssumeRole'), (e: StsxError) => e instanceof AuthError && message.test(e.message));
  });
}

// ---- Failover decisions, against loopback servers ----------------------------------------------

let primary: StsServer;
let fallback: StsServer;
let silent: net.Server;
let silentUrl = '';
const held = new Set<net.Socket>();
let keys: { accessKeyId: string; secretAccessKey: string };
let home = '';

before(async () => {
  [primary, fallback] = await Promise.all([startStsServer({ region: 'eu-west-1' }), startStsServer({ region: 'eu-central-1' })]);
  const u = primary.addUser({ userName: 'session' });
  fallback.addUser({ userName: 'session', accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey });
  keys = { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey };
  silent = net.createServer((s) => void held.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  home = mkdtempSync(path.join(os.tmpdir(), 'stsx-session-'));
  writeFileSync(path.join(home, 'config'), '');
  writeFileSync(path.join(home, 'credentials'), '');
});
after(async () => {
  for (const s of held) s.destroy();
  await Promise.all([primary?.close(), fallback?.close(), new Promise((r) => silent?.close(r))]);
});

async function session(primaryUrl: string) {
  const env = { AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
  const settings = await resolveSettings(
    { region: 'eu-west-1', endpointUrl: primaryUrl, fallbackRegion: [`eu-central-1=${fallback.url}`] },
    { env, homedir: home, readFile: (f) => readFile(f, 'utf8'), loadRules: loadEndpointRules },
  );
  const failovers: string[] = [];
  const s = openStsSession(settings, {
    signer: { kind: 'credentials', credentials: keys },
    limits: { connectTimeoutMs: 1000, requestTimeoutMs: 1000, totalTimeoutMs: 1500, maxAttempts: 1 },
    onFailover: (_from, _to, error) => failovers.push(error.message),
  });
  return { s, failovers };
}

const failoverCases: { name: string; url: () => string; setup?: () => void; moves: boolean; error?: (e: StsxError) => boolean; reason?: RegExp }[] = [
  { name: 'refuses connections', url: () => 'http://127.0.0.1:9', moves: true, reason: /cannot connect .*ECONNREFUSED/ },
  { name: 'never answers', url: () => silentUrl, moves: true, reason: /^the request to 127\.0\.0\.1:\d+ got no answer within 1\.\d s$/ },
  { name: 'answers 503', url: () => primary.url, setup: () => primary.fault({ status: 503 }), moves: true, reason: /answered HTTP 503/ },
  { name: 'answers with a captive portal', url: () => primary.url, setup: () => primary.fault({ status: 200, body: '<html>login</html>', headers: { 'Content-Type': 'text/html' } }), moves: true, reason: /^this is not an STS answer/ },
  { name: 'answers AccessDenied', url: () => primary.url, setup: () => primary.fault({ status: 403, code: 'AccessDenied' }), moves: false, error: (e) => e instanceof AuthError && /access denied/.test(e.message) },
  { name: 'issues expired credentials', url: () => primary.url, setup: () => primary.setCredentialLifetime(-60), moves: false, error: (e) => e instanceof AuthError && /expired at/.test(e.message) },
];

for (const c of failoverCases) {
  test(`failover: the primary ${c.name} -> ${c.moves ? 'the fallback serves' : 'final, no failover'}`, async () => {
    primary.clearFaults();
    c.setup?.();
    const { s, failovers } = await session(c.url());
    const before = fallback.requests.length;
    try {
      const op = c.name === 'issues expired credentials' ? s.getSessionToken({}) : s.getCallerIdentity();
      if (c.moves) {
        await op;
        assert.equal(s.endpoint().region, 'eu-central-1');
        assert.equal(failovers.length, 1);
        assert.match(failovers[0] ?? '', c.reason ?? /./);
      } else {
        await assert.rejects(op, (e: StsxError) => c.error?.(e) ?? false);
        assert.equal(fallback.requests.length, before, 'the fallback was never asked');
        assert.equal(failovers.length, 0);
      }
    } finally {
      s.destroy();
      primary.clearFaults();
      primary.setCredentialLifetime(undefined);
    }
  });
}
