// Spawns the built stsx as a child process with an isolated HOME, AWS config files and no AWS_*
// variables from the developer's environment, and collects its output.
import { spawnCollect, type RunResult } from './spawn-collect.ts';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STSX = path.join(ROOT, 'bin', 'stsx.js');
/**
 * STSX_TEST_BINARY=/path (npm run test:binary) runs the tests against a single-file stsx instead of
 * `node bin/stsx.js`, and its children find no `node` on PATH (see childPath).
 */
export const STSX_BINARY = process.env.STSX_TEST_BINARY ? path.resolve(process.env.STSX_TEST_BINARY) : undefined;
/** The command line that starts stsx, for tests that put it in a shell script or a config file. */
export const STSX_ARGV: readonly string[] = STSX_BINARY ? [STSX_BINARY] : [process.execPath, STSX];

const NODE_TOOLS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack', 'node.exe']);
const withoutNode = new Map<string, string>();
/**
 * PATH for stsx's children. Under STSX_TEST_BINARY, a directory that holds Node (/usr/bin does,
 * here) is replaced by a mirror of symbolic links to everything in it but Node and npm, so shells
 * and tools still run and `node` is nowhere.
 */
function childPath(value = process.env.PATH ?? '/usr/bin:/bin'): string {
  if (!STSX_BINARY) return value;
  return value.split(path.delimiter).filter((d) => d !== '').map((dir) => {
    if (![...NODE_TOOLS].some((t) => existsSync(path.join(dir, t)))) return dir;
    let mirror = withoutNode.get(dir);
    if (!mirror) {
      mirror = mkdtempSync(path.join(os.tmpdir(), 'stsx-path-without-node-'));
      for (const name of readdirSync(dir)) if (!NODE_TOOLS.has(name)) symlinkSync(path.join(dir, name), path.join(mirror, name));
      withoutNode.set(dir, mirror);
    }
    return mirror;
  }).join(path.delimiter);
}

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
  if (STSX_BINARY) {
    if (!existsSync(STSX_BINARY) || !statSync(STSX_BINARY).isFile()) throw new Error(`STSX_TEST_BINARY ${STSX_BINARY} is missing: run \`npm run build:binaries\` first`);
  } else if (!existsSync(path.join(ROOT, 'dist', 'stsx.js'))) throw new Error('dist/stsx.js is missing: run `npm run build` first');
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-home-'));
  if (homes.push(home) === 1) process.once('exit', removeHomes);
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
