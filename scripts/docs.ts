// `npm run docs`: regenerates the README blocks that come from code (scripts/readme-blocks.ts).
// `--check` only reports whether the README is up to date (exit 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from './readme-blocks.ts';

const file = new URL('../README.md', import.meta.url);
const current = readFileSync(file, 'utf8');
const next = updateReadme(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('README.md is out of date: run npm run docs\n');
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(file, next);
  process.stderr.write('README.md updated\n');
}
