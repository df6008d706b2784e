// Runs a script in a real shell asynchronously (test servers live in the test process and must
// keep answering while the shell runs).
import { spawn } from 'node:child_process';

export function runShell(shell: string, script: string, env: Record<string, string>, timeoutMs = 60000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${shell} script did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** POSIX single-quoting for building test scripts. */
export const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
