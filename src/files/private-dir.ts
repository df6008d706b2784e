// A directory of this user's that nobody else may write: where stsx keeps what it later loads as
// code (the keyring addon of the single executable, its bundles' V8 code caches). Created 0700
// when missing; a symlink, another user's directory or one others may write is refused.
import type * as Fs from 'node:fs';

/** Whether `dir` is (now) such a directory. */
export function isOwnPrivateDir(fs: typeof Fs, dir: string, platform: NodeJS.Platform): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (platform === 'win32') return true;
    return (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
