// The one way tests run a child process: asynchronously (test servers live in the test process
// and must keep answering), collecting stdout and stderr, killed after a time limit.
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  /** The signal that ended the process, when one did (code is then null). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCollect(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number; what?: string },
): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.what ?? command} did not finish within ${timeoutMs} ms\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A child may stop reading early (an input over its size cap): that is its answer, not an error here.
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
