// N parallel callers on a cold cache key (terraform's providers, make -j, parallel CI steps) make
// one STS call: one of them holds the key's lock and asks STS, the others wait and read its answer
// from the cache. A killed holder blocks the next caller for a few seconds at most.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, STSX } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

function world(name: string): { env: Record<string, string>; role: string; box: ReturnType<typeof sandbox>; keys: { id: string; secret: string } } {
  const w = userWorld(sts, { name, role: true });
  return { env: w.env, role: w.role, box: w, keys: { id: w.user.accessKeyId, secret: w.user.secretAccessKey } };
}

const assumeRequests = (role: string): number => sts.requests.filter((r) => r.action === 'AssumeRole' && r.params.RoleArn === role).length;
const cacheDirOf = (env: Record<string, string>): string => path.join(env.XDG_CACHE_HOME ?? '', 'stsx');

test('32 parallel callers on a cold key: exactly one AssumeRole, 32 identical valid outputs', { timeout: 180_000 }, async () => {
  const w = world('par32');
  // A slow answer keeps the first caller inside its STS call while the other 31 arrive.
  sts.fault({ status: 200, delayMs: 1500, action: 'AssumeRole', times: 1 });
  const runs = await Promise.all(Array.from({ length: 32 }, () => runStsx(['assume', '--role-arn', w.role, '--format', 'json'], { env: w.env, timeoutMs: 120_000 })));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(assumeRequests(w.role), 1, 'one STS call for 32 callers');
  const outputs = new Set(runs.map((r) => r.stdout));
  assert.equal(outputs.size, 1, 'every caller printed the same credentials');
  const parsed = JSON.parse(runs[0]?.stdout ?? '') as Record<string, unknown>;
  assert.equal(parsed.Version, 1);
  assert.match(String(parsed.AccessKeyId), /^ASIA/);
  assert.ok(typeof parsed.SessionToken === 'string' && parsed.SessionToken.length > 0);
  const left = readdirSync(cacheDirOf(w.env)).filter((n) => n.includes('.lock') || n.endsWith('.tmp'));
  assert.deepEqual(left, [], 'no lock or temp file is left behind');
});

test('credential_process = stsx assume ... under 16 parallel `stsx whoami`: one AssumeRole', { timeout: 180_000 }, async () => {
  const w = world('parproc');
  const box = sandbox({ AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeCredentials(`[keys]\naws_access_key_id = ${w.keys.id}\naws_secret_access_key = ${w.keys.secret}\n`);
  box.writeConfig(`[profile proc]\ncredential_process = ${process.execPath} ${STSX} assume --profile keys --role-arn ${w.role} --role-session-name via-process --format json\n`);
  sts.fault({ status: 200, delayMs: 1500, action: 'AssumeRole', times: 1 });
  const runs = await Promise.all(Array.from({ length: 16 }, () => runStsx(['whoami', '--profile', 'proc', '--query', 'Arn'], { env: box.env, timeoutMs: 120_000 })));
  for (const r of runs) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'arn:aws:sts::111122223333:assumed-role/parproc-role/via-process');
  }
  assert.equal(assumeRequests(w.role), 1);
});

test('a holder killed (SIGKILL) during a slow STS answer blocks the next caller for a few seconds at most', { timeout: 60_000 }, async () => {
  const w = world('parkill');
  sts.fault({ status: 200, delayMs: 30_000, action: 'AssumeRole', times: 1 });
  const holder = spawn(process.execPath, [STSX, 'assume', '--role-arn', w.role, '--format', 'json', '--timeout', '60'], { env: w.env, stdio: 'ignore' });
  const dir = cacheDirOf(w.env);
  const deadline = Date.now() + 20_000;
  while (!(existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.lock')))) {
    assert.ok(Date.now() < deadline, 'the holder takes the lock');
    await sleep(50);
  }
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('close', resolve));
  // The holder may have died before its request reached the server.
  sts.clearFaults();
  const started = Date.now();
  const next = await runStsx(['assume', '--role-arn', w.role, '--format', 'json'], { env: w.env });
  const took = Date.now() - started;
  assert.equal(next.code, 0, next.stderr);
  assert.match(JSON.parse(next.stdout).AccessKeyId as string, /^ASIA/);
  assert.ok(took < 8000, `the next caller got through in ${took} ms`);
  assert.ok(assumeRequests(w.role) <= 2, 'the killed holder asked at most once, the next caller once');
});

