// A Node older than stsx supports, for the tests of what happens there: the machines here and in
// CI ship Node 20 as /usr/bin/node. Not finding one is a failure, never a skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ENGINES, nodeSupported } from '../../bin/node-support.js';

export function oldNode(): { node: string; version: string } {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node', '/bin/node']);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.add(path.join(dir, 'node'));
  for (const node of candidates) {
    if (!existsSync(node)) continue;
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (!nodeSupported(version)) return { node, version };
  }
  throw new Error(`no Node older than ${ENGINES} found in ${[...candidates].join(', ')}: these tests need one (the system Node 20)`);
}
