// The single executable compiles its bundles with V8 code caches it writes in the user's cache
// directory (src/sea-main.ts): code it will run, so only from a private directory of the user's,
// named by the bundle's hash, and a cache file that is damaged is recompiled over, never trusted.
// Run by `npm run test:binary` (scripts/test-binary.ts), against the executable it built; the npm
// package uses Node's own compile cache instead (launcher.test.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, sandbox, STSX_BINARY } from '../support/run-cli.ts';

if (STSX_BINARY === undefined) throw new Error('STSX_TEST_BINARY is not set: run this file through `npm run test:binary`');
let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

test('code caches: written 0600 in a 0700 directory after a first run, reused, a damaged one recompiled over; a directory others may write, a symlink or STSX_NO_CODE_CACHE=1: none', async () => {
  const u = sts.addUser({ userName: 'codecache' });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const dir = path.join(box.env.XDG_CACHE_HOME ?? '', 'stsx', 'code-cache');
  const whoami = async (env: Record<string, string> = {}): Promise<void> => {
    const r = await runStsx(['whoami', '--query', 'Arn'], { env: { ...box.env, ...env } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${u.arn}\n`);
    assert.equal(r.stderr, '');
  };
  const stsCache = (): string | undefined => (existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('sts-')) : undefined);

  await whoami();
  const file = stsCache();
  assert.ok(file, `a cache for dist/sts.js's bundle: ${existsSync(dir) ? readdirSync(dir).join(', ') : 'no directory'}`);
  assert.match(file, /^sts-[0-9a-f]{32}-v\d+\.\d+\.\d+-\w+\.v8$/);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(dir, file)).mode & 0o777, 0o600);
  const good = readFileSync(path.join(dir, file));
  assert.ok(good.length > 10_000, String(good.length));
  await whoami();
  assert.deepEqual(readFileSync(path.join(dir, file)), good, 'an accepted cache is kept as it is');

  // Damaged: garbage, or cut in half. V8 rejects it; the run compiles and writes a good one.
  for (const damaged of [Buffer.from('not a code cache at all'), good.subarray(0, good.length >> 1)]) {
    writeFileSync(path.join(dir, file), damaged);
    await whoami();
    assert.ok(readFileSync(path.join(dir, file)).length > 10_000, 'written again');
  }

  // Huge (past 64 MiB, sparse): not read, written anew.
  writeFileSync(path.join(dir, file), '');
  truncateSync(path.join(dir, file), 80 * 1024 * 1024);
  await whoami();
  assert.ok(statSync(path.join(dir, file)).size < 64 * 1024 * 1024, 'a huge cache is replaced, not read');

  // A directory others may write is not used (nor made private behind the user's back).
  const moved = `${dir}.before`;
  renameSync(dir, moved);
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  await whoami();
  assert.deepEqual(readdirSync(dir), [], 'nothing written in a directory others may write');
  assert.equal(statSync(dir).mode & 0o777, 0o777);

  // A symlink in its place, even to a private directory of the user's, is not used either.
  renameSync(dir, `${dir}.open`);
  symlinkSync(moved, dir);
  const before = readdirSync(moved).length;
  writeFileSync(path.join(moved, file), 'planted');
  await whoami();
  assert.equal(readFileSync(path.join(moved, file), 'utf8'), 'planted', 'a cache behind a symlink is neither read nor rewritten');
  assert.equal(readdirSync(moved).length, before);

  // Switched off.
  const off = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, STSX_NO_CODE_CACHE: '1' });
  const r = await runStsx(['whoami', '--query', 'Arn'], { env: off.env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(path.join(off.env.XDG_CACHE_HOME ?? '', 'stsx', 'code-cache')));
});
