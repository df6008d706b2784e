// `npm test` and `npm run demo` on a machine that has only Node 20: scripts/with-node.mjs fetches
// Node 24 from the npm registry into the user's cache (saying so in one line), installs the
// dependencies when node_modules is missing, installs nushell for `npm test`, and runs the command
// under Node 24, with one line per thing fetched and nothing of npm's. The registry is the npm
// cache here (--offline): CI's own provisioning put node@24, nushell and the dependencies there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCollect } from '../support/spawn-collect.ts';
import { ROOT } from '../support/run-cli.ts';
import { oldNode } from '../support/old-node.ts';

test('package.json: test, demo and bench run through with-node and install missing dependencies', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['test', 'demo', 'bench']) assert.match(pkg.scripts[name] ?? '', /^node scripts\/with-node\.mjs --deps (--nu )?npm run /, name);
  assert.match(pkg.scripts.test ?? '', /^node scripts\/with-node\.mjs --deps --nu npm run test:run$/, 'npm test provisions nushell');
  assert.match(pkg.scripts.build ?? '', /^node scripts\/with-node\.mjs node scripts\/build\.ts$/);
});

test('on Node 20 with no node_modules: Node 24 and nushell are fetched once, the dependencies installed, the command run under Node 24, nothing of npm printed', async (t) => {
  const { node } = oldNode();
  const work = mkdtempSync(path.join(os.tmpdir(), 'stsx-with-node-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  // A fresh checkout's files that matter here: no node_modules, no Node 24 in this cache.
  const repo = path.join(work, 'repo');
  for (const file of ['package.json', 'package-lock.json', 'scripts/with-node.mjs', 'bin/node-support.js']) {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(repo, file));
  }
  const env: Record<string, string> = {
    PATH: `${path.dirname(node)}${path.delimiter}/usr/bin${path.delimiter}/bin`,
    HOME: path.join(work, 'home'),
    XDG_CACHE_HOME: path.join(work, 'home', '.cache'),
    npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), '.npm'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    // As `npm test` runs it: npm sets npm_execpath to its own script, which the old Node ran.
    npm_execpath: realpathSync(path.join(path.dirname(node), 'npm')),
  };
  const probe = "console.log(process.version, require('node:fs').existsSync('node_modules/esbuild/package.json'), require('node:child_process').execSync('nu --version', { encoding: 'utf8' }).trim())";
  const first = await spawnCollect(node, ['scripts/with-node.mjs', '--deps', '--nu', 'node', '-e', probe], { env, cwd: repo, input: '', timeoutMs: 300000 });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^v24\.\d+\.\d+ true 0\.115\.1\n$/);
  const prefix = path.join(work, 'home', '.cache', 'stsx-ci', 'node24');
  const nuPrefix = path.join(work, 'home', '.cache', 'stsx-ci', 'nushell');
  const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Exactly one line per thing provisioned: no EBADENGINE blocks, no npm warnings, no npm summary.
  const lines = first.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 3, first.stderr);
  assert.match(lines[0] ?? '', new RegExp(`^with-node: this is Node\\.js v\\d+\\.\\d+\\.\\d+, stsx needs Node\\.js 22\\.21\\+ or 24\\.5\\+; fetching Node 24 from the npm registry into ${re(prefix)}$`));
  assert.equal(lines[1], 'with-node: node_modules is missing; installing the dependencies (npm ci)');
  assert.equal(lines[2], `with-node: installing nushell 0.115.1 (for the shell tests) from the npm registry into ${nuPrefix}`);
  assert.ok(existsSync(path.join(repo, 'node_modules', 'esbuild')));
  const nuBin = await spawnCollect(node, ['scripts/with-node.mjs', '--nu-bin'], { env, cwd: repo, input: '', timeoutMs: 60000 });
  assert.equal(nuBin.stdout, `${path.join(nuPrefix, 'node_modules', '@nushell', `${process.platform}-${process.arch}`, 'bin')}\n`, nuBin.stderr);

  // The second run reuses all three: no fetch, no install, same Node.
  const second = await spawnCollect(node, ['scripts/with-node.mjs', '--deps', '--nu', 'node', '-e', probe], { env, cwd: repo, input: '', timeoutMs: 60000 });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^v24\..* 0\.115\.1\n$/);
  assert.equal(second.stderr, '');
  const bin = await spawnCollect(node, ['scripts/with-node.mjs', '--bin'], { env, cwd: repo, input: '', timeoutMs: 60000 });
  assert.equal(bin.stdout, `${path.join(prefix, 'node_modules', 'node', 'bin')}\n`);
  // The exit status of the command is passed on.
  const failing = await spawnCollect(node, ['scripts/with-node.mjs', 'node', '-e', 'process.exit(7)'], { env, cwd: repo, input: '', timeoutMs: 60000 });
  assert.equal(failing.code, 7);
});
