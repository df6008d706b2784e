// A cache hit of a plain `stsx assume` is answered before the argument parser
// (src/early-cache-hit.ts). It must say exactly what the normal path says, and leave everything
// else to the normal path: a miss, an entry too close to expiry, --debug, any other flag.
// `--timeout 15` (the default, not part of the cache key) sends the same request through cli.ts,
// which makes the normal path's answer to compare with; the load log shows which path answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, type Sandbox } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';
import { STSX_BINARY } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'us-east-1' });
});
after(async () => {
  await sts?.close();
});

const HOOK = path.resolve(import.meta.dirname, '../fixtures/startup/record-loads.mjs');

/** Runs stsx; `parser`: whether the argument parser (commander) was loaded, from the load log. */
async function run(box: Sandbox, args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; parser: boolean; crypto: boolean }> {
  const log = path.join(box.home, 'loads.txt');
  rmSync(log, { force: true });
  // The load recorder needs Node's --import; the single executable has no such switch.
  const env = { ...box.env, ...extra, ...(STSX_BINARY ? {} : { NODE_OPTIONS: `--import ${HOOK}`, STSX_LOAD_LOG: log }) };
  const r = await runStsx(args, { env });
  const loads = existsSync(log) ? readFileSync(log, 'utf8') : '';
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, parser: /node_modules\/commander\/|chunks\/cli-/.test(loads), crypto: /^node:crypto$/m.test(loads) };
}

/** "(in 59m)" moves on between two runs that straddle a minute; nothing else may differ. */
const steady = (stderr: string): string => stderr.replace(/\(in [^)]*\)/g, '(in …)');

function setup(extraEnv: Record<string, string> = {}): { box: Sandbox; role: string } {
  const name = `early-${Math.random().toString(36).slice(2, 8)}`;
  const box = userWorld(sts, { name, account: '123456789012', region: null, role: { arn: `arn:aws:iam::123456789012:role/early-${Math.random().toString(36).slice(2, 8)}` }, env: extraEnv });
  return { box, role: box.role };
}

for (const [name, env, flags] of [
  ['--role-arn, --format bash, a region', { AWS_REGION: 'us-east-1' }, ['--format', 'bash']],
  ['--role-arn, --shell=fish, --role-session-name', { AWS_REGION: 'us-east-1' }, ['--shell=fish', '--role-session-name', 'early']],
  ['--format json and no region configured (a note on stderr)', {}, ['--format', 'json']],
] as const) {
  test(`a cache hit (${name}) is answered without the parser, byte for byte as the normal path answers it`, async () => {
    const { box, role } = setup(env);
    const args = ['assume', '--role-arn', role, ...flags];
    const miss = await run(box, args);
    assert.equal(miss.code, 0, miss.stderr);
    assert.match(miss.stderr, /stsx: assumed /);
    // A plain miss is answered by dist/sts.js (src/sts-main.ts), without the parser either.
    assert.equal(miss.parser, false, 'a plain miss needs no argument parser');
    const asks = sts.requests.length;

    const early = await run(box, args);
    const normal = await run(box, [...args, '--timeout', '15']);
    assert.equal(sts.requests.length, asks, 'both answered from the cache');
    if (!STSX_BINARY) {
      assert.equal(early.parser, false, 'the early path loads no argument parser');
      // The cache key's sha256 is src/cache/sha256.ts: node:crypto alone costs more than the other built-ins of a hit.
      assert.equal(early.crypto, false, 'a hit loads no node:crypto');
      assert.equal(normal.parser, true, 'the comparison run took the normal path');
    }
    assert.match(early.stderr, /using cached/);
    assert.equal(early.code, normal.code);
    assert.equal(early.stdout, normal.stdout);
    assert.equal(steady(early.stderr), steady(normal.stderr));
  });
}

test('no region configured: a cache hit, early or normal, says the same us-east-1 note as the miss', async () => {
  const { box, role } = setup();
  const args = ['assume', '--role-arn', role, '--format', 'bash'];
  const note = /^stsx: no region configured; using us-east-1 \(set --region, AWS_REGION or the profile's region\)$/m;
  const miss = await run(box, args);
  assert.equal(miss.code, 0, miss.stderr);
  assert.match(miss.stdout, /^export AWS_REGION='us-east-1';$/m);
  assert.match(miss.stderr, note);
  for (const hit of [await run(box, args), await run(box, [...args, '--timeout', '15'])]) {
    assert.match(hit.stderr, /using cached/);
    assert.equal(hit.stdout, miss.stdout);
    assert.equal(hit.stderr.split('\n').filter((l) => note.test(l)).length, 1, hit.stderr);
  }
});

test('a miss is said once: the early path prints nothing before it falls through', async () => {
  const { box, role } = setup({ AWS_REGION: 'us-east-1' });
  const r = await run(box, ['assume', '--role-arn', role, '--format', 'bash']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('stsx: assumed')).length, 1, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('export AWS_SESSION_TOKEN=')).length, 1);
});

test('an entry too close to its expiry for --min-ttl, and --debug, go through the normal path', async () => {
  const { box, role } = setup({ AWS_REGION: 'us-east-1' });
  const args = ['assume', '--role-arn', role, '--format', 'bash', '--duration', '15m'];
  assert.equal((await run(box, args)).code, 0);
  const asks = sts.requests.length;
  // 15 minutes left is less than --min-ttl 20m: not a hit, STS is asked again.
  const stale = await run(box, [...args, '--min-ttl', '20m']);
  assert.equal(stale.code, 0, stale.stderr);
  assert.match(stale.stderr, /stsx: assumed /);
  assert.doesNotMatch(stale.stderr, /using cached/);
  assert.equal(sts.requests.length, asks + 1);
  const debug = await run(box, [...args, '--debug']);
  assert.equal(debug.code, 0, debug.stderr);
  assert.match(debug.stderr, /using cached/);
  assert.match(debug.stderr, /stsx: debug: /);
  if (!STSX_BINARY) assert.equal(debug.parser, true);
});

test('a bad flag value is the normal path\'s usage error, not the early path\'s', async () => {
  const { box, role } = setup({ AWS_REGION: 'us-east-1' });
  const r = await run(box, ['assume', '--role-arn', role, '--format', 'no-such-shell']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^stsx: .*unknown output format "no-such-shell"/);
});
