// `stsx exec` ends as its command ends, and the command ends with stsx: a command killed by a
// signal kills stsx by the same signal (so a shell loop stops on Ctrl-C, as it does without
// stsx); SIGQUIT is caught (no core file with the credentials) and passed on as SIGTERM; and on
// Linux a command outlives no stsx, not even one killed by SIGKILL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, sandbox, STSX_ARGV } from '../support/run-cli.ts';
import { sq } from '../support/shell.ts';

const SIGNAL_CHILD = path.join(ROOT, 'test/fixtures/exec/signal-child.mjs');
const DRIVE = path.join(ROOT, 'test/fixtures/pty/drive.py');
const ACCOUNT = '121212343434';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

function world(name: string): { env: Record<string, string>; role: string; home: string } {
  const u = sts.addUser({ account: ACCOUNT, userName: name });
  const role = `arn:aws:iam::${ACCOUNT}:role/${name}-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  // What a stsx killed by SIGKILL leaves (the --server config copy) goes with the sandbox.
  const tmp = path.join(box.home, 'tmp');
  mkdirSync(tmp);
  return { env: { ...box.env, TMPDIR: tmp }, role, home: box.home };
}

const stsxLine = STSX_ARGV.map(sq).join(' ');

async function drive(steps: unknown[], script: string, env: Record<string, string>): Promise<{ code: number; transcript: string }> {
  const { stdout } = await promisify(execFile)('python3', [DRIVE, JSON.stringify(steps), 'bash', '-c', script], { env, encoding: 'utf8' });
  return JSON.parse(stdout) as { code: number; transcript: string };
}

test('Ctrl-C in a bash loop: the command dies of SIGINT, so does stsx, and the loop stops as it does without stsx', async () => {
  const w = world('sig-loop');
  const steps = [['ready-1', '\u0003'], ['ready-2', '\u0003'], ['ready-3', '\u0003']];
  const body = (prefix: string): string => `for i in 1 2 3; do ${prefix}sh -c 'echo ready-$0; exec sleep 300' $i; echo "after $i"; done; echo end`;
  // Without stsx: bash gives up on the loop when its command died of the Ctrl-C it got too.
  const bare = await drive(steps, body(''), w.env);
  assert.match(bare.transcript, /ready-1/);
  assert.doesNotMatch(bare.transcript, /after 1|ready-2|end/, bare.transcript);
  const withStsx = await drive(steps, body(`${stsxLine} exec --role-arn ${sq(w.role)} -- `), w.env);
  assert.match(withStsx.transcript, /ready-1/);
  assert.doesNotMatch(withStsx.transcript, /after 1|ready-2|end/, withStsx.transcript);
  assert.equal(withStsx.code, bare.code, 'bash ends the same way');
});

/** stsx exec in its own session (no terminal), and the pid of its command once it runs. */
async function startExec(args: string[], env: Record<string, string>, started: RegExp): Promise<{ stsx: ReturnType<typeof spawn>; childPid: number; out: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const [command = process.execPath, ...prefix] = STSX_ARGV;
  const stsx = spawn(command, [...prefix, 'exec', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  stsx.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  stsx.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => stsx.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 30000;
  for (;;) {
    const kids = readFileSync(`/proc/${stsx.pid}/task/${stsx.pid}/children`, 'utf8').trim();
    if (kids !== '' && (!args.includes('trap') || out.includes('ready'))) {
      const pid = Number(kids.split(' ')[0]);
      // Past setpriv's exec: the command itself.
      if (started.test(cmdline(pid))) return { stsx, childPid: pid, out: () => out, exited };
    }
    if (Date.now() > deadline) {
      stsx.kill('SIGKILL');
      throw new Error(`the command did not start: ${out}`);
    }
    await sleep(50);
  }
}

function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
}

/** Whether a process has ended (gone, or a zombie waiting for its new parent to reap it). */
function ended(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

for (const server of [false, true]) {
  test(`Linux: stsx exec${server ? ' --server' : ''} killed by SIGKILL takes its command with it (a parent-death signal)`, { skip: process.platform !== 'linux' }, async () => {
    const w = world(server ? 'sig-kill-server' : 'sig-kill');
    const run = await startExec(['--role-arn', w.role, ...(server ? ['--server'] : []), '--', 'sleep', '300'], w.env, /^sleep 300$/);
    assert.equal(cmdline(run.childPid), 'sleep 300', 'the command itself, not a wrapper');
    run.stsx.kill('SIGKILL');
    await run.exited;
    // A generous deadline, not a speed: the kernel signals the command as stsx dies.
    const deadline = Date.now() + 20000;
    while (!ended(run.childPid) && Date.now() < deadline) await sleep(50);
    const alive = !ended(run.childPid);
    if (alive) process.kill(run.childPid, 'SIGKILL');
    assert.equal(alive, false, 'the command outlived stsx');
  });
}

test('SIGQUIT sent to stsx alone: no core file, the command gets SIGTERM, stsx exits with its status', { skip: process.platform === 'win32' }, async () => {
  const w = world('sig-quit');
  const run = await startExec(['--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'trap'], w.env, /signal-child/);
  run.stsx.kill('SIGQUIT');
  const end = await run.exited;
  if (!ended(run.childPid)) process.kill(run.childPid, 'SIGKILL');
  assert.deepEqual(end, { code: 42, signal: null }, run.out());
  assert.equal(run.out().match(/got SIGTERM/g)?.length, 1, run.out());
  assert.deepEqual(readdirSync(ROOT).filter((f) => /^core/.test(f)), []);
  assert.equal(existsSync(path.join(w.home, 'core')), false);
});

test('Linux without setpriv on PATH: the command still runs, and --debug says it would outlive a stsx killed by SIGKILL', { skip: process.platform !== 'linux' }, async () => {
  const w = world('sig-no-setpriv');
  const [command = process.execPath, ...prefix] = STSX_ARGV;
  const { spawnCollect } = await import('../support/spawn-collect.ts');
  const r = await spawnCollect(command, [...prefix, 'exec', '--debug', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'exit', '3'], { env: { ...w.env, PATH: path.join(w.home, 'empty') }, timeoutMs: 30000 });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /stsx: debug: no setpriv with --pdeathsig \(util-linux 2\.33 or later\) on PATH: .* would outlive a stsx killed by SIGKILL/);
  const quiet = await spawnCollect(command, [...prefix, 'exec', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'exit', '3'], { env: { ...w.env, PATH: path.join(w.home, 'empty') }, timeoutMs: 30000 });
  assert.equal(quiet.code, 3);
  assert.doesNotMatch(quiet.stderr, /--pdeathsig/);
});
