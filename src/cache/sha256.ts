// SHA-256 of a string's UTF-8 bytes, as lowercase hex, from @noble/hashes (audited, pure
// JavaScript, bundled): the cache key of every cache hit needs one hash, and loading node:crypto
// for it costs more start-up than the rest of the hit's built-ins together (docs/benchmarks.md).
// Checked against node:crypto in test/unit/sha256.test.ts, so cache keys and file names stay
// what node:crypto made them.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(text)));
}