test('a live holder that takes too long: the waiter stops after --timeout, exit 5, nothing on stdout', { timeout: 60_000 }, async () => {
  const w = world('parwait');
  sts.fault({ status: 200, delayMs: 8000, action: 'AssumeRole', times: 1 });
  const holder = runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--timeout', '30'], { env: w.env });
  const dir = cacheDirOf(w.env);
  const deadline = Date.now() + 30_000;
  while (!(existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.lock')))) {
    assert.ok(Date.now() < deadline, 'the holder takes the lock');
    await sleep(50);
  }
  const waiter = await runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--timeout', '2'], { env: w.env });
  assert.equal(waiter.code, 5, waiter.stderr);
  assert.equal(waiter.stdout, '');
  assert.match(errorLines(waiter.stderr)[0] ?? '', /^stsx: timed out after 4s waiting for another stsx that is getting the same credentials$/);
  const done = await holder;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(assumeRequests(w.role), 1, 'the waiter never asked STS');
});

test('an MFA role: only the holder needs a code; 8 waiters without a terminal never prompt and get its credentials', { timeout: 120_000 }, async () => {
  const w = world('parmfa');
  const role = 'arn:aws:iam::111122223333:role/parmfa-mfa-role';
  const serial = 'arn:aws:iam::111122223333:mfa/parmfa';
  sts.addRole({ arn: role, trustedPrincipalArns: ['arn:aws:iam::111122223333:user/parmfa'], requireMfa: true });
  sts.setMfaDevice(serial, '246810');
  sts.fault({ status: 200, delayMs: 3000, action: 'AssumeRole', times: 1 });
  const holder = runStsx(['assume', '--role-arn', role, '--mfa-serial', serial, '--token-code', '246810', '--format', 'json'], { env: w.env, timeoutMs: 120_000 });
  const dir = cacheDirOf(w.env);
  const deadline = Date.now() + 30_000;
  while (!(existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.lock')))) {
    assert.ok(Date.now() < deadline, 'the holder takes the lock');
    await sleep(50);
  }
  // Without a terminal a waiter that had to ask would fail at once (exit 2): these must not ask.
  const waiters = await Promise.all(Array.from({ length: 8 }, () => runStsx(['assume', '--role-arn', role, '--mfa-serial', serial, '--format', 'json'], { env: w.env, timeoutMs: 120_000 })));
  const first = await holder;
  assert.equal(first.code, 0, first.stderr);
  for (const r of waiters) {
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /MFA code/);
    assert.equal(r.stdout, first.stdout);
  }
  assert.equal(assumeRequests(role), 1);
});

test('a lock left naming pid 1 (alive in every container) does not wedge later runs: old, or another start time', { timeout: 60_000 }, async () => {
  const w = world('parpid1');
  const first = await runStsx(['assume', '--role-arn', w.role, '--format', 'json'], { env: w.env });
  assert.equal(first.code, 0, first.stderr);
  const dir = cacheDirOf(w.env);
  const entry = readdirSync(dir).find((n) => n.endsWith('.json')) ?? '';
  const lock = path.join(dir, entry.replace(/\.json$/, '.lock'));
  const leave = (owner: string, mtime: Date): void => {
    rmSync(path.join(dir, entry), { force: true });
    mkdirSync(lock, { mode: 0o700 });
    writeFileSync(path.join(lock, 'owner'), owner, { mode: 0o600 });
    utimesSync(lock, mtime, mtime);
  };
  // An older stsx's owner file (pid and host only), untouched for an hour.
  leave(`1 ${hostname()}\n`, new Date(Date.now() - 3_600_000));
  const old = await runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--timeout', '3'], { env: w.env });
  assert.equal(old.code, 0, old.stderr);
  assert.equal(existsSync(lock), false);
  if (process.platform === 'linux') {
    // A fresh lock of pid 1 that started at another time than the pid 1 alive now: not its holder.
    const stat = readFileSync('/proc/1/stat', 'utf8');
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) + 1;
    leave(`1 ${hostname()} ${start} ${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()} ${readlinkSync('/proc/self/ns/pid')}\n`, new Date());
    const reused = await runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--timeout', '3'], { env: w.env });
    assert.equal(reused.code, 0, reused.stderr);
  }
  assert.equal(assumeRequests(w.role), process.platform === 'linux' ? 3 : 2);
});
