// Runs a command under a Node that stsx supports, fetching Node 24 first when the running one is
// too old: the machines users and CI start from ship Node 20. `npm test`, `npm run demo` and
// .ci/run all come through here, so there is one way Node (and nushell) is provisioned.
//
//   node scripts/with-node.mjs [--deps] [--nu] <command> [args...]
//        run the command; --deps: run `npm ci` first when node_modules is missing;
//        --nu: put nushell on PATH, installing it first (the shell tests need it)
//   node scripts/with-node.mjs --bin        print the directory of that Node
//   node scripts/with-node.mjs --nu-bin     print the directory of nushell, installing it first
//
// Plain JavaScript on purpose, and nothing newer than Node 18: it must run on the old Node.
// Node 24 comes from the npm registry (the `node` package carries the binary) into
// $STSX_NODE_PREFIX, else <XDG_CACHE_HOME or ~/.cache>/stsx-ci/node24, and is reused from there.
// nushell likewise (the `nushell` package; Debian has none) into $STSX_NU_PREFIX, else
// <cache>/stsx-ci/nushell. It is not a devDependency: the registry carries only some platforms'
// builds of it, so a lock that names it cannot be verified by `npm ci` everywhere.
// npm runs under the chosen Node, with its output kept back unless it fails: a clean run prints
// one line per thing fetched, not npm's warnings about the old Node or its progress.
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

/** The nushell release the tests are written against. */
const NU_VERSION = '0.115.1';

function cacheDir(name) {
  const cache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(cache, 'stsx-ci', name);
}

function prefix() {
  return env.STSX_NODE_PREFIX ? path.resolve(env.STSX_NODE_PREFIX) : cacheDir('node24');
}

function versionOf(exe) {
  if (!existsSync(exe)) return undefined;
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * npm as the caller ran it (npm sets npm_execpath), else the one on PATH, run by `node` (the
 * supported Node once it is known: npm under the old one warns about every package whose
 * "engines" excludes it). Its output is kept and written to stderr only when it fails.
 */
function npm(args, options, node = process.execPath) {
  const cli = env.npm_execpath;
  const opts = { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options };
  const r = cli && /\.[cm]?js$/.test(cli)
    ? spawnSync(node, [cli, ...args], opts)
    : spawnSync('npm', args, { shell: win, ...opts });
  if (r.error) fail(`npm ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
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
  const code = npm(['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', 'node@24']);
  const fetched = versionOf(node);
  if (code !== 0 || !fetched || !nodeSupported(fetched)) fail(`could not install Node 24 into ${dir} (npm exit ${code}); install Node.js 24 yourself and try again`);
  return bin;
}

/** The directory of nushell's `nu`, installed from the npm registry into the cache if need be. */
function nuBinDir(node, childEnv) {
  const dir = env.STSX_NU_PREFIX ? path.resolve(env.STSX_NU_PREFIX) : cacheDir('nushell');
  const platform = win ? 'windows' : process.platform;
  const bin = path.join(dir, 'node_modules', '@nushell', `${platform}-${process.arch}`, 'bin');
  const nu = path.join(bin, win ? 'nu.exe' : 'nu');
  if (versionOf(nu) === NU_VERSION) return bin;
  process.stderr.write(`with-node: installing nushell ${NU_VERSION} (for the shell tests) from the npm registry into ${dir}\n`);
  mkdirSync(dir, { recursive: true });
  const code = npm(['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `nushell@${NU_VERSION}`], { env: childEnv }, node);
  if (code !== 0 || versionOf(nu) !== NU_VERSION) fail(`could not install nushell ${NU_VERSION} for ${platform}-${process.arch} into ${dir} (npm exit ${code}); install nu ${NU_VERSION} yourself (https://www.nushell.sh/book/installation.html) and put it on PATH`);
  return bin;
}

const args = process.argv.slice(2);
const bin = nodeBinDir();
const node = nodeSupported(process.versions.node) ? process.execPath : path.join(bin, win ? 'node.exe' : 'node');
// The chosen Node first on PATH: `node` in the command, in npm scripts and in npm's shebang is it.
const childEnv = { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ''}` };
delete childEnv.npm_node_execpath;
delete childEnv.NODE;
if (args[0] === '--bin' || args[0] === '--nu-bin') {
  process.stdout.write(`${args[0] === '--bin' ? bin : nuBinDir(node, childEnv)}\n`);
  process.exit(0);
}
const flags = new Set();
while (args[0] === '--deps' || args[0] === '--nu') flags.add(args.shift());
const command = args;
if (command.length === 0) fail('usage: node scripts/with-node.mjs [--deps] [--nu] <command> [args...] | --bin | --nu-bin');

if (flags.has('--deps') && !existsSync(path.join(root, 'node_modules'))) {
  process.stderr.write('with-node: node_modules is missing; installing the dependencies (npm ci)\n');
  const code = npm(['ci', '--no-audit', '--no-fund'], { cwd: root, env: childEnv }, node);
  if (code !== 0) process.exit(code);
}
if (flags.has('--nu')) childEnv.PATH = `${nuBinDir(node, childEnv)}${path.delimiter}${childEnv.PATH}`;
const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: childEnv, shell: win });
if (r.error) fail(`${command[0]}: ${r.error.message}`);
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
