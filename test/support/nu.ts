// Where the tests find nushell: `nu` on PATH, else the binary the `nushell` npm package installs
// (node_modules/@nushell/<os>-<arch>/bin/nu; its node_modules/.bin/nu is a Node wrapper that
// would add a Node start-up to every run). scripts/ci/install-nushell.sh provides it in CI.
// Missing is a test failure, never a skip.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ROOT } from './run-cli.ts';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nu binary, or undefined when there is none. */
export function findNu(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, 'nu'))) return path.join(dir, 'nu');
  }
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const packaged = [
    path.join(ROOT, 'node_modules', '@nushell', `${os}-${process.arch}`, 'bin', 'nu'),
    path.join(ROOT, 'node_modules', '.bin', 'nu'),
  ];
  return packaged.find(executable);
}

export const NU_MISSING = "nu (nushell) is not installed; CI puts it on PATH with scripts/ci/install-nushell.sh";
