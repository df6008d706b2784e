import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCache } from '../../src/cache/credential-cache.ts';
import { serializeEntry } from '../../src/cache/cache-entry.ts';
import { InternalError } from '../../src/errors.ts';
import { entry, KEY_A, KEY_B, NOW, recorder, tempDir } from '../fixtures/cache/entries.ts';

const posix = process.platform !== 'win32';
const minutes = (m: number): number => m * 60;

test('hit: what was put comes back, field for field', async () => {
  const cache = openCache(tempDir(), recorder());
  await cache.put(KEY_A, entry(60));
  assert.deepEqual(await cache.get(KEY_A, NOW, minutes(5)), entry(60));
});

test('miss: no entry, and no directory is created just to look', async () => {
  const log = recorder();
  const dir = path.join(tempDir(), 'stsx');
  const cache = openCache(dir, log);
  assert.equal(await cache.get(KEY_A, NOW, minutes(5)), undefined);
  assert.equal(existsSync(dir), false);
  await cache.put(KEY_B, entry(60));
  assert.equal(await cache.get(KEY_A, NOW, minutes(5)), undefined);
  assert.deepEqual(log.warnings, []);
});

test('an entry with 4 minutes left misses with a 5 minute minimum and hits with 3', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  await cache.put(KEY_A, entry(4));
  assert.equal(await cache.get(KEY_A, NOW, minutes(5)), undefined);
  // Still on disk: a caller content with less can use it.
  assert.deepEqual(await cache.get(KEY_A, NOW, minutes(3)), entry(4));
});

test('an expired entry is a miss and is removed', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  await cache.put(KEY_A, entry(-1));
  assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
  assert.equal(existsSync(path.join(dir, `${KEY_A}.json`)), false);
});

const good = serializeEntry(entry(60));
const corrupt: [string, string][] = [
  ['garbage', 'not json at all \u0000\u00ff'],
  ['empty', ''],
  ['truncated', good.slice(0, good.length - 25)],
  ['wrong version', good.replace('"version":1', '"version":2')],
  ['no version', good.replace('"version":1,', '')],
  ['missing session token', good.replace(/"sessionToken":"[^"]*",/, '')],
  ['unparseable expiration', good.replace(/"expiration":"[^"]*"/g, '"expiration":"soon"')],
  ['an array', '[1,2,3]'],
];
for (const [name, text] of corrupt) {
  test(`a ${name} entry is ignored without a warning, removed, then replaced`, async () => {
    const dir = tempDir();
    const log = recorder();
    const cache = openCache(dir, log);
    const file = path.join(dir, `${KEY_A}.json`);
    writeFileSync(file, text, { mode: 0o600 });
    assert.equal(await cache.get(KEY_A, NOW, minutes(5)), undefined);
    assert.equal(existsSync(file), false);
    await cache.put(KEY_A, entry(60));
    assert.deepEqual(await cache.get(KEY_A, NOW, minutes(5)), entry(60));
    assert.deepEqual(log.warnings, []);
    assert.equal(log.debugs.length, 1);
  });
}

test('a directory where an entry should be is ignored, not fatal', async () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, `${KEY_A}.json`));
  assert.equal(await openCache(dir, recorder()).get(KEY_A, NOW, 0), undefined);
});

// Tests run as root, where chmod 0500 stops nothing; a path through a regular file fails for root too.
const unusable: [string, (base: string) => string][] = [
  ['its parent is a regular file', (base) => { writeFileSync(path.join(base, 'file'), ''); return path.join(base, 'file', 'stsx'); }],
  ['it is itself a regular file', (base) => { writeFileSync(path.join(base, 'stsx'), ''); return path.join(base, 'stsx'); }],
];
for (const [name, make] of unusable) {
  test(`a cache directory that cannot be used (${name}) means no caching and one warning`, async () => {
    const log = recorder();
    const cache = openCache(make(tempDir()), log);
    assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
    await cache.put(KEY_A, entry(60));
    await cache.put(KEY_B, entry(60));
    assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
    assert.deepEqual(await cache.list(NOW), []);
    assert.equal(await cache.clear(), 0);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0] ?? '', /continuing without caching/);
  });
}

