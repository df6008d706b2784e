// Where the tests find nushell: `nu` on PATH, else the binary the `nushell` npm package installs
// (node_modules/@nushell/<os>-<arch>/bin/nu; its node_modules/.bin/nu is a Node wrapper that
// would add a Node start-up to every run), in the cache where `npm test` (scripts/with-node.mjs
// --nu) puts it or in the project. Missing is a test failure, never a skip.
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
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
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const cache = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(os.homedir(), '.cache');
  const prefix = env['STSX_NU_PREFIX'] ? path.resolve(env['STSX_NU_PREFIX']) : path.join(cache, 'stsx-ci', 'nushell');
  const packaged = [
    path.join(prefix, 'node_modules', '@nushell', `${platform}-${process.arch}`, 'bin', 'nu'),
    path.join(ROOT, 'node_modules', '@nushell', `${platform}-${process.arch}`, 'bin', 'nu'),
    path.join(ROOT, 'node_modules', '.bin', 'nu'),
  ];
  return packaged.find(executable);
}

export const NU_MISSING = 'nu (nushell) is not installed: run the tests with `npm test` (it installs nushell), or `node scripts/with-node.mjs --nu-bin` once';
