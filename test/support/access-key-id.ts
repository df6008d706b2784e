// Access key IDs and other IAM-style identifiers for the STS emulator (sts.md section I).
//
// Modern AWS key IDs embed the owning account: after the 4-char prefix, 16 base32 chars hold
// 80 bits; the top bit is set and bits 78..39 are the account number. The emulator mints keys
// in that format so that GetAccessKeyInfo (and a CLI that decodes key ids offline) sees the
// same account a real key would carry.
import { randomBytes, randomInt } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (our inputs are whole 5-byte groups). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32; returns undefined on characters outside the alphabet. */
export function base32Decode(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) return undefined;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** Mints a modern-format key id (AKIA/ASIA...) that decodes back to `account`. */
export function makeAccessKeyId(prefix: string, account: string, rnd?: bigint): string {
  const low = rnd ?? BigInt('0x' + randomBytes(5).toString('hex'));
  const v = (1n << 79n) | (BigInt(account) << 39n) | (low & ((1n << 39n) - 1n));
  const bytes = new Uint8Array(10);
  for (let i = 0; i < 10; i++) bytes[i] = Number((v >> BigInt(8 * (9 - i))) & 0xffn);
  return prefix + base32Encode(bytes);
}

/** True when the key id uses the modern format (5th char >= 'Q', i.e. the top bit is set). */
export function hasEmbeddedAccount(keyId: string): boolean {
  const c = keyId.charAt(4);
  return keyId.length === 20 && c >= 'Q' && B32.includes(c);
}

/**
 * The account encoded in a key id, exactly like the public research's Python function:
 * legacy keys (AKIAIOSFODNN7EXAMPLE) decode to a meaningless number, as they do there.
 * Returns undefined when the id is not base32 at all.
 */
export function accountFromAccessKeyId(keyId: string): string | undefined {
  const bytes = base32Decode(keyId.slice(4));
  if (!bytes || bytes.length < 6) return undefined;
  let z = 0n;
  for (const b of bytes.subarray(0, 6)) z = (z << 8n) | BigInt(b);
  return ((z & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}

/** IAM unique ids (AIDA..., AROA...): prefix + 17 base32 chars, 21 chars like real ones. */
export function uniqueId(prefix: string): string {
  return prefix + base32Encode(randomBytes(11)).slice(0, 17);
}

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

/** 40-char secret access key in the character set real keys use. */
export function randomSecret(): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += SECRET_CHARS[randomInt(SECRET_CHARS.length)];
  return s;
}

/**
 * Opaque session token. It begins like a modern STS token (base64 of "!\n\torigin_ec") so
 * a CLI sees a realistic shape, but nothing may parse it: the server maps it back by lookup.
 */
export function randomSessionToken(): string {
  return 'IQoJb3JpZ2luX2Vj' + randomBytes(300).toString('base64');
}
