// The checks `npm run build:binaries` and test/binary/ apply to executables that cannot run here,
// the signature removal done before injecting, and the rewrite that lets src/main.ts's top-level await live in the binary's CommonJS bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executableKind, injectionProblems, SEA_FUSE } from '../../scripts/binaries/inspect.ts';
import { wrapTopLevelAwait } from '../../scripts/binaries/bundle.ts';
import { hasSignature, unsignMacho, unsignPe } from '../../scripts/binaries/unsign.ts';

function header(bytes: Array<[number, number, 'u8' | 'u16le' | 'u32le' | 'u32be']>): Buffer {
  const b = Buffer.alloc(512);
  for (const [at, value, type] of bytes) {
    if (type === 'u8') b.writeUInt8(value, at);
    else if (type === 'u16le') b.writeUInt16LE(value, at);
    else if (type === 'u32le') b.writeUInt32LE(value, at);
    else b.writeUInt32BE(value, at);
  }
  return b;
}
const elf = (machine: number, cls = 2, type = 3): Buffer => header([[0, 0x7f454c46, 'u32be'], [4, cls, 'u8'], [5, 1, 'u8'], [16, type, 'u16le'], [18, machine, 'u16le']]);
const pe = (machine: number, signature = 0x50450000): Buffer => header([[0, 0x4d5a0000, 'u32be'], [0x3c, 0x80, 'u32le'], [0x80, signature, 'u32be'], [0x84, machine, 'u16le']]);
const macho = (cpu: number, filetype = 2): Buffer => header([[0, 0xfeedfacf, 'u32le'], [4, cpu, 'u32le'], [12, filetype, 'u32le']]);

test('executableKind names the four targets from their headers', () => {
  assert.equal(executableKind(elf(0x3e)), 'elf-x64');
  assert.equal(executableKind(elf(0xb7)), 'elf-arm64');
  assert.equal(executableKind(pe(0x8664)), 'pe-x64');
  assert.equal(executableKind(macho(0x0100000c)), 'macho-arm64');
});

test('executableKind says what is wrong with anything else', () => {
  const cases: Array<[Buffer, RegExp]> = [
    [elf(0x28), /ELF for machine 0x28/],
    [elf(0x3e, 1), /not 64-bit/],
    [elf(0x3e, 2, 1), /not an executable/],
    [pe(0xaa64), /PE for machine 0xaa64/],
    [pe(0x8664, 0x4e450000), /without a PE signature/],
    [macho(0x01000007), /Mach-O for CPU type 0x1000007/],
    [macho(0x0100000c, 6), /not an executable/],
    [header([[0, 0xcafebabe, 'u32be']]), /universal/],
    [Buffer.from('#!/usr/bin/env node\n'.padEnd(100, ' ')), /unknown format \(first bytes 23212f75\)/],
    [Buffer.alloc(10), /too short/],
  ];
  for (const [buf, expected] of cases) assert.match(executableKind(buf), expected);
});

test('injectionProblems wants the fuse flipped exactly once and the blob inside', () => {
  const blob = Buffer.from('the blob');
  const file = (...parts: string[]): Buffer => Buffer.from(parts.join('...'), 'latin1');
  assert.deepEqual(injectionProblems(file('ELF', `${SEA_FUSE}:1`, 'the blob'), blob), []);
  assert.deepEqual(injectionProblems(file('ELF', `${SEA_FUSE}:0`, 'the blob'), blob), ['the SEA fuse is not flipped (":1"): Node will ignore the blob']);
  assert.deepEqual(injectionProblems(file('ELF', 'the blob'), blob), ['no SEA fuse: not a Node.js binary with single-executable support']);
  assert.deepEqual(injectionProblems(file(`${SEA_FUSE}:1`, `${SEA_FUSE}:1`, 'the blob'), blob), ['the SEA fuse appears twice']);
  assert.deepEqual(injectionProblems(file(`${SEA_FUSE}:1`, 'the blub'), blob), ['the SEA blob is not inside the file']);
  assert.deepEqual(injectionProblems(file(`${SEA_FUSE}:1`), Buffer.alloc(0)), ['the blob is empty']);
});

