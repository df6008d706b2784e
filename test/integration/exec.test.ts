// `stsx exec` with real processes against the project's STS server: the child's environment (the
// shell formats' variables, no AWS_PROFILE, who it is), its exit status (signals as 128+n), signal
// forwarding, stdio passthrough, a TTY that stays a TTY, no secret on any command line, a missing
// command, and the note of a nested exec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, ROOT, runStsx, type Sandbox, STSX } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';
import { sq } from '../support/shell.ts';

const CHILD = path.join(ROOT, 'test/fixtures/exec/env-child.mjs');
const SIGNAL_CHILD = path.join(ROOT, 'test/fixtures/exec/signal-child.mjs');
const ACCOUNT = '111122223333';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

interface ChildReport {
  vars: Record<string, string>;
  argvs: string[];
  tty: { stdin: boolean; stdout: boolean };
}

function world(name: string, extra: Record<string, string> = {}): { env: Record<string, string>; role: string; secret: string; home: string; box: Sandbox } {
  const w = userWorld(sts, { name, account: ACCOUNT, role: true, env: extra });
  return { env: w.env, role: w.role, secret: w.user.secretAccessKey, home: w.home, box: w };
}

function report(stdout: string): ChildReport {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport;
}

test('exec with a role: the child gets the shell formats\' variables, STSX_* and the expiry; AWS_PROFILE and friends are removed; stdout is the child\'s', async () => {
  const w = world('exec-env', { AWS_SECURITY_TOKEN: 'stale', AWS_DEFAULT_PROFILE: 'nope' });
  w.box.writeConfig(`[profile work]\nrole_arn = ${w.role}\ncredential_source = Environment\nregion = eu-central-1\n`);
  const r = await runStsx(['exec', '--profile', 'work', '--', process.execPath, CHILD], { env: { ...w.env, AWS_PROFILE: 'work' } });
  assert.equal(r.code, 0, r.stderr);
  const child = report(r.stdout);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'stdout carries only what the child printed');
  const v = child.vars;
  assert.match(v.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
  assert.match(v.AWS_SECRET_ACCESS_KEY ?? '', /^<\d+ chars>$/);
  assert.match(v.AWS_SESSION_TOKEN ?? '', /^<\d+ chars>$/);
  assert.match(v.AWS_CREDENTIAL_EXPIRATION ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(v.AWS_REGION, 'eu-central-1');
  assert.equal(v.AWS_DEFAULT_REGION, 'eu-central-1');
  assert.equal(v.STSX_PROFILE, 'work');
  assert.equal(v.STSX_ROLE_ARN, w.role);
  for (const gone of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN']) assert.equal(v[gone], undefined, `${gone} is removed`);
  const issued = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(issued?.params.RoleArn, w.role);
  // No secret on the command line of the child, stsx, or anything between.
  const all = child.argvs.join('\n');
  assert.ok(child.argvs.some((a) => a.includes('stsx')), all);
  assert.ok(!all.includes(w.secret), 'the source secret is on no command line');
  assert.doesNotMatch(r.stderr, /ASIA|AKIA/);
  assert.match(r.stderr, /assumed arn:aws:sts::111122223333:assumed-role\/exec-env-role\/.* via 127\.0\.0\.1:\d+, expires .*; running /);

  // The second run is a cache hit: the same as `assume`, no second AssumeRole.
  const calls = sts.requests.filter((q) => q.action === 'AssumeRole').length;
  const again = await runStsx(['exec', '--profile', 'work', '--', process.execPath, CHILD], { env: { ...w.env, AWS_PROFILE: 'work' } });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(report(again.stdout).vars.AWS_ACCESS_KEY_ID, v.AWS_ACCESS_KEY_ID);
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').length, calls);
});

test('exec --profile alone (no role): the profile\'s own credentials, no STSX_ROLE_ARN; a role-only flag without a role is refused', async () => {
  const w = world('exec-own');
  w.box.writeCredentials('[plain]\naws_access_key_id = AKIAPLAINPLAINPLAIN1\naws_secret_access_key = plainsecretplainsecretplainsecret12345678\n');
  const env = { ...w.env };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  const r = await runStsx(['exec', '--profile', 'plain', '--', process.execPath, CHILD], { env });
  assert.equal(r.code, 0, r.stderr);
  const v = report(r.stdout).vars;
  assert.equal(v.AWS_ACCESS_KEY_ID, 'AKIAPLAINPLAINPLAIN1');
  assert.equal(v.AWS_SESSION_TOKEN, undefined);
  assert.equal(v.STSX_PROFILE, 'plain');
  assert.equal(v.STSX_ROLE_ARN, undefined);

  const bad = await runStsx(['exec', '--profile', 'plain', '--duration', '2h', '--', process.execPath, CHILD], { env });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.deepEqual(errorLines(bad.stderr), ['stsx: --duration needs a role to assume', "  hint: pass --role-arn, or a --profile with role_arn; without a role stsx exec passes the profile's own credentials on"]);
});

test('exit status is the child\'s; a death by SIGTERM is stsx\'s death by SIGTERM; a missing command is 127 with one line', async () => {
  const w = world('exec-status');
  const seven = await runStsx(['exec', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'exit', '7'], { env: w.env });
  assert.equal(seven.code, 7, seven.stderr);
  // As a shell sees it without stsx (bash reports 143 for both).
  const killed = await runStsx(['exec', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'kill-self', 'SIGTERM'], { env: w.env });
  assert.deepEqual([killed.code, killed.signal], [null, 'SIGTERM'], killed.stderr);
  const missing = await runStsx(['exec', '--role-arn', w.role, '--', 'no-such-command-stsx'], { env: w.env });
  assert.equal(missing.code, 127);
  assert.equal(missing.stdout, '');
  assert.deepEqual(errorLines(missing.stderr).filter((l) => !/assumed|using cached/.test(l)), [
    'stsx: command not found: no-such-command-stsx',
    '  hint: check the name and PATH (stsx exec runs the command directly, not through a shell)',
  ]);
});

test('stdin and stdout are the child\'s own', async () => {
  const w = world('exec-stdio');
  const r = await runStsx(['exec', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'echo'], { env: w.env, input: 'line one\nline two\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'line one\nline two\n');
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} sent to stsx reaches the child, and stsx exits with the child's status`, async () => {
    const w = world(`exec-${signal.toLowerCase()}`);
    const child = spawn(process.execPath, [STSX, 'exec', '--role-arn', w.role, '--', process.execPath, SIGNAL_CHILD, 'trap'], { env: w.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    await ready;
    // Only stsx is signalled (not its process group): the child hears it through stsx. (detached:
    // its own session, so no terminal's foreground group even when the tests run in a terminal.)
    child.kill(signal);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 42, err);
    assert.equal(out.match(new RegExp(`got ${signal}`, 'g'))?.length, 1, out);
  });
}

test('a TTY stays a TTY: the child\'s stdin and stdout are the terminal', async () => {
  const w = world('exec-tty');
  const command = `${sq(process.execPath)} ${sq(STSX)} exec --role-arn ${sq(w.role)} -- ${sq(process.execPath)} ${sq(CHILD)}`;
  const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), '[]', 'sh', '-c', command], { env: w.env, encoding: 'utf8' });
  const r = JSON.parse(stdout) as { code: number; transcript: string };
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /"tty":\{"stdin":true,"stdout":true\}/);
});

