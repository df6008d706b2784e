// The two file habits stsx's own files share (the credential cache, the credentials file it
// writes): read at most one byte past a cap, whatever stat said (the file may be growing), and
// write through a fresh 0600 temp file that is synced, then renamed into place.
import { open, removeFile, type Handle } from './fs-async.ts';

/** The file's text, or undefined when it holds more than `cap` bytes (`fh`: fs-async's or node:fs/promises' handle). */
export async function readCapped(fh: Pick<Handle, 'read'>, cap: number): Promise<string | undefined> {
  const buffer = Buffer.alloc(cap + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.toString('utf8', 0, length);
    length += bytesRead;
    if (length === buffer.length) return undefined;
  }
}

/** Writes `text` to `temp` (a new file, 0600 before a byte is written, synced), then `commit`s it; the temp file never stays behind. */
export async function writeThroughTemp(temp: string, text: string, commit: () => Promise<void>): Promise<void> {
  try {
    // 'wx': a fresh file that nobody else can have opened first.
    const fh = await open(temp, 'wx', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      // Without this, a crash after the rename could leave an empty file under the final name.
      await fh.sync();
    } finally {
      await fh.close();
    }
    await commit();
  } catch (error) {
    await removeFile(temp).catch(() => undefined);
    throw error;
  }
}
