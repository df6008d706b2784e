// Spawns the built stsx as a child process with an isolated HOME, AWS config files and no AWS_*
// variables from the developer's environment, and collects its output.
import { spawnCollect, type RunResult } from './spawn-collect.ts';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STSX = path.join(ROOT, 'bin', 'stsx.js');

export type { RunResult } from './spawn-collect.ts';

export interface Sandbox {
  home: string;
  env: Record<string, string>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
}

// Every sandbox goes away when the test process that made it exits (each test file is its own
// process), whatever the tests did with it.
const homes: string[] = [];
function removeHomes(): void {
  for (const home of homes.splice(0)) {
    try {
      rmSync(home, { recursive: true, force: true });
    } catch {
      // A test made a directory read-only: give the owner its rights back, then remove.
      for (const entry of ['', ...readdirSync(home, { recursive: true, encoding: 'utf8' })]) {
        try {
          if (lstatSync(path.join(home, entry)).isDirectory()) chmodSync(path.join(home, entry), 0o700);
        } catch {
          // unreadable: the second rmSync reports it
        }
      }
      rmSync(home, { recursive: true, force: true });
    }
  }
}

/** A fresh HOME with empty AWS files and an environment that cannot reach real AWS by accident. */
export function sandbox(extra: Record<string, string> = {}): Sandbox {
  if (!existsSync(path.join(ROOT, 'dist', 'stsx.js'))) throw new Error('dist/stsx.js is missing: run `npm run build` first');
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-home-'));
  if (homes.push(home) === 1) process.once('exit', removeHomes);
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
  return spawnCollect(process.execPath, [STSX, ...args], { env: options.env, cwd: options.cwd ?? ROOT, input: options.input ?? '', timeoutMs: options.timeoutMs ?? 30000, what: `stsx ${args.join(' ')}` });
}

/** Asserts the shape every error must have: one `stsx:` line (plus an optional hint), no stack. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('stsx: no region configured') && !l.startsWith('stsx: ignoring') && !l.startsWith('stsx: warning:'));
}
