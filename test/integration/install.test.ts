// The packed tarball as `npm install -g` installs it: no dependency to download (the bundle
// carries them), no build metadata, and the installed CLI answers --version and --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCollect } from '../support/spawn-collect.ts';
import { ROOT, sandbox } from '../support/run-cli.ts';

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(path.join(dir, entry));
    if (st.isFile()) total += st.size;
  }
  return total;
}

test('the packed tarball installs offline with no runtime dependencies and runs', async (t) => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'stsx-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const box = sandbox();
  // npm is run by the Node that runs the tests; its cache is a fresh one, so an install that
  // needed any package from a registry would fail under --offline.
  const env = { ...box.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
  const npm = (args: string[]): ReturnType<typeof spawnCollect> => spawnCollect('npm', args, { env, cwd: ROOT, input: '', timeoutMs: 120000, what: `npm ${args.join(' ')}` });

  const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work]);
  assert.equal(pack.code, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(info);
  const files = info.files.map((f) => f.path);
  assert.ok(files.includes('bin/stsx.js') && files.includes('dist/stsx.js'), files.join(' '));
  assert.ok(!files.includes('dist/meta.json'), 'dist/meta.json is build metadata, not shipped');
  assert.deepEqual(files.filter((f) => !/^(bin|dist)\/|^(package\.json|README\.md|LICENSE)$/.test(f)), []);

  const prefix = path.join(work, 'prefix');
  const install = await npm(['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(work, info.filename)]);
  assert.equal(install.code, 0, install.stderr);
  const installed = path.join(prefix, 'lib', 'node_modules', 'stsx');
  assert.equal(existsSync(path.join(installed, 'node_modules')), false, 'no dependencies installed');
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string; dependencies?: object };
  assert.equal(pkg.dependencies, undefined);
  const size = sizeOf(installed);
  t.diagnostic(`installed size: ${(size / 1024).toFixed(0)} kB`);
  // 3.5 MiB: dist/sts.js (0.65 MB) holds again the AWS SDK code the CLI's chunks hold, the price
  // of whoami and a cold assume from one file (docs/development.md, Dependencies).
  assert.ok(size < 3.5 * 1024 * 1024, `installed size ${size} bytes`);

  const stsx = path.join(prefix, 'bin', 'stsx');
  const version = await spawnCollect(stsx, ['--version'], { env: box.env, input: '', timeoutMs: 20000 });
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `${pkg.version}\n`);
  const help = await spawnCollect(stsx, ['--help'], { env: box.env, input: '', timeoutMs: 20000 });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: stsx /);
  assert.match(help.stdout, /assume/);
});
