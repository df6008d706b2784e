// Bundles the CLI into dist/: one entry and lazily loaded chunks (commands, the AWS SDK), so
// `--help` and `--version` read one small file and never the SDK; and dist/quick.js, the
// prompt's and completion's own one-file bundle (src/quick-main.ts).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { common, missOnly, requireBuiltins } from './build-options.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; engines?: { node?: string } };
// The supported Node versions are decided in bin/node-support.js; package.json must not say otherwise.
const { ENGINES } = (await import(new URL('../bin/node-support.js', import.meta.url).href)) as { ENGINES: string };
if (pkg.engines?.node !== ENGINES) throw new Error(`package.json engines.node is ${JSON.stringify(pkg.engines?.node)}; bin/node-support.js says ${JSON.stringify(ENGINES)}`);
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// The fast paths' bundles ship without source maps: the maps serve --debug's stack traces, and
// --debug is never a fast path (route.ts, early-flags.ts): it always runs through dist/stsx.js.
const NO_MAP = { sourcemap: false } as const;
const [result, quick, hit, sts] = await Promise.all([
  build({ ...common, entryPoints: { stsx: 'src/main.ts' }, splitting: true }),
  // What a shell asks at every prompt and TAB (src/quick-main.ts), as one file of its own that
  // bin/stsx.js imports directly: one module to load instead of the CLI's graph of chunks.
  build({ ...common, ...NO_MAP, entryPoints: { quick: 'src/quick-main.ts' }, splitting: false }),
  // `stsx assume` answered from the cache (src/hit-main.ts), one file too. Not split, a bundle
  // would take in every module it imports lazily, the AWS SDK included; what only a miss needs
  // is left out instead (a stand-in that throws NotCached: the launcher then loads the CLI).
  build({ ...common, ...NO_MAP, entryPoints: { hit: 'src/hit-main.ts' }, splitting: false, plugins: [requireBuiltins, missOnly] }),
  // The plain `whoami` and a plain `assume` the cache did not answer (src/sts-main.ts), one file
  // with the AWS SDK in it: Node's ESM loader spends on the CLI's ~30 chunks more than these
  // commands take to load one file (docs/benchmarks.md). What is imported lazily stays lazy
  // inside it (esbuild wraps such modules in functions run on first import).
  build({ ...common, ...NO_MAP, entryPoints: { sts: 'src/sts-main.ts' }, splitting: false }),
]);
// Which source modules each output file holds: the start-up test uses it to prove that --help,
// --version and a cache hit load no AWS SDK code.
const metafile = { inputs: { ...result.metafile.inputs, ...quick.metafile.inputs, ...hit.metafile.inputs, ...sts.metafile.inputs }, outputs: { ...result.metafile.outputs, ...quick.metafile.outputs, ...hit.metafile.outputs, ...sts.metafile.outputs } };
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(metafile));
