// A cache hit must cost no more than reading a file: nothing reachable from the cache or the
// `cache` command may load the AWS SDK (or any package but the cache key's hash), statically or lazily.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function reachable(start: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...start];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? '';
      // `import type` is erased before the code runs, so it loads nothing.
      if (/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())) continue;
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

test('src/cache and the cache command load only node: built-ins', () => {
  const start = [...readdirSync(path.join(SRC, 'cache')).map((f) => path.join(SRC, 'cache', f)), path.join(SRC, 'commands', 'cache.ts')];
  const { files, packages } = reachable(start);
  assert.ok(files.size >= start.length);
  assert.deepEqual([...packages].filter((p) => !p.startsWith('node:') && !p.startsWith('@noble/hashes/')).sort(), []);
});
