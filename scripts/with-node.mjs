// Runs a command under a Node that stsx supports, fetching Node 24 first when the running one is
// too old: the machines users and CI start from ship Node 20. `npm test`, `npm run demo` and
// .ci/run all come through here, so there is one way Node is provisioned.
//
//   node scripts/with-node.mjs [--deps] <command> [args...]   run the command; --deps: run `npm ci`
//                                                              first when node_modules is missing
//   node scripts/with-node.mjs --bin                           print the directory of that Node
//
// Plain JavaScript on purpose, and nothing newer than Node 18: it must run on the old Node.
// Node 24 comes from the npm registry (the `node` package carries the binary) into
// $STSX_NODE_PREFIX, else <XDG_CACHE_HOME or ~/.cache>/stsx-ci/node24, and is reused from there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeSupported, NEEDS } from '../bin/node-support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const win = process.platform === 'win32';
const env = process.env;

function fail(message) {
  process.stderr.write(`with-node: ${message}\n`);
  process.exit(1);
}

function prefix() {
  if (env.STSX_NODE_PREFIX) return path.resolve(env.STSX_NODE_PREFIX);
  const cache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(cache, 'stsx-ci', 'node24');
}

function versionOf(node) {
  if (!existsSync(node)) return undefined;
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** npm as the caller ran it (npm sets npm_execpath), else the one on PATH; its output goes to
 * stderr, so stdout carries only what the command prints. */
function npm(args, options) {
  const cli = env.npm_execpath;
  const stdio = ['inherit', 2, 'inherit'];
  const r = cli && /\.[cm]?js$/.test(cli)
    ? spawnSync(process.execPath, [cli, ...args], { stdio, ...options })
    : spawnSync('npm', args, { stdio, shell: win, ...options });
  if (r.error) fail(`npm ${args[0]}: ${r.error.message}`);
  return r.status ?? 1;
}

/** The directory of a supported Node: the running one, else Node 24 from the cache, fetched if need be. */
function nodeBinDir() {
  if (nodeSupported(process.versions.node)) return path.dirname(process.execPath);
  const dir = prefix();
  const bin = path.join(dir, 'node_modules', 'node', 'bin');
  const node = path.join(bin, win ? 'node.exe' : 'node');
  const found = versionOf(node);
  if (found && nodeSupported(found)) return bin;
  process.stderr.write(`with-node: this is Node.js ${process.version}, stsx needs ${NEEDS}; fetching Node 24 from the npm registry into ${dir}\n`);
  mkdirSync(dir, { recursive: true });
  const code = npm(['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', 'node@24']);
  const fetched = versionOf(node);
  if (code !== 0 || !fetched || !nodeSupported(fetched)) fail(`could not install Node 24 into ${dir} (npm exit ${code}); install Node.js 24 yourself and try again`);
  return bin;
}

const args = process.argv.slice(2);
const bin = nodeBinDir();
if (args[0] === '--bin') {
  process.stdout.write(`${bin}\n`);
  process.exit(0);
}
const deps = args[0] === '--deps';
const command = deps ? args.slice(1) : args;
if (command.length === 0) fail('usage: node scripts/with-node.mjs [--deps] <command> [args...] | --bin');

// The chosen Node first on PATH: `node` in the command, in npm scripts and in npm's shebang is it.
const childEnv = { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ''}` };
delete childEnv.npm_node_execpath;
delete childEnv.NODE;
if (deps && !existsSync(path.join(root, 'node_modules'))) {
  process.stderr.write('with-node: node_modules is missing; installing the dependencies (npm ci)\n');
  const code = npm(['ci', '--no-audit', '--no-fund'], { cwd: root, env: childEnv });
  if (code !== 0) process.exit(code);
}
const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: childEnv, shell: win });
if (r.error) fail(`${command[0]}: ${r.error.message}`);
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
