// The settings layer sits above config/ and endpoint/: config/ reads files, profiles and
// regions and imports neither endpoint/ nor settings/; endpoint/ (outside its check/ subsystem) may
// use config/'s types but not settings/. The cache opener lives in cache/, not in a command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** Every relative import of the .ts files directly in `dir`, as paths under src/. */
function importsOf(dir: string): { file: string; target: string }[] {
  const out: { file: string; target: string }[] = [];
  for (const name of readdirSync(path.join(SRC, dir)).filter((f) => f.endsWith('.ts'))) {
    const file = path.join(SRC, dir, name);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('.')) out.push({ file: `${dir}/${name}`, target: path.relative(SRC, path.resolve(path.dirname(file), spec)) });
    }
  }
  return out;
}

test('config/ imports neither endpoint/ nor settings/', () => {
  const bad = importsOf('config').filter((i) => i.target.startsWith('endpoint') || i.target.startsWith('settings'));
  assert.deepEqual(bad, []);
});

test('endpoint/ (outside check/) does not import settings/', () => {
  const bad = importsOf('endpoint').filter((i) => i.target.startsWith('settings'));
  assert.deepEqual(bad, []);
});

test('cache/ does not import commands/: the cache opener is in cache/', () => {
  const bad = importsOf('cache').filter((i) => i.target.startsWith('commands'));
  assert.deepEqual(bad, []);
  const users = importsOf('commands').filter((i) => i.target === 'commands/cache.ts');
  assert.deepEqual(users, []);
});
