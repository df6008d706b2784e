// Opt-in failover between regional endpoints (seed 003), on loopback: the primary refuses
// connections, never answers, or answers 503 -> the fallback serves and its credentials work; the
// primary answers AccessDenied -> no failover; everything down -> one error listing what was tried,
// within the configured time. Plus 32 parallel `stsx assume` on one cache key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

let primary: StsServer;
let fallback: StsServer;
let blackHole: net.Server;
let blackHoleUrl: string;
const sockets = new Set<net.Socket>();

before(async () => {
  [primary, fallback] = await Promise.all([startStsServer({ region: 'eu-west-1' }), startStsServer({ region: 'eu-central-1' })]);
  // Accepts connections and never answers: the "timeout" failure.
  blackHole = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([primary?.close(), fallback?.close(), new Promise((r) => blackHole?.close(r))]);
});

/** The same IAM user (same keys) known to both servers, as one AWS account is in every region. */
function sharedUser(name: string): Record<string, string> {
  const u = primary.addUser({ userName: name });
  fallback.addUser({ userName: name, accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey });
  for (const s of [primary, fallback]) s.addRole({ arn: 'arn:aws:iam::123456789012:role/failover', trustedPrincipalArns: [u.arn] });
  return sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1' }).env;
}

const primaries: [string, () => string, (() => void) | undefined][] = [
  ['refuses connections', () => 'http://127.0.0.1:9', undefined],
  ['never answers', () => blackHoleUrl, undefined],
  ['answers 503', () => primary.url, () => primary.fault({ status: 503 })],
];

for (const [name, url, setup] of primaries) {
  test(`primary ${name}: the fallback region serves, its credentials work, stderr says so`, async () => {
    primary.clearFaults();
    setup?.();
    const env = sharedUser(`fo-${name.replace(/\W/g, '')}`);
    const started = Date.now();
    const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::123456789012:role/failover', '--endpoint-url', url(), '--fallback-region', `eu-central-1=${fallback.url}`, '--connect-timeout', '1', '--timeout', '2', '--format', 'json', '--no-cache'], { env });
    primary.clearFaults();
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
    assert.match(r.stderr, /warning: 127\.0\.0\.1:\d+ failed \(.*\); trying 127\.0\.0\.1:\d+ \(eu-central-1\)/);
    assert.match(r.stderr, /served by the fallback endpoint http:\/\/127\.0\.0\.1:\d+\/ \(eu-central-1\)/);
    const creds = JSON.parse(r.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const last = fallback.requests.filter((q) => q.action === 'AssumeRole').at(-1);
    assert.equal(last?.signingRegion, 'eu-central-1', 'signed for the fallback region');
    // The credentials from the fallback work there.
    const who = await runStsx(['whoami', '--endpoint-url', fallback.url, '--region', 'eu-central-1', '--query', 'Arn'], { env: { ...env, AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken } });
    assert.match(who.stdout, /assumed-role\/failover\//, who.stderr);
  });
}

test('an answer about the caller (AccessDenied) never fails over', async () => {
  const env = sharedUser('fo-denied');
  primary.fault({ status: 403, code: 'AccessDenied', message: 'User: x is not authorized to perform: sts:AssumeRole' });
  const before = fallback.requests.length;
  const r = await runStsx(['assume', '--role-arn', 'arn:aws:iam::123456789012:role/failover', '--endpoint-url', primary.url, '--fallback-region', `eu-central-1=${fallback.url}`, '--no-cache'], { env });
  primary.clearFaults();
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /access denied/);
  assert.equal(fallback.requests.length, before, 'the fallback was never asked');
});

test('STSX_FALLBACK_REGIONS and the profile key configure the same thing', async () => {
  const env = sharedUser('fo-env');
  const viaEnv = await runStsx(['whoami', '--endpoint-url', 'http://127.0.0.1:9', '--query', 'Account'], { env: { ...env, STSX_FALLBACK_REGIONS: `eu-central-1=${fallback.url}` } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const box = sandbox(env);
  box.writeConfig(`[default]\nendpoint_url = http://127.0.0.1:9\nstsx_fallback_regions = eu-central-1=${fallback.url}\n`);
  const viaProfile = await runStsx(['whoami', '--query', 'Account'], { env: { ...env, AWS_CONFIG_FILE: path.join(box.home, 'aws-config') } });
  assert.equal(viaProfile.code, 0, viaProfile.stderr);
});

test('all endpoints down: one error listing what was tried, within the configured bound', async () => {
  const env = sharedUser('fo-down');
  const started = Date.now();
  const r = await runStsx(['whoami', '--endpoint-url', blackHoleUrl, '--fallback-region', 'eu-central-1=http://127.0.0.1:9', '--fallback-region', `eu-north-1=${blackHoleUrl}/other`, '--connect-timeout', '1', '--timeout', '2'], { env });
  const elapsed = Date.now() - started;
  assert.equal(r.code, 5, r.stderr);
  const lines = errorLines(r.stderr);
  assert.match(lines[0] ?? '', /^stsx: no STS endpoint answered; tried 127\.0\.0\.1:\d+ \(the request to 127\.0\.0\.1:\d+ got no answer within 2(\.\d)? s\); 127\.0\.0\.1:9 \(cannot connect .*ECONNREFUSED.*\); 127\.0\.0\.1:\d+ \(the request to 127\.0\.0\.1:\d+ got no answer within 2(\.\d)? s\)$/);
  // Two dead endpoints at 2 s each plus a refused one: well under 10 s, not minutes.
  assert.ok(elapsed < 9000, `took ${elapsed} ms`);
});

test('no fallback configured: a dead endpoint fails within --timeout, nothing else is tried', async () => {
  const env = sharedUser('fo-none');
  const started = Date.now();
  const r = await runStsx(['whoami', '--endpoint-url', blackHoleUrl, '--timeout', '1.5'], { env });
  const elapsed = Date.now() - started;
  assert.equal(r.code, 5, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /the request to 127\.0\.0\.1:\d+ got no answer within 1\.[5-9] s/);
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
});

test('32 parallel `stsx assume` on one cache key: all valid output, an intact cache', async () => {
  const env = sharedUser('fo-parallel');
  const args = ['assume', '--role-arn', 'arn:aws:iam::123456789012:role/failover', '--role-session-name', 'parallel', '--endpoint-url', primary.url, '--format', 'json'];
  const results = await Promise.all(Array.from({ length: 32 }, () => runStsx(args, { env, timeoutMs: 60000 })));
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout) as { Version: number; AccessKeyId: string; SessionToken: string };
    assert.equal(c.Version, 1);
    assert.match(c.AccessKeyId, /^ASIA/);
  }
  const dir = path.join(env.XDG_CACHE_HOME ?? '', 'stsx');
  assert.ok(existsSync(dir));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `one entry for one key: ${files.join(', ')}`);
  const entry = JSON.parse(readFileSync(path.join(dir, files[0] ?? ''), 'utf8')) as { credentials: { accessKeyId: string } };
  assert.match(entry.credentials.accessKeyId, /^ASIA/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
  const after = await runStsx(args, { env });
  assert.match(after.stderr, /using cached/);
});
