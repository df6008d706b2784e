// The single executable's --debug frames: its bundle's source map is built and named as an SEA
// asset, and frames that point into the minified bundle map back to src/*.ts lines. Checked on
// the executable's own bundle, run by node (building the executable itself takes minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleForSea, seaConfig } from '../../scripts/binaries/bundle.ts';
import { mapFrames, SEA_MAP_ASSET } from '../../src/debug-frames.ts';

test('the executable bundle has a source map, embedded as an asset, and --debug frames map to src/*.ts', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-sea-map-'));
  const bundle = path.join(dir, 'stsx.cjs');
  await bundleForSea(bundle);
  assert.ok(existsSync(`${bundle}.map`), 'the map is written next to the bundle');
  assert.doesNotMatch(readFileSync(bundle, 'utf8').slice(-300), /sourceMappingURL/, 'the bundle names no map file');
  const parts = { main: path.join(dir, 'sea-main.cjs'), bundles: { quick: 'q', hit: 'h', sts: 's', stsx: bundle }, bytes: 0 };
  const assets = seaConfig(parts, path.join(dir, 'blob'), false).assets as Record<string, string>;
  assert.equal(assets[SEA_MAP_ASSET], `${bundle}.map`);
  assert.equal(assets['stsx.cjs'], bundle, 'the CLI is the asset src/sea-main.ts runs as stsx.cjs, the name the map is for');

  // A failure with --debug, from the bundle as the executable runs it: its frames are minified.
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-west-1' };
  const run = await promisify(execFile)(process.execPath, [bundle, 'assume', '--role-arn', 'arn:aws:iam::123456789012:role/x', '--profile', 'nope', '--debug'], { env }).then(
    () => assert.fail('the run fails'),
    (error: { stderr: string }) => error,
  );
  const frames = run.stderr.split('\n').filter((l) => /^\s+at /.test(l));
  const ours = frames.filter((l) => l.includes(`${bundle}:`));
  assert.ok(ours.length > 0, run.stderr);
  const mapped = mapFrames(run.stderr, new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]), (file) => file === bundle);
  assert.ok(!mapped.includes(`${bundle}:`), mapped);
  assert.match(mapped, /^\s+at .*\(?src\/[\w/-]+\.ts:\d+:\d+\)?$/m);
  rmSync(dir, { recursive: true, force: true });
});

test('mapFrames keeps the frame shape (named, anonymous, async) and leaves other files alone', () => {
  const map = { findEntry: (line: number, column: number) => (line === 0 ? { originalSource: '../../src/sts/session.ts', originalLine: column, originalColumn: 2 } : {}) };
  const stack = ['Error: x', '    at W0 (/build/.work/stsx.cjs:1:11)', '    at async /build/.work/stsx.cjs:1:21', '    at async Hr (node:internal/x:5:6)', '    at Q (/build/.work/stsx.cjs:9:1)'].join('\n');
  assert.equal(mapFrames(stack, map, (f) => f.endsWith('stsx.cjs')), ['Error: x', '    at W0 (src/sts/session.ts:11:3)', '    at async src/sts/session.ts:21:3', '    at async Hr (node:internal/x:5:6)', '    at Q (/build/.work/stsx.cjs:9:1)'].join('\n'));
});
