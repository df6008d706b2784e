import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
  ['wrong version', good.replace('"version":2', '"version":1')],
  ['no version', good.replace('"version":2,', '')],
  ['missing session token', good.replace(/"sessionToken":"[^"]*",/, '')],
  ['unparseable expiration', good.replace(/"expiration":"[^"]*"/g, '"expiration":"soon"')],
  ['an array', '[1,2,3]'],
  // Wrong member values, each of which once reached a command: all are misses.
  ['endpoint that is not a URL', good.replace(/"endpoint":"[^"]*"/, '"endpoint":"not a url"')],
  ['endpoint that is not http(s)', good.replace(/"endpoint":"[^"]*"/, '"endpoint":"file:///etc/passwd"')],
  ['endpoint with a password in it', good.replace(/"endpoint":"[^"]*"/, '"endpoint":"https://bob:pw@sts.eu-west-1.amazonaws.com/"')],
  ['endpoint that is a number', good.replace(/"endpoint":"[^"]*"/, '"endpoint":42')],
  ['region that is not a region', good.replace(/"region":"[^"]*"/, '"region":"eu-west-1\\u001b[31m"')],
  ['region that is an object', good.replace(/"region":"[^"]*"/, '"region":{"a":1}')],
  ['kind that is unknown', good.replace(/"kind":"[^"]*"/, '"kind":"web-identity"')],
  ['role ARN with a control character', good.replace(/"roleArn":"[^"]*"/, '"roleArn":"arn:aws:iam::123456789012:role/demo\\u0007"')],
  ['session name with an escape sequence', good.replace(/"sessionName":"[^"]*"/, '"sessionName":"a\\u001b]0;pwned\\u0007"')],
  ['account that is a number', good.replace(/"account":"[^"]*"/, '"account":123456789012')],
  ['MFA serial that is true', good.replace(/"mfaSerial":null/, '"mfaSerial":true')],
  ['access key id with a newline', good.replace(/"accessKeyId":"[^"]*"/, '"accessKeyId":"ASIA\\nEXAMPLEEXAMPLE"')],
  ['secret key that is an array', good.replace(/"secretAccessKey":"[^"]*"/, '"secretAccessKey":["x"]')],
  ['expiration that is a bare year', good.replace(/"expiration":"[^"]*"/g, '"expiration":"2099"')],
  ['expiration that is a number', good.replace(/"expiration":"[^"]*"/g, '"expiration":4102444800000')],
  ['credentials that are a string', good.replace(/"credentials":\{[^}]*\}/, '"credentials":"x"')],
  ['assume-role entry without a role', good.replace(/"roleArn":"[^"]*",/, '')],
  ['role ARN that is an object with a toString member', good.replace(/"roleArn":"[^"]*"/, '"roleArn":{"toString":1}')],
  ['region with a terminal title sequence', good.replace(/"region":"[^"]*"/, '"region":"eu-central-1\\u001b]0;pwned\\u0007"')],
];
for (const [name, text] of corrupt) {
  test(`a corrupt entry (${name}) is ignored without a warning, removed, then replaced`, async () => {
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

test('an empty directory where an entry should be is removed, so the entry can be written again', async () => {
  const dir = tempDir();
  const log = recorder();
  const cache = openCache(dir, log);
  mkdirSync(path.join(dir, `${KEY_A}.json`));
  assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
  await cache.put(KEY_A, entry(60));
  assert.deepEqual(await cache.get(KEY_A, NOW, 0), entry(60));
  assert.deepEqual(log.warnings, []);
});

// Each of these once hung or failed every command; each must be a quick miss that the next write replaces.
const tampered: [string, (file: string) => void][] = [
  ['a FIFO', (file) => execFileSync('mkfifo', [file])],
  ['a symlink to a good entry elsewhere', (file) => { const other = path.join(tempDir(), 'x.json'); writeFileSync(other, serializeEntry(entry(60))); symlinkSync(other, file); }],
  ['a dangling symlink', (file) => symlinkSync('/nonexistent/stsx', file)],
  ['a huge file', (file) => writeFileSync(file, `${serializeEntry(entry(60)).trimEnd().slice(0, -1)},"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`)],
];
for (const [name, make] of tampered) {
  test(`${name} in the cache directory is a miss, then replaced; list and clear cope too`, { skip: !posix, timeout: 10_000 }, async () => {
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const file = path.join(dir, `${KEY_A}.json`);
    make(file);
    const cache = openCache(dir, recorder());
    assert.equal(await cache.get(KEY_A, NOW, 0), undefined);
    assert.deepEqual(await cache.list(NOW), []);
    await cache.put(KEY_A, entry(60));
    assert.ok(lstatSync(file).isFile());
    assert.deepEqual(await cache.get(KEY_A, NOW, 0), entry(60));
    assert.equal(await cache.clear(), 1);
  });
}

test('a FIFO under an entry name does not hang cache clear --role-arn', { skip: !posix, timeout: 10_000 }, async () => {
  const dir = tempDir();
  execFileSync('mkfifo', [path.join(dir, `${KEY_A}.json`)]);
  assert.equal(await openCache(dir, recorder()).clear({ roleArn: 'arn:aws:iam::123456789012:role/demo' }), 0);
});

test('a password in the endpoint URL never reaches the cache file', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  await cache.put(KEY_A, entry(60, { endpoint: 'http://bob:hunter2@127.0.0.1:9/' }));
  const text = readFileSync(path.join(dir, `${KEY_A}.json`), 'utf8');
  assert.ok(!text.includes('hunter2') && !text.includes('bob'), text);
  assert.equal((await cache.get(KEY_A, NOW, 0))?.endpoint, 'http://127.0.0.1:9/');
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
  assert.deepEqual(Object.keys(data), ['version', 'kind', 'roleArn', 'sessionName', 'assumedRoleArn', 'account', 'region', 'endpoint', 'mfaSerial', 'profile', 'createdAt', 'expiration', 'credentials']);
  assert.equal(data.version, 2);
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
