// Spawns the built stsx as a child process with an isolated HOME, AWS config files and no AWS_*
// variables from the developer's environment, and collects its output.
import { spawnCollect, type RunResult } from './spawn-collect.ts';
import { mkdtempSync, writeFileSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STSX = path.join(ROOT, 'bin', 'stsx.js');
/**
 * STSX_TEST_BINARY=/path (npm run test:binary) runs the tests against a single-file stsx instead of
 * `node bin/stsx.js`, with every directory holding a `node` taken off the children's PATH.
 */
export const STSX_BINARY = process.env.STSX_TEST_BINARY ? path.resolve(process.env.STSX_TEST_BINARY) : undefined;
/** The command line that starts stsx, for tests that put it in a shell script or a config file. */
export const STSX_ARGV: readonly string[] = STSX_BINARY ? [STSX_BINARY] : [process.execPath, STSX];

function childPath(value = process.env.PATH ?? '/usr/bin:/bin'): string {
  if (!STSX_BINARY) return value;
  return value.split(path.delimiter).filter((d) => d !== '' && !existsSync(path.join(d, process.platform === 'win32' ? 'node.exe' : 'node'))).join(path.delimiter);
}

export type { RunResult } from './spawn-collect.ts';

export interface Sandbox {
  home: string;
  env: Record<string, string>;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
}

/** A fresh HOME with empty AWS files and an environment that cannot reach real AWS by accident. */
export function sandbox(extra: Record<string, string> = {}): Sandbox {
  if (STSX_BINARY) {
    if (!existsSync(STSX_BINARY) || !statSync(STSX_BINARY).isFile()) throw new Error(`STSX_TEST_BINARY ${STSX_BINARY} is missing: run \`npm run build:binaries\` first`);
  } else if (!existsSync(path.join(ROOT, 'dist', 'stsx.js'))) throw new Error('dist/stsx.js is missing: run `npm run build` first');
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-home-'));
  const config = path.join(home, 'aws-config');
  const credentials = path.join(home, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  const env: Record<string, string> = {
    PATH: childPath(),
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
  const [command = process.execPath, ...prefix] = STSX_ARGV;
  const env = STSX_BINARY ? { ...options.env, PATH: childPath(options.env.PATH ?? '') } : options.env;
  return spawnCollect(command, [...prefix, ...args], { env, cwd: options.cwd ?? ROOT, input: options.input ?? '', timeoutMs: options.timeoutMs ?? 30000, what: `stsx ${args.join(' ')}` });
}

/** Asserts the shape every error must have: one `stsx:` line (plus an optional hint), no stack. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('stsx: no region configured') && !l.startsWith('stsx: ignoring') && !l.startsWith('stsx: warning:'));
}
