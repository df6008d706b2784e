// `npm run docs`: regenerates the blocks of docs/usage.md that come from code (scripts/doc-blocks.ts):
// the format usage lines and table, and the command reference.
// `--check` only reports whether the file is up to date (exit 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateBlocks, USAGE_FILE } from './doc-blocks.ts';

const file = new URL(`../${USAGE_FILE}`, import.meta.url);
const current = readFileSync(file, 'utf8');
const next = updateBlocks(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write(`${USAGE_FILE} is out of date: run npm run docs\n`);
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(file, next);
  process.stderr.write(`${USAGE_FILE} updated\n`);
}
