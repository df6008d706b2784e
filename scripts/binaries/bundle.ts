// The esbuild config for the single executable (scripts/build-binaries.ts): CommonJS files, because
// Node 24's single executable applications run one CommonJS main script (an ESM main arrives only
// in later Node versions). The main script is the small router src/sea-main.ts; the CLI (src/main.ts,
// the AWS SDK inside) and the fast paths bin/stsx.js has in dist/ (quick, hit, sts) are assets it
// runs. scripts/build.ts keeps building dist/ for the npm package from the same sources.
import { build, type BuildResult, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { missOnly, requireBuiltins } from '../build-options.ts';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEA_MAP_ASSET } from '../../src/debug-frames.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


// A static import: `import`, then anything without quotes or semicolons (names, braces, lines),
// then the quoted specifier; the semicolon is optional.
const IMPORT = /^import\s[^;'"]*?(['"])[^'"\n]*\1[ \t]*;?/gm;

/**
 * src/main.ts awaits at top level, which a CommonJS file cannot: its statements run inside an async
 * function instead, with the imports left at the top. An error that escapes is then an unhandled
 * rejection, which Node reports and exits 1 on, as it does for a rejected top-level await.
 */
export function wrapTopLevelAwait(source: string): string {
  const imports = source.match(IMPORT) ?? [];
  const body = source.replace(IMPORT, '');
  if (/^export\s/m.test(body)) throw new Error('src/main.ts exports something: the single-executable bundle cannot wrap it in a function');
  if (/^import\s/m.test(body)) throw new Error('src/main.ts has an import this wrapper does not recognise');
  return `${imports.join('\n')}\nvoid (async () => {\n${body}\n})();\n`;
}

const mainWithoutTopLevelAwait: Plugin = {
  name: 'main-without-top-level-await',
  setup(b) {
    const main = path.join(ROOT, 'src', 'main.ts');
    b.onLoad({ filter: /[\\/]src[\\/]main\.ts$/ }, async (args) => (path.resolve(args.path) === main ? { contents: wrapTopLevelAwait(await readFile(args.path, 'utf8')), loader: 'ts' } : undefined));
  },
};

/**
 * The SEA configuration of a blob: the router (src/sea-main.ts) as the main script, and as assets
 * the bundles it runs (`<name>.cjs`), the CLI's source map and whatever else `assets` names.
 */
export function seaConfig(parts: SeaParts, blob: string, withCodeCache: boolean, assets: Record<string, string> = {}): Record<string, unknown> {
  const bundles = Object.fromEntries(Object.entries(parts.bundles).map(([name, file]) => [`${name}.cjs`, file]));
  return { main: parts.main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: withCodeCache, assets: { ...bundles, [SEA_MAP_ASSET]: `${parts.bundles.stsx}.map`, ...assets } };
}

/** The esbuild settings of every part of the executable: CommonJS, the built-ins external. */
function seaBuild(entry: string, outfile: string, extra: { plugins?: Plugin[]; sourcemap?: boolean; define?: Record<string, string> } = {}): Promise<BuildResult<{ metafile: true }>> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return build({
    absWorkingDir: ROOT,
    // Built-ins as dist/ has them (scripts/build-options.ts): through require() by their `node:`
    // name (the only names an injected main script's require() reliably loads), and those few
    // calls use (node:https, node:util, ...) only when first used.
    plugins: [requireBuiltins, ...(extra.plugins ?? [])],
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'eof',
    // import.meta.url (src/node-builtin.ts's createRequire) becomes the executable's own file URL.
    define: { __STSX_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__stsxImportMetaUrl', ...extra.define },
    banner: { js: "const __stsxImportMetaUrl=require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    metafile: true,
    // --debug stack frames of the executable name src/*.ts lines (src/debug-frames.ts): the map is
    // embedded as an asset (seaConfig), without the sources, and the bundle names no map file.
    sourcemap: extra.sourcemap ? 'external' : false,
    sourcesContent: false,
  });
}

function bytesOf(result: BuildResult<{ metafile: true }>, outfile: string): number {
  const out = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(ROOT, file) === path.resolve(outfile));
  if (!out) throw new Error(`esbuild wrote no ${outfile}`);
  return out[1].bytes;
}

/** Writes the CLI's one-file CommonJS bundle (and its source map, `<outfile>.map`) and returns its size in bytes. */
export async function bundleForSea(outfile: string): Promise<number> {
  return bytesOf(await seaBuild(path.join(ROOT, 'src', 'main.ts'), outfile, { plugins: [mainWithoutTopLevelAwait], sourcemap: true }), outfile);
}

export interface SeaParts {
  /** The main script: src/sea-main.ts. */
  main: string;
  /** The bundles it runs, by asset name: the CLI (`stsx`, bundleForSea) and the fast paths of bin/stsx.js. */
  bundles: Record<'quick' | 'hit' | 'sts' | 'stsx', string>;
  bytes: number;
}

/**
 * The executable's parts in `dir`: the CLI, the fast paths (as dist/ has them: dist/hit.js leaves
 * out what only a miss needs, scripts/build-options.ts), and the router, built last with each
 * bundle's SHA-256 (its code cache is named by it).
 */
export async function seaParts(dir: string): Promise<SeaParts> {
  const file = (name: string): string => path.join(dir, `${name}.cjs`);
  const bundles = { quick: file('quick'), hit: file('hit'), sts: file('sts'), stsx: file('stsx') };
  const sizes = await Promise.all([
    bundleForSea(bundles.stsx),
    seaBuild(path.join(ROOT, 'src', 'quick-main.ts'), bundles.quick).then((r) => bytesOf(r, bundles.quick)),
    seaBuild(path.join(ROOT, 'src', 'hit-main.ts'), bundles.hit, { plugins: [missOnly] }).then((r) => bytesOf(r, bundles.hit)),
    seaBuild(path.join(ROOT, 'src', 'sts-main.ts'), bundles.sts).then((r) => bytesOf(r, bundles.sts)),
  ]);
  const hashes = Object.fromEntries(Object.entries(bundles).map(([name, f]) => [name, createHash('sha256').update(readFileSync(f)).digest('hex')]));
  const main = file('sea-main');
  const mainBytes = bytesOf(await seaBuild(path.join(ROOT, 'src', 'sea-main.ts'), main, { define: { __STSX_SEA_BUNDLES__: JSON.stringify(hashes) } }), main);
  return { main, bundles, bytes: sizes.reduce((a, b) => a + b, mainBytes) };
}
