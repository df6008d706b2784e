// The one JSON writer: what JSON.stringify leaves raw (DEL, C1, U+2028/9, bidi controls) leaves
// escaped, and every reader still gets the same value back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonText } from '../../src/text/json.ts';
import { hasControlCharacters } from '../../src/text/terminal-text.ts';

const CONTROLS = [0x7f, 0x85, 0x9b, 0x9f, 0x61c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069].map((c) => String.fromCharCode(c));

test('jsonText escapes every display control JSON.stringify passes through, and round-trips', () => {
  for (const ch of CONTROLS) {
    const value = { arn: `arn:aws:iam::123456789012:role/a${ch}b`, list: [`x${ch}`] };
    const text = jsonText(value, 2);
    assert.ok(!hasControlCharacters(text.replaceAll('\n', '')), `U+${ch.charCodeAt(0).toString(16)} escaped`);
    assert.deepEqual(JSON.parse(text), value);
  }
});

test('jsonText is JSON.stringify for printable text', () => {
  const value = { a: 'plain', b: [1, 2, { c: 'é ✓ 日本' }] };
  assert.equal(jsonText(value, 4), JSON.stringify(value, null, 4));
  assert.equal(jsonText('x'), '"x"');
});
