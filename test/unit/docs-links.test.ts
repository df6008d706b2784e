// The README is a front door (at most 250 lines) and every link between README.md and docs/*.md
// leads somewhere: the file exists and, for `#anchor`, one of its headings has that slug (as
// GitHub makes them). A section renamed or moved breaks this test, not a reader's click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!m?.[1]) continue;
    const slug = m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

test('README.md is at most 250 lines', () => {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length - 1;
  assert.ok(lines <= 250, `README.md has ${lines} lines`);
});

for (const page of PAGES) {
  test(`${page}: every relative link resolves`, () => {
    const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((l) => !/^[a-z]+:/.test(l));
    for (const link of links) {
      const [file = '', anchor] = link.split('#');
      const target = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      assert.ok(existsSync(path.join(ROOT, target)), `${page}: ${link}: no file ${target}`);
      if (anchor !== undefined && target.endsWith('.md')) {
        assert.ok(anchors(readFileSync(path.join(ROOT, target), 'utf8')).has(anchor), `${page}: ${link}: no heading #${anchor} in ${target}`);
      }
    }
  });
}
