#!/usr/bin/env node
// Thin launcher, plain JavaScript that parses on any Node: first it checks the Node version (an
// older Node gets one line saying what to install, not a stack trace), then enables Node's compile
// cache in the user's cache directory (saves parsing on every later start; best-effort, never
// fatal), then loads the bundle. Built-ins come from process.getBuiltinModule, not imports: an
// import of a built-in costs start-up for --version too, and a named import of an export that an
// older Node lacks fails before any code runs.
import { nodeSupported, NEEDS } from './node-support.js';

const win = process.platform === 'win32';

if (!nodeSupported(process.versions.node)) {
  // Two ways out: a current Node, or the single binary, which needs none (built from a clone:
  // there is no download of it; the targets are those of scripts/binaries/targets.ts).
  const target = `${win ? 'win' : process.platform}-${process.arch}`;
  const file = ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-arm64'].includes(target) ? `dist-bin/stsx-${target}${win ? '.exe' : ''}` : 'dist-bin/';
  process.stderr.write(`stsx: this is Node.js ${process.version} (${process.execPath}); stsx needs ${NEEDS}\n`
    + '  hint: install a current Node.js (https://nodejs.org/en/download, or `nvm install 24`) and run stsx with it,\n'
    + `  or use the single binary, which needs no Node.js: in a clone of stsx, \`npm run build:binaries${file === 'dist-bin/' ? '' : ` -- --targets ${target}`}\` writes ${file}\n`);
  process.exitCode = 2;
} else {
  // Stack traces through the minified bundle name src/*.ts lines only when asked for: the maps
  // are read for modules loaded after this call, and normal start-up does not pay for them.
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  const env = process.env;
  const sep = win ? '\\' : '/';
  // The directory follows src/cache/cache-dir.ts (which the launcher cannot import: it runs before the bundle).
  // Only absolute directories: a relative HOME must not put the cache under the current directory.
  const absolute = (dir) => (dir && /^(\/|[A-Za-z]:\\)/.test(dir) ? dir : undefined);
  const base = absolute(env.XDG_CACHE_HOME) ?? (win ? absolute(env.LOCALAPPDATA) : absolute(env.HOME) && `${env.HOME}/.cache`);
  if (!env.NODE_COMPILE_CACHE && base) {
    const dir = `${base}${sep}stsx`;
    const cache = `${dir}${sep}compile-cache`;
    if (trusted(dir, cache)) {
      try {
        process.getBuiltinModule('node:module').enableCompileCache(cache);
      } catch {
        // a read-only home only costs speed
      }
    }
  }
  // Which bundle: src/route.ts decides which command lines the one-file dist/quick.js answers
  // (src/quick-main.ts: it answers them and ends the process, or returns false for any other form).
  // Only the first words of those (route.ts QUICK_COMMANDS) are checked here, as loading the
  // router for every command would cost start-up; test/unit/route.test.ts holds the two equal.
  // `assume` first tries the cache hit from its one-file dist/hit.js (src/hit-main.ts), likewise.
  const sub = process.argv[2];
  const quick = (sub === 'status' || sub === '__complete' || sub === 'profiles') && (await import('../dist/quick.js')).runQuick;
  const hit = sub === 'assume' && (await import('../dist/hit.js')).runCachedAssume;
  // Each answers and ends the process, or says what is next: quick false (the CLI), the hit
  // 'plain' or 'cli'. `whoami`, and a plain `assume` the cache did not answer, next try
  // dist/sts.js (src/sts-main.ts), the AWS SDK's one file; route.ts PLAIN_STS_COMMANDS names the
  // same words.
  const args = process.argv.slice(2);
  const next = quick ? await quick(args) : hit ? await hit(args) : sub === 'whoami' && 'plain';
  if (next !== 'plain' || !(await (await import('../dist/sts.js')).runPlainSts(args))) await import('../dist/stsx.js');
}

// The compile cache is code that Node runs: it gets the checks src/cache/credential-cache.ts
// applies to cached credentials. The directory must be ours (a directory owned by another user
// is refused) and private (a looser mode is set to 700, or the cache is not used).
function trusted(dir, cache) {
  const fs = process.getBuiltinModule('node:fs');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    if (!st.isDirectory()) return false;
    if (win) return true;
    const uid = process.getuid();
    if (st.uid !== uid) return false;
    if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    const sub = fs.statSync(cache, { throwIfNoEntry: false });
    return !sub || (sub.isDirectory() && sub.uid === uid);
  } catch {
    return false;
  }
}
