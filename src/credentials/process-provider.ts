// stsx's own `credential_process` runner. The SDK's fromProcess (child_process.exec) keeps the
// process's stderr to itself, cannot be cancelled (a hung process outlives the error by minutes and
// a failover starts a second copy), has no cap on what it reads, and passes no recursion marker; so
// this one: runs the line through the shell as the SDK does (shared/reference/sts.md F.3), in its
// own process group, with
// - a chain marker (STSX_PROFILE_CHAIN) in its environment, so an stsx started by it refuses to
//   run the same profile's process again (at most one nested stsx per profile);
// - the command's time limit, after which the whole process group is killed;
// - at most 64 KiB of stdout and the last 5 lines of stderr (shown with the exit status, with
//   anything that looks like a secret masked);
// - the output contract checked: Version 1, AccessKeyId, SecretAccessKey, optional SessionToken
//   and Expiration (not in the past).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Env, StartedProcess, StartProcess } from '../deps.ts';
import { AuthError, ConfigError } from '../errors.ts';
import { isoSeconds } from '../text/expiry.ts';

export const CHAIN_VAR = 'STSX_PROFILE_CHAIN';
const MAX_STDOUT = 64 * 1024;
const MAX_STDERR = 64 * 1024;
const STDERR_LINES = 5;

export interface ProcessSource {
  profile: string;
  commandLine: string;
}

/** The profiles whose credential_process an stsx up the process tree is already running. */
function profileChain(env: Env): string[] {
  return (env[CHAIN_VAR] ?? '').split(',').filter((p) => p !== '');
}

/** Refuses at once when this profile's process is already running further up (a loop). */
export function checkChain(source: ProcessSource, env: Env): void {
  const chain = profileChain(env);
  if (!chain.includes(source.profile)) return;
  throw new ConfigError(
    `profile "${source.profile}" runs stsx again through its own credential_process (credential_process = ${shown(source.commandLine)}); stopping the loop`,
    { hint: `give the stsx command in that line its own source, e.g. --profile <profile with keys>, or move the line to another profile (chain: ${[...chain, source.profile].join(' -> ')})` },
  );
}

export async function runCredentialProcess(
  source: ProcessSource,
  io: { env: Env; start: StartProcess; timeoutMs: number; now: () => Date },
): Promise<AwsCredentialIdentity> {
  checkChain(source, io.env);
  const what = `the credential_process of profile "${source.profile}"`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  env[CHAIN_VAR] = [...profileChain(io.env), source.profile].join(',');
  const stdout = await runBoundedProcess(source.commandLine, {
    env,
    start: io.start,
    timeoutMs: io.timeoutMs,
    maxStdout: MAX_STDOUT,
    what,
    shownCommand: shown(source.commandLine),
    startHint: `check credential_process in profile "${source.profile}"`,
    outputHint: 'it must print one JSON object (Version 1)',
  });
  return parseProcessOutput(stdout, what, io.now());
}

/** How a bounded process is run and named in its errors (credential_process, mfa_process). */
export interface BoundedProcess {
  env: Record<string, string>;
  start: StartProcess;
  timeoutMs: number;
  /** Beyond this many bytes of stdout the process is stopped. */
  maxStdout: number;
  /** Names it in messages: `the credential_process of profile "p"`. */
  what: string;
  /** The command as a message may show it (secrets masked, control characters escaped). */
  shownCommand: string;
  /** What to check when it cannot be started. */
  startHint: string;
  /** What it must print, when it printed too much. */
  outputHint: string;
}

/**
 * Runs a process (a shell line, or an argv run without a shell) in its own process group and
 * returns its stdout, or fails naming it: not started, not finished within the time limit (the
 * whole group is then killed), too much output, or a non-zero exit with the last lines of its
 * stderr (secrets masked).
 */
