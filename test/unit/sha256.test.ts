// src/cache/sha256.ts gives node:crypto's sha256 for every length around the block boundaries,
// for multi-byte UTF-8, and for long input (cache keys must not change when node:crypto is not loaded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../src/cache/sha256.ts';

const reference = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

test('the FIPS 180-4 examples', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('every length from 0 to 300 bytes (one, two and more blocks; the 55/56/64-byte edges)', () => {
  for (let n = 0; n <= 300; n += 1) {
    const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7 + n) % 95))).join('');
    assert.equal(sha256Hex(text), reference(text), `length ${n}`);
  }
});

test('multi-byte UTF-8, a lone surrogate, control characters and a 1 MB input', () => {
  for (const text of ['é', 'Ünïcödé ロール 🎉', '\ud800', '\u0000\u001b[31m\r\n', '{"a":"\u2028"}', 'x'.repeat(1 << 20)]) {
    assert.equal(sha256Hex(text), reference(text));
  }
});
