// Runs moto_server (moto 5) on a random loopback port as a reference STS/IAM implementation,
// with a few IAM helpers over its query API. moto does not verify signatures; it attributes
// the account from the access key in Authorization (default 123456789012) or from the
// `x-moto-account-id` header, which is how opts.account selects another account.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { xmlText } from './sts-xml.ts';

export interface Moto {
  url: string;
  stop(): Promise<void>;
  createUser(name: string): Promise<{ arn: string; userId: string; accessKeyId: string; secretAccessKey: string; account: string }>;
  createRole(name: string, trustPolicy?: object, opts?: { account?: string }): Promise<{ arn: string }>;
}

export const MOTO_DEFAULT_ACCOUNT = '123456789012';
const START_TIMEOUT_MS = 30_000;

// moto runs under a tiny sh watchdog in its own process group: `cat` returns when our end of
// its stdin closes, i.e. when this process goes away however it dies (even SIGKILL or a runner
// timeout), and then moto is killed too. moto_server is a pyenv shim that execs python.
// Without the moto_server script on PATH, the same server runs as `python3 -m moto.server`.
const WATCHDOG = `if command -v moto_server >/dev/null 2>&1; then set -- moto_server
elif python3 -c 'import moto.server' >/dev/null 2>&1; then set -- python3 -m moto.server
else exit 127; fi
"$@" -H 127.0.0.1 -p 0 </dev/null &
pid=$!
cat >/dev/null
kill $pid 2>/dev/null`;

/**
 * True while a process of the group is running. Dead members can linger as zombies until
 * PID 1 reaps them (containers are slow at it), so on Linux /proc is read to skip those.
 */
function groupAlive(pgid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pgrp === String(pgid) && state !== 'Z' && state !== 'X') return true;
    } catch {
      // exited while we looked
    }
  }
  return false;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Lets the event loop exit without us: the watchdog then takes moto down. */
function unref(h: unknown): void {
  (h as { unref?: () => void } | null)?.unref?.();
}

async function iam(url: string, action: string, params: Record<string, string>, account?: string): Promise<string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-amz-date': amzDate,
    // moto routes by the scope's service and never checks the signature itself
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${amzDate.slice(0, 8)}/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
  if (account !== undefined) headers['x-moto-account-id'] = account;
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const res = await fetch(`${url}/`, { method: 'POST', headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto IAM ${action} failed (${res.status}): ${xmlText(text, 'Code') ?? ''} ${xmlText(text, 'Message') ?? text}`);
  return text;
}

function required(xml: string, tag: string): string {
  const v = xmlText(xml, tag);
  if (v === undefined) throw new Error(`moto response lacks <${tag}>: ${xml.slice(0, 300)}`);
  return v;
}

/** Starts moto_server on 127.0.0.1 (port chosen by the OS) and waits until it serves. */
export async function startMoto(): Promise<Moto> {
  const env = { ...process.env };
  delete env.MOTO_ACCOUNT_ID; // would override x-moto-account-id for every request
  const child = spawn('/bin/sh', ['-c', WATCHDOG], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('cannot start moto_server: spawn /bin/sh failed');

  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`moto_server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      killGroup(pgid, 'SIGKILL');
      reject(e);
    };
    const scan = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', scan);
    child.stderr?.on('data', scan);
    child.once('error', (e) => fail(new Error(`cannot start moto_server: ${e.message}`)));
    child.once('exit', (code, signal) => fail(new Error(code === 127
      ? "moto_server not found on PATH: install moto 5 with its server extra (pip install 'moto[server]')"
      : `moto_server exited early (${code ?? signal}):\n${output}`)));
  });
  for (const h of [child, child.stdin, child.stdout, child.stderr]) unref(h);
  child.stdout?.resume();
  child.stderr?.resume();
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    async stop() {
      killGroup(pgid, 'SIGTERM');
      // wait for the whole group (sh, cat and python), not just sh; SIGKILL stragglers after 3 s
      for (let waited = 0; groupAlive(pgid); waited += 50) {
        if (waited === 3000) killGroup(pgid, 'SIGKILL');
        await sleep(50);
      }
    },
    async createUser(name) {
      const user = await iam(url, 'CreateUser', { UserName: name });
      const key = await iam(url, 'CreateAccessKey', { UserName: name });
      const arn = required(user, 'Arn');
      return {
        arn,
        userId: required(user, 'UserId'),
        accessKeyId: required(key, 'AccessKeyId'),
        secretAccessKey: required(key, 'SecretAccessKey'),
        account: arn.split(':')[4] ?? '',
      };
    },
    async createRole(name, trustPolicy, opts) {
      const account = opts?.account ?? MOTO_DEFAULT_ACCOUNT;
      const policy = trustPolicy ?? {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
      };
      const xml = await iam(url, 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: JSON.stringify(policy) }, opts?.account);
      return { arn: required(xml, 'Arn') };
    },
  };
}