test('a directory owned by someone else is not trusted', { skip: !posix }, async () => {
  const dir = tempDir();
  const log = recorder();
  const cache = openCache(dir, log, { uid: statSync(dir).uid + 1 });
  await cache.put(KEY_A, entry(60));
  assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
  assert.equal(readdirSync(dir).length, 0);
  assert.equal(log.warnings.length, 1);
  assert.match(log.warnings[0] ?? '', /owned by uid/);
});

test('the directory is 0700 and entries 0600, with no temp file left behind', { skip: !posix }, async () => {
  const dir = path.join(tempDir(), 'nested', 'stsx');
  await openCache(dir, recorder()).put(KEY_A, entry(60));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(dir, `${KEY_A}.json`)).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), [`${KEY_A}.json`]);
});

test('a looser existing directory is tightened to 0700', { skip: !posix }, async () => {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  await openCache(dir, recorder()).put(KEY_A, entry(60));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('the file holds the documented shape', async () => {
  const dir = tempDir();
  await openCache(dir, recorder()).put(KEY_A, { ...entry(60), secretExtra: 'x' } as ReturnType<typeof entry>);
  const data = JSON.parse(readFileSync(path.join(dir, `${KEY_A}.json`), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(data), ['version', 'kind', 'roleArn', 'sessionName', 'assumedRoleArn', 'account', 'region', 'endpoint', 'createdAt', 'expiration', 'credentials']);
  assert.equal(data.version, 1);
  assert.equal(data.expiration, '2026-11-22T11:00:00.000Z');
});

test('list: unexpired entries, soonest first; expired, corrupt and stale temp files are tidied', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  await cache.put(KEY_A, entry(50));
  await cache.put(KEY_B, entry(20, { kind: 'session-token', roleArn: undefined, sessionName: undefined }));
  await cache.put('c'.repeat(64), entry(-5));
  writeFileSync(path.join(dir, `${'d'.repeat(64)}.json`), '{');
  const stale = path.join(dir, `.${'e'.repeat(64)}.123.abcdef.tmp`);
  const fresh = path.join(dir, `.${'f'.repeat(64)}.124.abcdef.tmp`);
  writeFileSync(stale, '{');
  writeFileSync(fresh, '{');
  utimesSync(stale, new Date(NOW.getTime() - 3_600_000), new Date(NOW.getTime() - 3_600_000));
  utimesSync(fresh, NOW, NOW);
  const listed = await cache.list(NOW);
  assert.deepEqual(listed.map((e) => [e.key, e.kind]), [[KEY_B, 'session-token'], [KEY_A, 'assume-role']]);
  assert.deepEqual(readdirSync(dir).sort(), [path.basename(fresh), `${KEY_A}.json`, `${KEY_B}.json`].sort());
});

test('clear with a role removes only that role; without one, everything', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  const other = 'arn:aws:iam::123456789012:role/other';
  await cache.put(KEY_A, entry(60));
  await cache.put(KEY_B, entry(60, { sessionName: 'second' }));
  await cache.put('c'.repeat(64), entry(60, { roleArn: other }));
  await cache.put('d'.repeat(64), entry(60, { kind: 'session-token', roleArn: undefined }));
  writeFileSync(path.join(dir, `${'e'.repeat(64)}.json`), 'garbage');
  assert.equal(await cache.clear({ roleArn: 'arn:aws:iam::123456789012:role/demo' }), 2);
  assert.deepEqual((await cache.list(NOW)).map((e) => e.roleArn ?? 'session token').sort(), [other, 'session token']);
  assert.equal(await cache.clear({ roleArn: other }), 1);
  writeFileSync(path.join(dir, `${'e'.repeat(64)}.json`), 'garbage');
  assert.equal(await cache.clear(), 2);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(await cache.clear(), 0);
});

test('clear and list on a cache that was never written are empty and quiet', async () => {
  const log = recorder();
  const cache = openCache(path.join(tempDir(), 'none'), log);
  assert.equal(await cache.clear(), 0);
  assert.deepEqual(await cache.list(NOW), []);
  assert.deepEqual(log.warnings, []);
});

test('a key that is not a sha256 digest is a bug, never a path', async () => {
  const cache = openCache(tempDir(), recorder());
  await assert.rejects(cache.get('../../etc/passwd', NOW, 0), InternalError);
  await assert.rejects(cache.put('A'.repeat(64), entry(60)), InternalError);
});
