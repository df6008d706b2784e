import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cacheDir } from '../../src/cache/cache-dir.ts';
import { accountFromArn, maskAccessKeyId } from '../../src/cache/cache-entry.ts';
import { openCache } from '../../src/cache/credential-cache.ts';
import { cacheListJson, cacheListText } from '../../src/cache/render-list.ts';
import { runCacheClear, runCacheList } from '../../src/commands/cache.ts';
import type { CommandContext } from '../../src/steps/command-context.ts';
import { fakeDeps } from '../support/fake-deps.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { entry, KEY_A, KEY_B, NOW, recorder, SECRET, TOKEN, tempDir } from '../fixtures/cache/entries.ts';

const dirs: [string, Record<string, string>, string, NodeJS.Platform, string][] = [
  ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/xdg' }, '/home/a', 'linux', '/xdg/stsx'],
  ['a relative XDG_CACHE_HOME is ignored', { XDG_CACHE_HOME: 'rel' }, '/home/a', 'linux', '/home/a/.cache/stsx'],
  ['~/.cache', {}, '/home/a', 'linux', '/home/a/.cache/stsx'],
  ['~/.cache on macOS', {}, '/Users/a', 'darwin', '/Users/a/.cache/stsx'],
  ['LOCALAPPDATA on Windows', { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'C:\\Users\\a', 'win32', 'C:\\Users\\a\\AppData\\Local\\stsx'],
  ['Windows without LOCALAPPDATA', {}, 'C:\\Users\\a', 'win32', 'C:\\Users\\a\\AppData\\Local\\stsx'],
];
for (const [name, env, home, platform, expected] of dirs) {
  test(`cache directory: ${name}`, () => assert.equal(cacheDir(env, home, platform), expected));
}

test('masking keeps 4 characters at each end, and nothing of a short id', () => {
  assert.equal(maskAccessKeyId('ASIAIOSFODNN7EXAMPLE'), 'ASIA****MPLE');
  assert.equal(maskAccessKeyId('ASIA1234'), '****');
  assert.equal(accountFromArn('arn:aws:sts::123456789012:assumed-role/demo/s'), '123456789012');
  assert.equal(accountFromArn('nonsense'), undefined);
});

const listed = [
  { ...entry(42), key: KEY_A },
  { ...entry(600, { kind: 'session-token', roleArn: undefined, sessionName: undefined, assumedRoleArn: undefined, mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' }), key: KEY_B },
];

for (const [name, text] of [['text', cacheListText(listed, NOW)], ['json', cacheListJson(listed, NOW)]] as const) {
  test(`the ${name} listing never contains a secret, only the masked key id`, () => {
    for (const secret of [SECRET, TOKEN, 'ASIAIOSFODNN7EXAMPLE', SECRET.slice(0, 12), TOKEN.slice(-12)]) assert.ok(!text.includes(secret), secret);
    assert.ok(text.includes('ASIA****MPLE'));
  });
}

test('the text listing: role or "session token", session, region, endpoint host, expiry and time left', () => {
  const lines = cacheListText(listed, NOW).trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', /^KIND +ROLE +SESSION +MFA +REGION +ENDPOINT +EXPIRES +ACCESS KEY$/);
  assert.match(lines[1] ?? '', /^assume-role +arn:aws:iam::123456789012:role\/demo +my-session +no +eu-west-1 +sts\.eu-west-1\.amazonaws\.com +2026-11-22T10:42:00Z \(in 42m\) +ASIA\*\*\*\*MPLE$/);
  assert.match(lines[2] ?? '', /^session-token +session token +- +yes +eu-west-1 .* \(in 10h\) /);
});

test('the JSON listing is an array of rows with remaining seconds', () => {
  const rows = JSON.parse(cacheListJson(listed, NOW)) as Record<string, unknown>[];
  assert.equal(rows.length, 2);
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['key', 'kind', 'roleArn', 'sessionName', 'assumedRoleArn', 'account', 'mfa', 'mfaSerial', 'region', 'endpoint', 'createdAt', 'expiration', 'remainingSeconds', 'accessKeyId']);
  assert.equal(rows[0]?.remainingSeconds, 42 * 60);
  assert.equal(rows[1]?.roleArn, null);
  // An MFA session is told from a plain one.
  assert.deepEqual([rows[0]?.mfa, rows[0]?.mfaSerial], [false, null]);
  assert.deepEqual([rows[1]?.mfa, rows[1]?.mfaSerial], [true, 'arn:aws:iam::123456789012:mfa/alice']);
});

test('the MFA device survives the round trip through the cache file', async () => {
  const dir = tempDir();
  const cache = openCache(dir, recorder());
  await cache.put(KEY_A, entry(60, { mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' }));
  await cache.put(KEY_B, entry(30));
  const [plain, mfa] = await cache.list(NOW);
  assert.equal(plain?.mfaSerial, undefined);
  assert.equal(mfa?.mfaSerial, 'arn:aws:iam::123456789012:mfa/alice');
});

test('a relative home directory is a configuration error, never a cache under the current directory', () => {
  for (const home of ['rel/home', '', '.']) {
    assert.throws(() => cacheDir({}, home, 'linux'), (e: unknown) => e instanceof ConfigError && /not an absolute path/.test(e.message) && e.exitCode === 3);
  }
  assert.throws(() => cacheDir({}, 'Users\\a', 'win32'), ConfigError);
  // XDG_CACHE_HOME (absolute) needs no home directory at all.
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/xdg' }, 'rel', 'linux'), '/xdg/stsx');
});

function context(xdg: string): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const log = recorder();
  const deps = fakeDeps({
    env: { XDG_CACHE_HOME: xdg },
    homedir: '/nonexistent',
    platform: process.platform,
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    now: () => NOW,
  });
  const diag = {
    ...log,
    note: (t: string) => err.push(`stsx: ${t}\n`),
    warn: (t: string) => err.push(`stsx: warning: ${t}\n`),
    info: () => undefined,
    debugEnabled: false,
    colour: (t: string) => t,
  };
  return { ctx: { deps, flags: { debug: false }, diag }, out, err };
}

async function seeded(): Promise<string> {
  const xdg = tempDir();
  const cache = openCache(path.join(xdg, 'stsx'), recorder());
  await cache.put(KEY_A, entry(42));
  await cache.put(KEY_B, entry(42, { roleArn: 'arn:aws:iam::123456789012:role/other' }));
  await cache.put('c'.repeat(64), entry(42, { kind: 'session-token', roleArn: undefined }));
  return xdg;
}

test('stsx cache list: text by default, json on request, nothing secret on either stream', async () => {
  const xdg = await seeded();
  const text = context(xdg);
  await runCacheList(text.ctx, {});
  assert.equal(text.out.join('').trimEnd().split('\n').length, 4);
  const json = context(xdg);
  await runCacheList(json.ctx, { output: 'json' });
  assert.equal((JSON.parse(json.out.join('')) as unknown[]).length, 3);
  for (const all of [text, json].map((c) => c.out.join('') + c.err.join(''))) {
    assert.ok(!all.includes(SECRET) && !all.includes(TOKEN));
  }
});

test('stsx cache list on an empty cache: nothing on stdout (text) or [] (json), a note on stderr', async () => {
  const text = context(tempDir());
  await runCacheList(text.ctx, { output: 'text' });
  assert.deepEqual(text.out, []);
  assert.match(text.err.join(''), /no cached credentials in /);
  const json = context(tempDir());
  await runCacheList(json.ctx, { output: 'json' });
  assert.equal(json.out.join(''), '[]\n');
});

test('stsx cache list refuses an unknown --output', async () => {
  await assert.rejects(runCacheList(context(tempDir()).ctx, { output: 'yaml' }), UsageError);
});

test('stsx cache clear --role-arn removes that role only and says how many on stderr', async () => {
  const xdg = await seeded();
  const one = context(xdg);
  await runCacheClear(one.ctx, { roleArn: 'arn:aws:iam::123456789012:role/other' });
  assert.deepEqual(one.out, []);
  assert.match(one.err.join(''), /^stsx: removed 1 cached credential for arn:aws:iam::123456789012:role\/other from /);
  const all = context(xdg);
  await runCacheClear(all.ctx, {});
  assert.match(all.err.join(''), /^stsx: removed 2 cached credentials from /);
  await assert.rejects(runCacheClear(context(xdg).ctx, { roleArn: 'demo' }), UsageError);
});
