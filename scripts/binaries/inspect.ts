// Checks a built single executable without running it (the win, darwin and linux-arm64 ones cannot
// run here): the executable format and machine from its header, the SEA fuse flipped, and the
// blob present byte for byte.
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export type ExecutableKind = 'elf-x64' | 'elf-arm64' | 'pe-x64' | 'macho-arm64';

/** What the header says this file is, or a sentence saying why it is none of the four. */
export function executableKind(head: Buffer): ExecutableKind | string {
  if (head.length < 64) return `too short for an executable header (${head.length} bytes)`;
  if (head.readUInt32BE(0) === 0x7f454c46) {
    // ELF: 64-bit (EI_CLASS 2), little-endian (EI_DATA 1), an executable or PIE (e_type 2 or 3).
    if (head[4] !== 2 || head[5] !== 1) return 'ELF, but not 64-bit little-endian';
    const type = head.readUInt16LE(16);
    if (type !== 2 && type !== 3) return `ELF of type ${type}, not an executable`;
    const machine = head.readUInt16LE(18);
    return machine === 0x3e ? 'elf-x64' : machine === 0xb7 ? 'elf-arm64' : `ELF for machine 0x${machine.toString(16)}`;
  }
  if (head.readUInt16BE(0) === 0x4d5a) {
    // PE: the DOS header points (e_lfanew) at "PE\0\0", then the COFF machine.
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 > head.length) return 'MZ header whose PE header lies beyond the bytes read';
    if (head.readUInt32BE(pe) !== 0x50450000) return 'MZ header without a PE signature';
    const machine = head.readUInt16LE(pe + 4);
    return machine === 0x8664 ? 'pe-x64' : `PE for machine 0x${machine.toString(16)}`;
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    // Mach-O 64-bit, little-endian: cputype CPU_TYPE_ARM64 (0x0100000c), filetype MH_EXECUTE (2).
    const cpu = head.readUInt32LE(4);
    if (head.readUInt32LE(12) !== 2) return 'Mach-O, but not an executable';
    return cpu === 0x0100000c ? 'macho-arm64' : `Mach-O for CPU type 0x${cpu.toString(16)}`;
  }
  if (head.readUInt32BE(0) === 0xcafebabe) return 'a universal (fat) Mach-O, not a single-architecture one';
  return `unknown format (first bytes ${head.subarray(0, 4).toString('hex')})`;
}

/** What is wrong with an injected executable: empty when the fuse is flipped once and the blob is inside. */
export function injectionProblems(file: Buffer, blob: Buffer): string[] {
  const problems: string[] = [];
  const at = file.indexOf(SEA_FUSE);
  if (at < 0) problems.push('no SEA fuse: not a Node.js binary with single-executable support');
  else if (file.indexOf(SEA_FUSE, at + 1) >= 0) problems.push('the SEA fuse appears twice');
  else if (file.toString('latin1', at + SEA_FUSE.length, at + SEA_FUSE.length + 2) !== ':1') problems.push('the SEA fuse is not flipped (":1"): Node will ignore the blob');
  if (blob.length === 0) problems.push('the blob is empty');
  else if (file.indexOf(blob) < 0) problems.push('the SEA blob is not inside the file');
  return problems;
}
