// Removes the code signature from the official Windows and macOS Node binaries before the blob is
// injected, as `signtool remove /s` and `codesign --remove-signature` would (neither runs on
// Linux): injecting invalidates it anyway, and macOS's `codesign --sign -` (docs/usage.md) then signs a
// clean file. Returns the file unchanged when it carries no signature.

/** PE: drop the certificate table (data directory 4) from the end of the file. */
export function unsignPe(file: Buffer): Buffer {
  const pe = file.readUInt32LE(0x3c);
  const opt = pe + 24;
  const magic = file.readUInt16LE(opt);
  if (magic !== 0x20b) throw new Error(`PE optional header magic 0x${magic.toString(16)} is not PE32+`);
  const dir = opt + 112 + 4 * 8;
  const offset = file.readUInt32LE(dir);
  const size = file.readUInt32LE(dir + 4);
  if (size === 0) return file;
  if (offset + size !== file.length) throw new Error('the PE certificate table is not at the end of the file');
  const out = Buffer.from(file.subarray(0, offset));
  out.writeUInt32LE(0, dir);
  out.writeUInt32LE(0, dir + 4);
  out.writeUInt32LE(0, opt + 64); // the checksum covered the signature; 0 means "not set"
  return out;
}

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

/** Mach-O (64-bit, thin): drop LC_CODE_SIGNATURE and the signature at the end of __LINKEDIT. */
export function unsignMacho(file: Buffer): Buffer {
  if (file.readUInt32LE(0) !== 0xfeedfacf) throw new Error('not a 64-bit little-endian Mach-O');
  const ncmds = file.readUInt32LE(16);
  const sizeofcmds = file.readUInt32LE(20);
  let signature: { at: number; size: number; dataoff: number; datasize: number } | undefined;
  let linkedit: number | undefined;
  for (let i = 0, at = 32; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const size = file.readUInt32LE(at + 4);
    if (cmd === LC_CODE_SIGNATURE) signature = { at, size, dataoff: file.readUInt32LE(at + 8), datasize: file.readUInt32LE(at + 12) };
    if (cmd === LC_SEGMENT_64 && file.toString('latin1', at + 8, at + 24).replace(/\0+$/, '') === '__LINKEDIT') linkedit = at;
    at += size;
  }
  if (!signature) return file;
  if (linkedit === undefined) throw new Error('Mach-O with a code signature but no __LINKEDIT segment');
  const fileoff = Number(file.readBigUInt64LE(linkedit + 40));
  const filesize = Number(file.readBigUInt64LE(linkedit + 48));
  if (signature.dataoff + signature.datasize > file.length || fileoff + filesize !== file.length || signature.dataoff < fileoff) {
    throw new Error('the Mach-O code signature is not at the end of __LINKEDIT and of the file');
  }
  const out = Buffer.from(file.subarray(0, signature.dataoff));
  // Close the gap the load command leaves, and count it out.
  const end = 32 + sizeofcmds;
  out.copy(out, signature.at, signature.at + signature.size, end);
  out.fill(0, end - signature.size, end);
  out.writeUInt32LE(ncmds - 1, 16);
  out.writeUInt32LE(sizeofcmds - signature.size, 20);
  const shift = (at: number): number => (at > signature.at ? at - signature.size : at);
  const newSize = signature.dataoff - fileoff;
  out.writeBigUInt64LE(BigInt(newSize), shift(linkedit) + 48);
  out.writeBigUInt64LE(BigInt(Math.ceil(newSize / 0x4000) * 0x4000), shift(linkedit) + 32);
  return out;
}

/** Whether a Mach-O still carries LC_CODE_SIGNATURE, or a PE a certificate table. */
export function hasSignature(file: Buffer): boolean {
  if (file.readUInt32LE(0) === 0xfeedfacf) {
    for (let i = 0, at = 32; i < file.readUInt32LE(16); i++, at += file.readUInt32LE(at + 4)) if (file.readUInt32LE(at) === LC_CODE_SIGNATURE) return true;
    return false;
  }
  const opt = file.readUInt32LE(0x3c) + 24;
  return file.readUInt32LE(opt + 112 + 4 * 8 + 4) !== 0;
}
