// A scripted stand-in for deps.startProcess (a credential_process, an MFA code process): it prints
// what it is told and exits, or hangs until killed; what was started and how often it was killed
// are recorded.
import { EventEmitter } from 'node:events';
import type { StartedProcess, StartProcess } from '../../src/deps.ts';

export interface Script {
  stdout?: string;
  stderr?: string;
  /** Undefined: the process hangs until killed. */
  exit?: number;
}

export function scripted(script: Script): { start: StartProcess; started: { line: string | readonly string[]; env: Record<string, string> }[]; killed: () => number } {
  const started: { line: string | readonly string[]; env: Record<string, string> }[] = [];
  let kills = 0;
  const start: StartProcess = (line, env) => {
    started.push({ line, env });
    const out = new EventEmitter();
    const err = new EventEmitter();
    const life = new EventEmitter();
    const child: StartedProcess = {
      stdout: { on: (e, l) => out.on(e, l) },
      stderr: { on: (e, l) => err.on(e, l) },
      onExit: (l) => void life.on('exit', l),
      onError: (l) => void life.on('error', l),
      kill: () => {
        kills += 1;
        life.emit('exit', null, 'SIGKILL');
      },
    };
    setImmediate(() => {
      if (script.stdout !== undefined) out.emit('data', Buffer.from(script.stdout));
      if (script.stderr !== undefined) err.emit('data', Buffer.from(script.stderr));
      if (script.exit !== undefined) life.emit('exit', script.exit, null);
    });
    return Promise.resolve(child);
  };
  return { start, started, killed: () => kills };
}
