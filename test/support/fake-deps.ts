// One typed stand-in for the outside world (src/deps.ts) in unit tests: recorded stdout/stderr,
// in-memory files, a fixed clock, and no process ever started unless a test says how.
import type { Deps, StartProcess } from '../../src/deps.ts';

export const FAKE_NOW = new Date('2026-11-22T10:00:00Z');

export interface FakeDeps extends Deps {
  /** What was written to stdout and stderr, in order. */
  out: string[];
  err: string[];
  /** Files appended to (GITHUB_ENV). */
  appended: Map<string, string>;
}

export function fakeDeps(overrides: Partial<Deps> & { files?: Record<string, string> } = {}): FakeDeps {
  const { files = {}, ...rest } = overrides;
  const out: string[] = [];
  const err: string[] = [];
  const appended = new Map<string, string>();
  const noProcess: StartProcess = () => Promise.reject(new Error('fakeDeps: no process may be started in this test'));
  return {
    env: {},
    homedir: '/nonexistent-home',
    platform: 'linux',
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    stdin: { isTTY: false, async *[Symbol.asyncIterator]() {} },
    readFile: (file) => (file in files ? Promise.resolve(files[file] ?? '') : Promise.reject(Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' }))),
    appendFile: (file, text) => {
      appended.set(file, (appended.get(file) ?? '') + text);
      return Promise.resolve();
    },
    now: () => FAKE_NOW,
    username: () => 'tester',
    startProcess: noProcess,
    ...rest,
    out,
    err,
    appended,
  };
}
