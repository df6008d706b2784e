// What the tests need that `npm test` cannot install by itself (it installs Node 24, the
// dependencies and nushell: scripts/with-node.mjs), each with how to get it. A test that needs a
// missing one fails with this one line; it is never skipped (a skipped test proves nothing).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { netnsUnavailable } from './netns.ts';

type Prerequisite = 'aws-cli-v2' | 'python3' | 'bash' | 'zsh' | 'fish' | 'netns';

/** The AWS CLI v2 the fidelity tests compare with; `aws` on PATH may be v1. */
export const AWS_CLI_V2 = '/usr/bin/aws';

const PREREQUISITES = new Map<string, { missing: () => string | undefined; how: string }>([
  ['aws-cli-v2', {
    missing: () => (existsSync(AWS_CLI_V2) && /^aws-cli\/2\./.test(spawnSync(AWS_CLI_V2, ['--version'], { encoding: 'utf8' }).stdout ?? '') ? undefined : `no AWS CLI v2 at ${AWS_CLI_V2}`),
    how: `install it there: apt-get install awscli (Debian 12), or AWS's installer with --bin-dir /usr/bin`,
  }],
  ['python3', {
    missing: () => (spawnSync('python3', ['--version']).status === 0 ? undefined : 'no python3 on PATH (the pseudo-terminal driver test/fixtures/pty/drive.py needs it)'),
    how: 'apt-get install python3',
  }],
  ...['bash', 'zsh', 'fish'].map((shell): [string, { missing: () => string | undefined; how: string }] => [shell, {
    missing: () => (spawnSync(shell, ['-c', 'exit 0']).status === 0 ? undefined : `${shell} is not installed`),
    how: `apt-get install ${shell}`,
  }]),
  ['netns', {
    missing: netnsUnavailable,
    how: 'run the tests as root on Linux (CI does), with unshare (util-linux) and ip (iproute2)',
  }],
]);

/** One line naming what is missing and how to get it, or undefined when it is there. */
function prerequisiteMissing(name: Prerequisite): string | undefined {
  const p = PREREQUISITES.get(name);
  const why = p?.missing();
  return why === undefined ? undefined : `${why}: ${p?.how ?? ''}`;
}

/** Fails the test that calls it, in one line, when the prerequisite is missing. */
export function needPrerequisite(name: Prerequisite): void {
  const missing = prerequisiteMissing(name);
  if (missing !== undefined) throw new Error(missing);
}
