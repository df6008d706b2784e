// The single executable's main script (scripts/binaries/bundle.ts): what bin/stsx.js is for the
// npm package. It answers --version itself and runs the bundle route.ts chooses, each carried as
// an asset: quick (quick-main.ts), hit (hit-main.ts), sts (sts-main.ts) and stsx (main.ts, the
// CLI). A main script is compiled whole at every start, so the executable's main is this small
// file, not the CLI: the CLI's ~1 MB was compiled by every run, --version and a cache hit included.
// Each bundle is compiled with a V8 code cache of its own, in the user's cache directory
// (code-cache/, private: files/private-dir.ts), written after a run that had none: it holds the
// functions that run compiled, not only the top level a build-time cache would.
import type * as Fs from 'node:fs';
import type * as Vm from 'node:vm';
import type * as Sea from 'node:sea';
import type * as Os from 'node:os';
import path from 'node:path';
import { route } from './route.ts';
import { VERSION } from './version.ts';
import { cacheDir } from './cache/cache-dir.ts';
import { isOwnPrivateDir } from './files/private-dir.ts';

/** The bundles, named as their assets (`<name>.cjs`), with their SHA-256 (the build defines them). */
declare const __STSX_SEA_BUNDLES__: Record<Bundle, string>;
type Bundle = 'quick' | 'hit' | 'sts' | 'stsx';

const req = (process.getBuiltinModule('node:module')).createRequire(process.execPath);
const fs = req('node:fs') as typeof Fs;

const argv = process.argv.slice(2);
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
void main();

async function main(): Promise<void> {
  const chosen = route(argv);
  if (chosen.path === 'version') {
    printVersion();
    return;
  }
  let next: 'plain' | 'cli' = chosen.path === 'plain' ? 'plain' : 'cli';
  // Each answers and ends the process, or says what is next (as in bin/stsx.js).
  if (chosen.path === 'quick') await (load('quick') as { runQuick(a: readonly string[]): Promise<false> }).runQuick(argv);
  if (chosen.path === 'assume') next = await (load('hit') as { runCachedAssume(a: readonly string[]): Promise<'plain' | 'cli'> }).runCachedAssume(argv);
  if (next === 'plain' && (await (load('sts') as { runPlainSts(a: readonly string[]): Promise<false> }).runPlainSts(argv))) return;
  load('stsx');
}

/** As main.ts prints it; a stdout that cannot be written is reported by the CLI, in its words. */
function printVersion(): void {
  try {
    fs.writeSync(1, `${VERSION}\n`);
  } catch {
    load('stsx');
  }
}

/** Runs a bundle (CommonJS, as esbuild wrote it) and returns its exports. */
function load(name: Bundle): unknown {
  const vm = req('node:vm') as typeof Vm;
  const sea = req('node:sea') as typeof Sea;
  const source = sea.getAsset(`${name}.cjs`, 'utf8');
  // The CLI's frames name stsx.cjs, which src/debug-frames.ts maps with the CLI's source map.
  const filename = path.join(path.dirname(process.execPath), `${name}.cjs`);
  const cacheFile = codeCacheFile(name);
  let cachedData: Buffer | undefined;
  try {
    // Bounded: a cache is a few times its bundle at most; anything larger is not ours to read.
    const size = cacheFile === undefined ? 0 : fs.statSync(cacheFile).size;
    cachedData = cacheFile !== undefined && size <= MAX_CACHE_BYTES ? fs.readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  // The wrapper on a line of its own, so the bundle's lines and columns are the map's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename,
    lineOffset: -1,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) process.once('exit', () => saveCodeCache(script, cacheFile));
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, req, module, process.execPath, path.dirname(process.execPath));
  return module.exports;
}

/** The bundle's code cache file, named by the bundle's and Node's versions; undefined: none (no private cache directory). */
function codeCacheFile(name: Bundle): string | undefined {
  if (process.env.STSX_NO_CODE_CACHE === '1') return undefined;
  try {
    const dir = path.join(cacheDir(process.env, (req('node:os') as typeof Os).homedir(), process.platform), 'code-cache');
    if (!isOwnPrivateDir(fs, dir, process.platform)) return undefined;
    return path.join(dir, `${name}-${__STSX_SEA_BUNDLES__[name].slice(0, 32)}-${process.version}-${process.arch}.v8`);
  } catch {
    return undefined;
  }
}

/** Written whole or not at all: a temporary file renamed into place. A failure only costs speed. */
function saveCodeCache(script: Vm.Script, file: string): void {
  const temp = `${file}.${String(process.pid)}.tmp`;
  try {
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}
