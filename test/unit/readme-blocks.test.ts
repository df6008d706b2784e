// The README's format blocks are generated from the FORMATS table (npm run docs): this fails
// when someone changes a format and forgets to regenerate, or edits the generated text by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readmeBlocks, updateReadme } from '../../scripts/readme-blocks.ts';
import { FORMATS, usageLine } from '../../src/output/credentials/formats.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('README.md format blocks are up to date (run npm run docs)', () => {
  assert.equal(updateReadme(README), README);
});

test('the README usage block has every format, and the cmd line does not echo secrets', () => {
  const usage = readmeBlocks()['formats:usage'] ?? '';
  for (const f of FORMATS) assert.ok(usage.includes(usageLine(f.name, 'stsx assume --role-arn arn:aws:iam::123456789012:role/Admin')), f.name);
  assert.match(usage, /do @%i$/m);
  assert.doesNotMatch(usage, /do %i/);
  assert.match(usage, /credential_process = stsx assume --profile <source-profile> .* --format json\n.*in a profile other than <source-profile>/);
});

test('updateReadme refuses a README without the markers', () => {
  assert.throws(() => updateReadme('# no markers\n'), /formats:usage:begin/);
});
