// The esbuild config for the single executable (scripts/build-binaries.ts): one CommonJS file with
// the AWS SDK inside, because Node 24's single executable applications run one CommonJS script
// (an ESM main arrives only in later Node versions). scripts/build.ts keeps building dist/ for the
// npm package; both read the same src/main.ts.
import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEA_MAP_ASSET } from '../../src/debug-frames.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The require() an injected main script gets loads built-ins only, and only reliably by their
// `node:` name: every built-in stays external under that name.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const nodePrefixedBuiltins: Plugin = {
  name: 'node-prefixed-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => (builtins.has(args.path) ? { path: `node:${args.path.replace(/^node:/, '')}`, external: true } : undefined));
  },
};

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

/** The SEA configuration of a blob: the bundle as the main script, its source map as an asset. */
export function seaConfig(bundle: string, blob: string, withCodeCache: boolean, assets: Record<string, string> = {}): Record<string, unknown> {
  return { main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: withCodeCache, assets: { [SEA_MAP_ASSET]: `${bundle}.map`, ...assets } };
}

/** Writes the one-file CommonJS bundle (and its source map, `<outfile>.map`) and returns the bundle's size in bytes. */
export async function bundleForSea(outfile: string): Promise<number> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const result = await build({
    absWorkingDir: ROOT,
    plugins: [nodePrefixedBuiltins, mainWithoutTopLevelAwait],
    entryPoints: [path.join(ROOT, 'src', 'main.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'eof',
    // import.meta.url (src/node-builtin.ts's createRequire) becomes the executable's own file URL.
    define: { __STSX_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__stsxImportMetaUrl' },
    banner: { js: "const __stsxImportMetaUrl=require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    metafile: true,
    // --debug stack frames of the executable name src/*.ts lines (src/debug-frames.ts): the map is
    // embedded as an asset (seaConfig), without the sources, and the bundle names no map file.
    sourcemap: 'external',
    sourcesContent: false,
  });
  const out = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(ROOT, file) === path.resolve(outfile));
  if (!out) throw new Error(`esbuild wrote no ${outfile}`);
  return out[1].bytes;
}
