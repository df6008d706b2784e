// build:binaries injects with postject, whose LIEF prints 9 "Can't find string offset" warnings per
// build for the note sections of Node's ELF binary: they are dropped, other lines are kept, and the
// blob still goes in. Run on a copy of the Node running the tests (an official linux-x64 build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPostjectNoise } from '../../scripts/binaries/quiet-inject.ts';
import { SEA_FUSE } from '../../scripts/binaries/inspect.ts';

test('the note-section warnings are noise; anything else is not', () => {
  assert.equal(isPostjectNoise("warning: Can't find string offset for section name '.note.100'"), true);
  assert.equal(isPostjectNoise("warning: Can't find string offset for section name '.note'"), true);
  assert.equal(isPostjectNoise('warning: The signature seems corrupted!'), false);
  assert.equal(isPostjectNoise("warning: Can't find string offset for section name '.text'"), false);
});

test('injecting into the Node binary prints nothing, and the blob is in it', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-inject-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const exe = path.join(dir, 'node');
  copyFileSync(process.execPath, exe);
  const script = `import { injectQuietly } from ${JSON.stringify(path.resolve('scripts/binaries/quiet-inject.ts'))};
await injectQuietly(${JSON.stringify(exe)}, 'NODE_SEA_BLOB', Buffer.from('stsx-test-blob-1234'), { sentinelFuse: ${JSON.stringify(SEA_FUSE)} }, (l) => process.stderr.write('kept: ' + l + '\\n'));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '');
  assert.ok(readFileSync(exe).includes('stsx-test-blob-1234'));
});
