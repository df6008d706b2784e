// The generated parts of docs/usage.md (npm run docs): the format blocks from the FORMATS table and
// the command reference from the commander program. This fails when someone changes a format, a
// flag, a description or a command and forgets to regenerate, or edits the generated text by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandReference, docBlocks, updateBlocks, USAGE_FILE } from '../../scripts/doc-blocks.ts';
import { buildProgram } from '../../src/cli.ts';
import { FORMATS, usageLine } from '../../src/output/credentials/formats.ts';

const USAGE = readFileSync(new URL(`../../${USAGE_FILE}`, import.meta.url), 'utf8');

test('docs/usage.md generated blocks are up to date', () => {
  assert.ok(updateBlocks(USAGE) === USAGE, `${USAGE_FILE} is stale: run: npm run docs`);
});

test('the usage block has every format, and the cmd line does not echo secrets', () => {
  const usage = docBlocks()['formats:usage'] ?? '';
  for (const f of FORMATS) assert.ok(usage.includes(usageLine(f.name, 'stsx assume --role-arn arn:aws:iam::123456789012:role/Admin')), f.name);
  assert.match(usage, /do @%i$/m);
  assert.doesNotMatch(usage, /do %i/);
  assert.match(usage, /credential_process = stsx assume --profile <source-profile> .* --format json\n.*in a profile other than <source-profile>/);
});

test('the command reference has every visible command and every one of its options', () => {
  const reference = commandReference();
  const program = buildProgram(() => Promise.resolve());
  const leaves = program.commands.flatMap((c) => (c.commands.length > 0 ? c.commands.map((s) => [`${c.name()} ${s.name()}`, s] as const) : [[c.name(), c] as const]));
  for (const [name, cmd] of leaves) {
    if (name === '__complete') {
      assert.doesNotMatch(reference, /### stsx __complete/);
      continue;
    }
    const at = reference.indexOf(`### stsx ${name}\n`);
    assert.ok(at >= 0, `no section for stsx ${name}`);
    const next = reference.indexOf('\n### ', at + 1);
    const section = reference.slice(at, next < 0 ? undefined : next);
    assert.ok(section.includes(cmd.description().slice(0, 30)), `stsx ${name}: description`);
    for (const o of cmd.options) assert.ok(section.includes(`\`${o.flags}\``), `stsx ${name}: ${o.flags}`);
  }
  // Defaults and choices come from commander (Option.choices), as --help shows them.
  assert.match(reference, /\| `--output <format>` \| text or json \(json is the AWS CLI shape\) \(choices: "text", "json"\) \|/);
});

test('the generated text does not depend on the terminal width', () => {
  const before = process.stdout.columns;
  try {
    Object.defineProperty(process.stdout, 'columns', { value: 40, configurable: true });
    assert.equal(commandReference(), docBlocks()['commands:reference']);
    const narrow = commandReference();
    Object.defineProperty(process.stdout, 'columns', { value: 200, configurable: true });
    assert.equal(commandReference(), narrow);
  } finally {
    Object.defineProperty(process.stdout, 'columns', { value: before, configurable: true });
  }
});

test('updateBlocks refuses a file without the markers', () => {
  assert.throws(() => updateBlocks('# no markers\n'), /formats:usage:begin/);
});
