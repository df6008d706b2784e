// Spawns the built stsx as a child process with an isolated HOME, AWS config files and no AWS_*
// variables from the developer's environment, and collects its output.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STSX = path.join(ROOT, 'bin', 'stsx.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  env: Record<string, string>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
}

/** A fresh HOME with empty AWS files and an environment that cannot reach real AWS by accident. */
export function sandbox(extra: Record<string, string> = {}): Sandbox {
  if (!existsSync(path.join(ROOT, 'dist', 'stsx.js'))) throw new Error('dist/stsx.js is missing: run `npm run build` first');
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-home-'));
  const config = path.join(home, 'aws-config');
  const credentials = path.join(home, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: 'tester',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    XDG_CACHE_HOME: path.join(home, '.cache'),
    ...extra,
  };
  return {
    home,
    env,
    writeConfig: (text) => writeFileSync(config, text),
    writeCredentials: (text) => writeFileSync(credentials, text),
  };
}

export function runStsx(args: string[], options: { env: Record<string, string>; input?: string; timeoutMs?: number; cwd?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STSX, ...args], { env: options.env, cwd: options.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stsx ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30000} ms\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Asserts the shape every error must have: one `stsx:` line (plus an optional hint), no stack. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('stsx: no region configured') && !l.startsWith('stsx: ignoring') && !l.startsWith('stsx: warning:'));
}
