// The single executables in dist-bin/ (npm run test:binary builds them first): every file the
// manifest lists is the platform's executable format with the SEA fuse flipped and the blob
// inside; the linux-x64 one runs with no node on PATH (the integration tests run it fully).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executableKind, injectionProblems } from '../../scripts/binaries/inspect.ts';
import { HOST_TARGET, TARGETS, type Manifest } from '../../scripts/binaries/targets.ts';
import { hasSignature } from '../../scripts/binaries/unsign.ts';
import { ROOT } from '../support/run-cli.ts';
import { spawnCollect } from '../support/spawn-collect.ts';

const dir = path.join(ROOT, 'dist-bin');
const manifestFile = path.join(dir, 'manifest.json');
if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run \`npm run build:binaries\` first`);
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
const pkgVersion = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('the manifest lists the host binary and only known targets', () => {
  assert.ok(manifest.binaries.some((b) => b.target === HOST_TARGET), `no ${HOST_TARGET} binary in ${manifestFile}`);
  for (const b of manifest.binaries) assert.ok(TARGETS.some((t) => t.name === b.target && t.file === b.file), `unknown target ${b.target}`);
});

for (const b of manifest.binaries) {
  test(`${b.file}: ${b.target} executable with the stsx blob injected (${(b.bytes / 1e6).toFixed(1)} MB, Node ${b.node})`, () => {
    const bytes = readFileSync(path.join(dir, b.file));
    const blob = readFileSync(path.join(dir, b.blob));
    assert.equal(executableKind(bytes.subarray(0, 4096)), TARGETS.find((t) => t.name === b.target)?.kind);
    assert.deepEqual(injectionProblems(bytes, blob), []);
    assert.equal(bytes.length, b.bytes);
    // The vendor's signature is removed before injecting (it no longer matches the file after).
    if (b.target === 'win-x64' || b.target === 'darwin-arm64') assert.equal(hasSignature(bytes), false, 'a stale code signature is left in the file');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), b.sha256);
    // An official Node binary is 60-130 MB; far outside that, something other than Node + stsx is in the file.
    assert.ok(b.bytes > 60e6 && b.bytes < 160e6, `${b.file} is ${b.bytes} bytes`);
    assert.ok(blob.includes(`"${pkgVersion}"`), 'the blob carries this version of stsx');
    // Only the host's binary may carry V8's code cache: it is specific to the V8 build and CPU.
    assert.ok(!b.codeCache || b.target === HOST_TARGET, 'code cache in a binary for another platform');
  });
}

test('the linux-x64 binary runs with no node on PATH', async () => {
  const host = manifest.binaries.find((b) => b.target === HOST_TARGET);
  assert.ok(host);
  // A PATH with nothing but the shell tools: no Node, whatever this machine has.
  const tools = mkdtempSync(path.join(os.tmpdir(), 'stsx-no-node-'));
  for (const tool of ['sh', 'env', 'cat']) symlinkSync(`/bin/${tool}`, path.join(tools, tool));
  const env = { PATH: tools, HOME: tools, LANG: 'C.UTF-8', AWS_CONFIG_FILE: path.join(tools, 'none'), AWS_EC2_METADATA_DISABLED: 'true' };
  for (const args of [['--version'], ['decode', '--help']]) {
    const r = await spawnCollect(path.join(dir, host.file), args, { env, timeoutMs: 30000 });
    assert.equal(r.code, 0, r.stderr);
    if (args[0] === '--version') assert.equal(r.stdout, `${pkgVersion}\n`);
    else assert.match(r.stdout, /^Usage: stsx decode/);
  }
});
