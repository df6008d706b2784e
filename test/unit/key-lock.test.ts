import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireKeyLock } from '../../src/cache/key-lock.ts';

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

test('a live holder on this host keeps the lock even with an old mtime (a starved process)', async () => {
  const file = fresh();
  mkdirSync(file);
  writeFileSync(path.join(file, 'owner'), `4242 ${os.hostname()}\n`);
  utimesSync(file, new Date(0), new Date(0));
  const r = await acquireKeyLock(file, { ...base, waitMs: 300 });
  assert.equal(r.state, 'timeout');
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