export async function runBoundedProcess(command: string | readonly string[], p: BoundedProcess): Promise<string> {
  const started = Date.now();
  // The clock starts now, before anything is awaited: this limit then runs out before the
  // command's own deadline for the same step, so the error names the process, not STS.
  let expired = false;
  let onTimeout = (): void => {
    expired = true;
  };
  const timer = setTimeout(() => onTimeout(), p.timeoutMs);
  let child: StartedProcess;
  try {
    child = await p.start(command, p.env);
  } catch (error) {
    clearTimeout(timer);
    throw new ConfigError(`${p.what} could not be started: ${startFailure(error)}`, { hint: p.startHint });
  }
  const out: Buffer[] = [];
  let outSize = 0;
  let err = '';
  let tooBig = false;
  const result = await new Promise<{ code: number | null; signal: string | null; timedOut: boolean; spawnError?: Error }>((resolve) => {
    let done = false;
    const finish = (value: { code: number | null; signal: string | null; timedOut: boolean; spawnError?: Error }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    onTimeout = () => {
      finish({ code: null, signal: null, timedOut: true });
      child.kill();
    };
    if (expired) onTimeout();
    child.stdout.on('data', (chunk: Buffer) => {
      outSize += chunk.length;
      if (outSize > p.maxStdout) {
        tooBig = true;
        finish({ code: null, signal: null, timedOut: false });
        child.kill();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-MAX_STDERR);
    });
    child.onError((error) => finish({ code: null, signal: null, timedOut: false, spawnError: error }));
    child.onExit((code, signal) => finish({ code, signal, timedOut: false }));
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (result.timedOut) {
    throw new AuthError(`${p.what} did not finish within ${seconds} s; it was stopped`, {
      hint: `the process (${p.shownCommand}) may be waiting for a login or input; run it by hand, or raise --timeout`,
    });
  }
  if (tooBig) throw new AuthError(`${p.what} wrote more than ${p.maxStdout >= 1024 ? `${p.maxStdout / 1024} KiB` : `${p.maxStdout} bytes`}; it was stopped`, { hint: p.outputHint });
  if (result.spawnError) throw new ConfigError(`${p.what} could not be started: ${startFailure(result.spawnError)}`, { hint: p.startHint });
  if (result.code !== 0) {
    const status = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.code ?? '?'}`;
    const tail = stderrTail(err);
    throw new AuthError(`${p.what} ${status}${tail ? `: ${tail}` : ' and printed nothing on stderr'}`, {
      hint: `run it by hand to see why: ${p.shownCommand}`,
    });
  }
  return Buffer.concat(out).toString('utf8');
}

/** Why a process did not start, in words: a program missing from PATH is the usual one. */
function startFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const path = (error as { path?: unknown } | undefined)?.path;
  if (code === 'ENOENT' && typeof path === 'string') return `${printable(path)} was not found (is it installed and on PATH?)`;
  if (code === 'EACCES' && typeof path === 'string') return `${printable(path)} is not executable`;
  return error instanceof Error ? printable(error.message) : String(error);
}

/** The output contract (Version 1) of credential_process. */
export function parseProcessOutput(text: string, what: string, now: Date): AwsCredentialIdentity {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AuthError(`${what} did not print JSON`, { hint: 'it must print one JSON object: {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}' });
  }
  const o = (doc !== null && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
  if (o.Version !== 1) throw new AuthError(`${what} did not return "Version": 1`, { hint: 'the credential_process output contract has Version 1 only' });
  const str = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? o[k] : undefined);
  const accessKeyId = str('AccessKeyId');
  const secretAccessKey = str('SecretAccessKey');
  if (!accessKeyId || !secretAccessKey) throw new AuthError(`${what} returned no AccessKeyId or SecretAccessKey`);
  let expiration: Date | undefined;
  if (o.Expiration !== undefined) {
    expiration = typeof o.Expiration === 'string' ? new Date(o.Expiration) : new Date(NaN);
    if (Number.isNaN(expiration.getTime())) throw new AuthError(`${what} returned an Expiration that is not a date`);
    if (expiration.getTime() <= now.getTime()) {
      throw new AuthError(`${what} returned credentials that expired at ${isoSeconds(expiration)}`, { hint: 'the process must return fresh credentials; run it by hand to check' });
    }
  }
  const sessionToken = str('SessionToken');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}

/** The last lines of a process's stderr, secrets masked and control characters escaped. */
export function stderrTail(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines.slice(-STDERR_LINES).map((l) => printable(maskSecrets(l)).slice(0, 300)).join(' | ');
}

function maskSecrets(line: string): string {
  return line
    .replace(/\b(A[SK]IA)[A-Z0-9]{12,}\b/g, '$1****')
    .replace(/((?:secret|token|password)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1****')
    .replace(/[A-Za-z0-9/+]{40,}={0,2}/g, '****');
}

/** A config line for a message: secrets masked, control characters escaped. */
export function shown(text: string): string {
  return printable(maskSecrets(text));
}

/** Control characters as \xNN, so nothing from a file or a process reaches the terminal raw. */
export function printable(text: string): string {
  return [...text].map((c) => {
    const n = c.charCodeAt(0);
    return n < 0x20 || (n >= 0x7f && n <= 0x9f) ? `\\x${n.toString(16).padStart(2, '0')}` : c;
  }).join('');
}
