// Bundles the CLI into dist/: one entry and lazily loaded chunks (commands, the AWS SDK), so
// `--help` and `--version` read one small file and never the SDK.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const result = await build({
  entryPoints: { stsx: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  legalComments: 'linked',
  define: { __STSX_VERSION__: JSON.stringify(pkg.version) },
  // Some SDK dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __stsxCreateRequire } from 'node:module'; const require = __stsxCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
// Which source modules each output file holds: the start-up test uses it to prove that --help,
// --version and a cache hit load no AWS SDK code.
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));