test('wrapTopLevelAwait keeps imports at the top and runs the rest in an async function', () => {
  const source = "// comment\nimport { a } from './a.ts';\nimport type {\n  B,\n} from './b.ts';\nconst x = await a();\nfunction f(): void {}\n";
  const out = wrapTopLevelAwait(source);
  assert.equal(out, "import { a } from './a.ts';\nimport type {\n  B,\n} from './b.ts';\nvoid (async () => {\n// comment\n\n\nconst x = await a();\nfunction f(): void {}\n\n})();\n");
  assert.throws(() => wrapTopLevelAwait('export const x = 1;\n'), /exports something/);
  assert.equal(wrapTopLevelAwait("import x from './x.ts'\nawait x;\n"), "import x from './x.ts'\nvoid (async () => {\n\nawait x;\n\n})();\n");
  assert.throws(() => wrapTopLevelAwait('import {\n  x,\n};\nawait x;\n'), /does not recognise/);
});

test('unsignPe drops the certificate table at the end and clears its directory entry and checksum', () => {
  const file = Buffer.alloc(1024, 0xaa);
  file.writeUInt16BE(0x4d5a, 0);
  file.writeUInt32LE(0x80, 0x3c);
  file.writeUInt32BE(0x50450000, 0x80);
  const opt = 0x80 + 24;
  file.writeUInt16LE(0x20b, opt);
  file.writeUInt32LE(900, opt + 144);
  file.writeUInt32LE(124, opt + 148);
  assert.equal(hasSignature(file), true);
  const out = unsignPe(file);
  assert.equal(out.length, 900);
  assert.equal(hasSignature(out), false);
  assert.deepEqual([out.readUInt32LE(opt + 144), out.readUInt32LE(opt + 64)], [0, 0]);
  assert.equal(unsignPe(out), out, 'an unsigned file is left alone');
  file.writeUInt32LE(100, opt + 148);
  assert.throws(() => unsignPe(file), /not at the end/);
});

test('unsignMacho removes LC_CODE_SIGNATURE, shrinks __LINKEDIT and cuts the signature off', () => {
  // header (32) + LC_SEGMENT_64 __LINKEDIT (72) + LC_CODE_SIGNATURE (16) + LC_MAIN-like (24); __LINKEDIT = [512, 1024), signature [900, 1024).
  const file = Buffer.alloc(1024, 0x11);
  file.fill(0, 0, 512);
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(3, 16);
  file.writeUInt32LE(72 + 16 + 24, 20);
  let at = 32;
  file.writeUInt32LE(0x19, at); file.writeUInt32LE(72, at + 4); file.write('__LINKEDIT', at + 8, 'latin1');
  file.writeBigUInt64LE(0x8000n, at + 32); file.writeBigUInt64LE(512n, at + 40); file.writeBigUInt64LE(512n, at + 48);
  at += 72;
  file.writeUInt32LE(0x1d, at); file.writeUInt32LE(16, at + 4); file.writeUInt32LE(900, at + 8); file.writeUInt32LE(124, at + 12);
  at += 16;
  file.writeUInt32LE(0x80000028, at); file.writeUInt32LE(24, at + 4); file.writeUInt32LE(0xbeef, at + 8);
  assert.equal(hasSignature(file), true);
  const out = unsignMacho(file);
  assert.equal(out.length, 900);
  assert.equal(hasSignature(out), false);
  assert.deepEqual([out.readUInt32LE(16), out.readUInt32LE(20)], [2, 96]);
  assert.deepEqual([out.readBigUInt64LE(32 + 48), out.readBigUInt64LE(32 + 32)], [388n, 0x4000n]);
  assert.deepEqual([out.readUInt32LE(104), out.readUInt32LE(108), out.readUInt32LE(112)], [0x80000028, 24, 0xbeef], 'the next command moved up');
  assert.equal(out.readUInt32LE(128), 0, 'the freed bytes are zero');
  assert.equal(unsignMacho(out), out);
});
