// Bundles the CLI into dist/: one entry and lazily loaded chunks (commands, the AWS SDK), so
// `--help` and `--version` read one small file and never the SDK; and dist/quick.js, the
// prompt's and completion's own one-file bundle (src/quick-main.ts).
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; engines?: { node?: string } };
// The supported Node versions are decided in bin/node-support.js; package.json must not say otherwise.
const { ENGINES } = (await import(new URL('../bin/node-support.js', import.meta.url).href)) as { ENGINES: string };
if (pkg.engines?.node !== ENGINES) throw new Error(`package.json engines.node is ${JSON.stringify(pkg.engines?.node)}; bin/node-support.js says ${JSON.stringify(ENGINES)}`);
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// Node built-ins through require() rather than ESM imports: an ESM import of a built-in makes Node
// build its full export list, and node:http's and node:https's lists load undici (the fetch code).
// Measured on Node 24: `await import('node:http')` alone costs ~37 ms, require('node:http') ~4 ms;
// the SDK's HTTP handler does the former on every call. A CommonJS shim per built-in avoids it;
// `require` is the createRequire() of the banner below.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const requireBuiltins: Plugin = {
  name: 'require-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => (builtins.has(args.path) && args.namespace !== 'builtin' ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: LAZY_BUILTINS.has(args.path) ? lazyBuiltin(args.path) : `module.exports = require(${JSON.stringify(`node:${args.path}`)});`, loader: 'js' }));
  },
};

// For dist/hit.js: what a cache hit may load lazily (stsx's own modules; chalk, for a terminal's
// colours) stays in; a lazy import of any other package (the AWS SDK, for a miss) becomes a
// stand-in that throws NotCached, so reaching it makes the launcher answer with the CLI, as a miss.
const notCached = fileURLToPath(new URL('../src/issue/issue-cached.ts', import.meta.url));
const missOnly: Plugin = {
  name: 'miss-only',
  setup(b) {
    b.onResolve({ filter: /^[^.]/ }, (args) => (args.kind === 'dynamic-import' && args.path !== 'chalk' && !builtins.has(args.path) ? { path: args.path, namespace: 'miss-only' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'miss-only' }, () => ({ contents: `import { NotCached } from ${JSON.stringify(notCached)}; throw new NotCached();`, loader: 'js', resolveDir: path.dirname(notCached) }));
  },
};

// Built-ins that modules import at their top but that few calls use: node:fs/promises (for
// --write-profile and the cache lock; it loads readline and the stream machinery, ~8 ms of a cache
// hit), node:child_process (commander's executable subcommands, a credential_process; it loads
// dgram and net) and node:zlib (the SDK's CRC32 checksums, which STS never asks for). Each gets a
// module of function stand-ins that load it on their first call. Only functions: an import of any
// other export (a class, a constant) fails the build, so nothing is made lazy unseen.
// node:util (commander's stripVTControlCharacters, for help text only) and node:https (the SDK's
// HTTP handler imports it at its top; an http:// endpoint never needs it, nor node:tls, which it
// loads: ~12 ms of whoami) likewise. The default export of https is also used for its Agent class,
// in an `instanceof` check: until the module is loaded, a class is a stand-in that no object is
// an instance of (none can be, as nothing has loaded the class) and that makes the real one when
// constructed.
const LAZY_BUILTINS = new Set(['fs/promises', 'child_process', 'zlib', 'util', 'https']);
function lazyBuiltin(name: string): string {
  const real = createRequire(import.meta.url)(`node:${name}`) as Record<string, unknown>;
  const functions = Object.keys(real).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default' && typeof real[k] === 'function' && !/^[A-Z]/.test(k));
  const classes = Object.keys(real).filter((k) => /^[A-Z]/.test(k) && typeof real[k] === 'function');
  const id = JSON.stringify(`node:${name}`);
  return [
    `let loaded; const load = () => (loaded ??= require(${id}));`,
    // Loaded by anyone in this process (our own require of it included): process.moduleLoadList
    // names every built-in Node has loaded.
    `const inProcess = () => loaded !== undefined || !Array.isArray(process.moduleLoadList) || process.moduleLoadList.includes(${JSON.stringify(`NativeModule ${name}`)});`,
    'const standIns = new Map();',
    'const standIn = (key) => { let c = standIns.get(key); if (!c) { c = class { constructor(...args) { return new (load()[key])(...args); } static [Symbol.hasInstance](v) { return inProcess() && v instanceof load()[key]; } }; standIns.set(key, c); } return c; };',
    ...functions.map((k) => `export function ${k}(...args) { return load().${k}(...args); }`),
    `const classes = new Set(${JSON.stringify(classes)});`,
    "export default new Proxy({}, { get: (_, key) => (classes.has(key) && !inProcess() ? standIn(key) : load()[key]), has: (_, key) => key in load() });",
  ].join('\n');
}

const common = {
  plugins: [requireBuiltins],
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  // STSX_NOMINIFY=1: readable function names in --cpu-prof profiles (never for a release).
  minify: !process.env.STSX_NOMINIFY,
  legalComments: 'linked',
  // For --debug stack traces (bin/stsx.js enables maps only then): src/*.ts lines, without the
  // sources themselves, which would triple the installed size.
  sourcemap: 'linked',
  sourcesContent: false,
  define: { __STSX_VERSION__: JSON.stringify(pkg.version) },
  // Some SDK dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __stsxCreateRequire } from 'node:module'; const require = __stsxCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
} satisfies BuildOptions;
const [result, quick, hit, sts] = await Promise.all([
  build({ ...common, entryPoints: { stsx: 'src/main.ts' }, splitting: true }),
  // What a shell asks at every prompt and TAB (src/quick-main.ts), as one file of its own that
  // bin/stsx.js imports directly: one module to load instead of the CLI's graph of chunks.
  build({ ...common, entryPoints: { quick: 'src/quick-main.ts' }, splitting: false }),
  // `stsx assume` answered from the cache (src/hit-main.ts), one file too. Not split, a bundle
  // would take in every module it imports lazily, the AWS SDK included; what only a miss needs
  // is left out instead (a stand-in that throws NotCached: the launcher then loads the CLI).
  build({ ...common, entryPoints: { hit: 'src/hit-main.ts' }, splitting: false, plugins: [requireBuiltins, missOnly] }),
  // The plain `whoami` and a plain `assume` the cache did not answer (src/sts-main.ts), one file
  // with the AWS SDK in it: Node's ESM loader spends on the CLI's ~30 chunks more than these
  // commands take to load one file (docs/benchmarks.md). What is imported lazily stays lazy
  // inside it (esbuild wraps such modules in functions run on first import).
  build({ ...common, entryPoints: { sts: 'src/sts-main.ts' }, splitting: false }),
]);
// Which source modules each output file holds: the start-up test uses it to prove that --help,
// --version and a cache hit load no AWS SDK code.
const metafile = { inputs: { ...result.metafile.inputs, ...quick.metafile.inputs, ...hit.metafile.inputs, ...sts.metafile.inputs }, outputs: { ...result.metafile.outputs, ...quick.metafile.outputs, ...hit.metafile.outputs, ...sts.metafile.outputs } };
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(metafile));
