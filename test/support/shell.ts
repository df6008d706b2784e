// Runs a script in a real shell asynchronously (test servers live in the test process and must
// keep answering while the shell runs).
import { spawnCollect, type RunResult } from './spawn-collect.ts';

export function runShell(shell: string, script: string, env: Record<string, string>, timeoutMs = 60000): Promise<RunResult> {
  return spawnCollect(shell, ['-c', script], { env, timeoutMs, what: `${shell} script` });
}

/** POSIX single-quoting for building test scripts. */
export const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
