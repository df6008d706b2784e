// The only module that touches process, os and the real streams.
import { appendFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import { runCli } from './cli.ts';
import type { Deps } from './deps.ts';

// A closed pipe (`stsx ... | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const deps: Deps = {
  env: process.env,
  homedir: os.homedir(),
  platform: process.platform,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  readFile: (file) => readFile(file, 'utf8'),
  appendFile: (file, text) => appendFile(file, text, { encoding: 'utf8', mode: 0o600 }),
  now: () => new Date(),
  username: () => {
    try {
      return os.userInfo().username;
    } catch {
      return process.env.USER ?? process.env.USERNAME ?? 'user';
    }
  },
};

process.exitCode = await runCli(process.argv.slice(2), deps);
