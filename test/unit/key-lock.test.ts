import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireKeyLock } from '../../src/files/key-lock.ts';

const base = { uid: process.getuid?.(), pid: process.pid, isAlive: () => true };
const fresh = (): string => path.join(mkdtempSync(path.join(os.tmpdir(), 'stsx-lock-')), 'k.lock');

test('the lock is taken, held against a second caller until released, and leaves nothing behind', async () => {
  const file = fresh();
  const first = await acquireKeyLock(file, { ...base, waitMs: 1000 });
  assert.equal(first.state, 'held');
  const second = await acquireKeyLock(file, { ...base, pid: 999_999, waitMs: 200 });
  assert.equal(second.state, 'timeout');
  if (first.state === 'held') await first.lock.release();
  assert.equal(existsSync(file), false);
  const third = await acquireKeyLock(file, { ...base, waitMs: 200 });
  assert.equal(third.state, 'held');
  if (third.state === 'held') await third.lock.release();
  assert.deepEqual(readdirSync(path.dirname(file)), []);
});

test('a holder on this host that is gone: taken over at once, whatever the mtime', async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `4242 ${os.hostname()}\n`);
  const started = Date.now();
  const r = await acquireKeyLock(file, { ...base, isAlive: (pid) => pid !== 4242, waitMs: 5000 });
  assert.equal(r.state, 'held');
  assert.ok(Date.now() - started < 1000);
  if (r.state === 'held') await r.lock.release();
});

test('a live holder on this host keeps the lock while its mtime is a few seconds old (a starved process)', async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `4242 ${os.hostname()}\n`);
  utimesSync(file, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  const r = await acquireKeyLock(file, { ...base, waitMs: 300 });
  assert.equal(r.state, 'timeout');
});

test('a lock untouched past its bound is stale whatever its owner file says (a live pid 1, an old-format owner)', async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `1 ${os.hostname()}\n`);
  utimesSync(file, new Date(0), new Date(0));
  const r = await acquireKeyLock(file, { ...base, waitMs: 300 });
  assert.equal(r.state, 'held');
  if (r.state === 'held') await r.lock.release();
});

const linux = process.platform === 'linux';
const procStart = (pid: number | 'self'): string => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
};
const bootId = (): string => (linux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '-');
const pidNs = (): string => (linux ? readlinkSync('/proc/self/ns/pid') : '-');

test('the owner file names the holder by pid, host, start time, boot id and pid namespace', { skip: !linux && 'needs /proc' }, async () => {
  const file = fresh();
  const r = await acquireKeyLock(file, { ...base, waitMs: 300 });
  assert.equal(r.state, 'held');
  assert.equal(readFileSync(path.join(file, 'owner'), 'utf8'), `${process.pid} ${os.hostname()} ${procStart('self')} ${bootId()} ${pidNs()}\n`);
  if (r.state === 'held') await r.lock.release();
});

test('pid 1 alive again (a container, a reused pid) with another start time: stale at once, fresh mtime or not', { skip: !linux && 'needs /proc' }, async () => {
  const file = fresh();
  mkdirSync(file);
  const wrong = String(Number(procStart(1)) + 12_345);
  writeFileSync(path.join(file, 'owner'), `1 ${os.hostname()} ${wrong} ${bootId()} ${pidNs()}\n`);
  const r = await acquireKeyLock(file, { ...base, waitMs: 5000 });
  assert.equal(r.state, 'held');
  if (r.state === 'held') await r.lock.release();
  // The same pid 1 with its real start time is the live holder: waited on.
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `1 ${os.hostname()} ${procStart(1)} ${bootId()} ${pidNs()}\n`);
  assert.equal((await acquireKeyLock(file, { ...base, waitMs: 300 })).state, 'timeout');
});

test('our own pid with a start time that is not ours: an earlier process, stale; with ours: ourselves, waited on', { skip: !linux && 'needs /proc' }, async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `${process.pid} ${os.hostname()} ${String(Number(procStart('self')) + 1)} ${bootId()} ${pidNs()}\n`);
  const r = await acquireKeyLock(file, { ...base, waitMs: 5000 });
  assert.equal(r.state, 'held');
  if (r.state === 'held') await r.lock.release();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `${process.pid} ${os.hostname()} ${procStart('self')} ${bootId()} ${pidNs()}\n`);
  assert.equal((await acquireKeyLock(file, { ...base, waitMs: 300 })).state, 'timeout');
});

test('another boot id: stale at once; another pid namespace: judged by mtime like another host', { skip: !linux && 'needs /proc' }, async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `1 ${os.hostname()} ${procStart(1)} 00000000-0000-0000-0000-000000000000 ${pidNs()}\n`);
  const r = await acquireKeyLock(file, { ...base, waitMs: 5000 });
  assert.equal(r.state, 'held');
  if (r.state === 'held') await r.lock.release();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `1 ${os.hostname()} ${procStart(1)} ${bootId()} pid:[1]\n`);
  assert.equal((await acquireKeyLock(file, { ...base, waitMs: 300 })).state, 'timeout', 'fresh mtime: alive');
  utimesSync(file, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  const late = await acquireKeyLock(file, { ...base, waitMs: 300 });
  assert.equal(late.state, 'held');
  if (late.state === 'held') await late.lock.release();
});

test('a holder on another host (or one that wrote no owner): stale once its mtime is older than staleMs', async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), '4242 some-other-host\n');
  assert.equal((await acquireKeyLock(file, { ...base, waitMs: 200 })).state, 'timeout', 'fresh mtime: alive');
  utimesSync(file, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
  const r = await acquireKeyLock(file, { ...base, waitMs: 200 });
  assert.equal(r.state, 'held');
  if (r.state === 'held') await r.lock.release();
  assert.deepEqual(readdirSync(path.dirname(file)), [], 'the stale lock was moved aside and removed');
});

test('something else under the lock name: unusable, never waited on or removed', async () => {
  const file = fresh();
  writeFileSync(file, 'not a lock');
  const r = await acquireKeyLock(file, { ...base, waitMs: 5000 });
  assert.deepEqual(r, { state: 'unusable', why: 'not a directory' });
  assert.ok(existsSync(file));
  const dir = fresh();
  mkdirSync(dir);
  const other = await acquireKeyLock(dir, { ...base, uid: (base.uid ?? 0) + 1, waitMs: 5000 });
  assert.equal(other.state, 'unusable');
});