test('a nested exec says that it chains', async () => {
  const w = world('exec-nested');
  const inner = `arn:aws:iam::${ACCOUNT}:role/exec-nested-inner`;
  sts.addRole({ arn: inner, trustedPrincipalArns: [w.role] });
  const outer = await runStsx(['exec', '--role-arn', w.role, '--', process.execPath, STSX, 'exec', '--role-arn', inner, '--', process.execPath, CHILD], { env: w.env });
  assert.equal(outer.code, 0, outer.stderr);
  assert.match(outer.stderr, new RegExp(`stsx: running inside \`stsx exec\` \\(${w.role.replace(/[/]/g, '\\/')}\\): a role assumed from its credentials is role chaining \\(sessions of 1 hour at most\\)`));
  const v = report(outer.stdout).vars;
  assert.equal(v.STSX_ROLE_ARN, inner);
  const last = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.match(last?.accessKeyId ?? '', /^ASIA/, 'the inner AssumeRole was signed with the outer session');
});

test('Ctrl-C on the terminal reaches the child once (the terminal already signals it; stsx does not send a second SIGINT)', async () => {
  const w = world('exec-ctrl-c');
  // bash waits for stsx and prints its status (a shell that gets the Ctrl-C too may give up on its own).
  const command = `${sq(process.execPath)} ${sq(STSX)} exec --role-arn ${sq(w.role)} -- ${sq(process.execPath)} ${sq(SIGNAL_CHILD)} trap; echo "status=$?"`;
  const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify([['ready', '\u0003']]), 'bash', '-c', command], { env: w.env, encoding: 'utf8' });
  const r = JSON.parse(stdout) as { code: number; transcript: string };
  assert.match(r.transcript, /status=42/);
  assert.equal(r.transcript.match(/got SIGINT/g)?.length, 1, r.transcript);
});

test('exec --allowed-account-id: credentials of another account never reach the command (exit 4, the command not run)', async () => {
  const w = world('exec-allowed');
  const marker = path.join(w.home, 'ran');
  const denied = await runStsx(['exec', '--role-arn', w.role, '--allowed-account-id', '999999999999', '--no-cache', '--', 'sh', '-c', `touch ${sq(marker)}`], { env: w.env });
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(errorLines(denied.stderr)[0] ?? '', /111122223333/);
  assert.equal(existsSync(marker), false, 'the command did not run');
  const allowed = await runStsx(['exec', '--role-arn', w.role, '--allowed-account-id', ACCOUNT, '--no-cache', '--', 'sh', '-c', `touch ${sq(marker)}`], { env: w.env });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(existsSync(marker), true);
  const noRole = await runStsx(['exec', '--allowed-account-id', ACCOUNT, '--', 'true'], { env: w.env });
  assert.equal(noRole.code, 2, noRole.stderr);
});

test('in a terminal\'s foreground, SIGINT and SIGHUP sent to stsx alone (kill -INT <pid>) reach the child once; Ctrl-C still once', async () => {
  const w = world('exec-kill-fg');
  const command = `${sq(process.execPath)} ${sq(STSX)} exec --role-arn ${sq(w.role)} -- ${sq(process.execPath)} ${sq(SIGNAL_CHILD)} trap; echo "status=$?"`;
  for (const signal of ['SIGINT', 'SIGHUP']) {
    // drive.py signals the programs bash started (stsx) only, in the terminal's foreground group.
    const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify([['ready', { signal }]]), 'bash', '-c', command], { env: { ...w.env, PTY_DRIVE_TIMEOUT: '20' }, encoding: 'utf8' });
    const r = JSON.parse(stdout) as { code: number; transcript: string };
    assert.match(r.transcript, /status=42/, `${signal}: ${r.transcript}`);
    assert.equal(r.transcript.match(new RegExp(`got ${signal}`, 'g'))?.length, 1, r.transcript);
  }
});
