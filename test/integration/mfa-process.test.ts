// MFA without a terminal, end to end against the project's STS server (whose role requires MFA
// and whose TOTP device takes each code once): an MFA role used through
// `credential_process = stsx assume --profile r --format json` by the AWS CLI v2 and by the JS SDK,
// with no terminal (setsid: no controlling terminal; stdin not a terminal), the code coming from a
// fake `ykman` (mfa_process) or a fake `zenity` (mfa_prompt) on PATH that record their argv and
// parent; the flags on another command; and hostile code processes: one that hangs (killed with
// its children at --timeout), prints nothing, twelve digits or a secret (never echoed), or fails
// (its stderr's last lines shown).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, ROOT, runStsx, sandbox, STSX_ARGV, type Sandbox } from '../support/run-cli.ts';
import { spawnCollect } from '../support/spawn-collect.ts';

const ACCOUNT = '333344445555';
const AWS_CLI = '/usr/bin/aws';
const SDK_WHOAMI = path.join(ROOT, 'test/fixtures/mfa/sdk-whoami.mjs');

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

interface MfaWorld extends Sandbox {
  role: string;
  serial: string;
  userKey: string;
  /** A directory first on PATH, for fake programs. */
  bin: string;
  /** Writes an executable sh script into bin. */
  program(name: string, body: string): string;
}

/**
 * An IAM user whose keys are in the credentials file as [u], a role that requires MFA with a
 * TOTP device taking `code` once, and `[profile r]` (the role from u, with `extra` lines); no
 * keys in the environment.
 */
function mfaWorld(name: string, code: string, extra: string): MfaWorld {
  const user = sts.addUser({ account: ACCOUNT, userName: name });
  const role = `arn:aws:iam::${ACCOUNT}:role/${name}-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [user.arn], requireMfa: true });
  const serial = `arn:aws:iam::${ACCOUNT}:mfa/${name}`;
  sts.setMfaDevice(serial, code, { oneTime: true });
  const probe = sandbox();
  const bin = path.join(probe.home, 'bin');
  mkdirSync(bin);
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url, PATH: `${bin}${path.delimiter}${probe.env.PATH ?? ''}`, HOME: probe.home });
  const w: MfaWorld = {
    ...box,
    home: probe.home,
    role,
    serial,
    userKey: user.accessKeyId,
    bin,
    program: (file, body) => {
      const full = path.join(bin, file);
      writeFileSync(full, `#!/bin/sh\n${body}\n`);
      chmodSync(full, 0o755);
      return full;
    },
  };
  box.writeCredentials(`[u]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  box.writeConfig(`[profile r]\nrole_arn = ${role}\nsource_profile = u\nrole_session_name = ${name}\nmfa_serial = ${serial}\n${extra}\n[profile cp]\ncredential_process = ${STSX_ARGV.join(' ')} assume --profile r --format json\n`);
  return w;
}

/** A fake program that records its arguments (one a line) and its parent's name, then prints `code`. */
function recorder(w: MfaWorld, name: string, code: string): void {
  w.program(name, `printf '%s\\n' "$@" > "$HOME/${name}.argv"\ncat /proc/$PPID/comm > "$HOME/${name}.parent"\necho ${code}`);
}

function recorded(w: MfaWorld, name: string): { argv: string[]; parent: string } | undefined {
  const argv = path.join(w.home, `${name}.argv`);
  if (!existsSync(argv)) return undefined;
  return { argv: readFileSync(argv, 'utf8').split('\n').slice(0, -1), parent: readFileSync(path.join(w.home, `${name}.parent`), 'utf8').trim() };
}

/** What STS saw for this world since `from`: the MFA session calls and the role's AssumeRole calls. */
function seen(w: MfaWorld, from: number) {
  const during = sts.requests.slice(from);
  return {
    sessions: during.filter((q) => q.action === 'GetSessionToken' && q.accessKeyId === w.userKey),
    assumes: during.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === w.role),
  };
}

/** A consumer with no controlling terminal (a new session) and stdin not a terminal. */
function noTerminal(w: MfaWorld, argv: string[]) {
  return spawnCollect('setsid', ['-w', ...argv], { env: w.env, cwd: ROOT, timeoutMs: 60000, what: argv.join(' ') });
}

test('the AWS CLI v2 uses an MFA role through credential_process = stsx assume, no terminal, the code from mfa_process (a fake ykman, run without a shell)', { skip: !existsSync(AWS_CLI) && 'no AWS CLI v2 at /usr/bin/aws' }, async () => {
  const w = mfaWorld('mfa-cli', '246810', "mfa_process = ykman oath accounts code --single 'AWS mfa-cli'\n");
  recorder(w, 'ykman', '246810');
  const from = sts.requests.length;
  const r = await noTerminal(w, [AWS_CLI, 'sts', 'get-caller-identity', '--profile', 'cp', '--endpoint-url', sts.url, '--query', 'Arn', '--output', 'text']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-cli-role/mfa-cli`);
  const ykman = recorded(w, 'ykman');
  assert.deepEqual(ykman?.argv, ['oath', 'accounts', 'code', '--single', 'AWS mfa-cli'], 'the quoted name is one argument');
  assert.doesNotMatch(ykman?.parent ?? '', /^(sh|dash|bash)$/, `ykman was started by ${ykman?.parent}, not by a shell`);
  const s = seen(w, from);
  assert.equal(s.sessions.length, 1);
  assert.equal(s.sessions[0]?.params.TokenCode, '246810');
  assert.equal(s.sessions[0]?.params.SerialNumber, w.serial);
  assert.equal(s.assumes.length, 1);
  assert.equal(s.assumes[0]?.status, 200);
});

test('the JS SDK uses an MFA role through credential_process = stsx assume, no terminal, the code from mfa_prompt = zenity (a fake zenity)', async () => {
  const w = mfaWorld('mfa-sdk', '135791', 'mfa_prompt = zenity\n');
  recorder(w, 'zenity', '135791');
  const from = sts.requests.length;
  const r = await noTerminal(w, [process.execPath, SDK_WHOAMI, 'cp', sts.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-sdk-role/mfa-sdk`);
  assert.deepEqual(recorded(w, 'zenity')?.argv, ['--entry', '--title', 'stsx', '--text', `MFA code for ${w.serial}`]);
  const s = seen(w, from);
  assert.equal(s.sessions.length, 1);
  assert.equal(s.sessions[0]?.params.TokenCode, '135791');
});

test('--prompt ykman on whoami (the code goes with the AssumeRole of the profile\'s chain), and --token-code wins over mfa_process', async () => {
  const w = mfaWorld('mfa-whoami', '112233', 'mfa_process = never-run\n');
  recorder(w, 'ykman', '112233');
  const from = sts.requests.length;
  const r = await runStsx(['whoami', '--profile', 'r', '--query', 'Arn', '--prompt', 'ykman'], { env: w.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-whoami-role/mfa-whoami`);
  assert.deepEqual(recorded(w, 'ykman')?.argv, ['oath', 'accounts', 'code', '--single', w.serial], 'ykman is asked for the account named after the MFA serial');
  assert.deepEqual(seen(w, from).assumes.map((q) => q.params.TokenCode), ['112233']);

  sts.setMfaDevice(w.serial, '445566', { oneTime: true });
  const t = await runStsx(['assume', '--profile', 'r', '--token-code', '445566', '--format', 'json'], { env: w.env });
  assert.equal(t.code, 0, t.stderr);
  assert.equal(seen(w, from).sessions.at(-1)?.params.TokenCode, '445566');
});

test('no terminal and nothing configured: stsx assume fails at once, saying what to configure', async () => {
  const w = mfaWorld('mfa-none', '778899', '');
  const from = sts.requests.length;
  const r = await runStsx(['assume', '--profile', 'r', '--format', 'json'], { env: w.env });
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(errorLines(r.stderr), [
    `stsx: an MFA code is needed for ${w.serial}, but there is no terminal to ask on`,
    '  hint: set mfa_process in profile "r" to a command that prints the code (e.g. ykman oath accounts code --single NAME), or pass --prompt ykman|zenity|kdialog|osascript|wincredui (or set STSX_MFA_PROMPT), or pass --token-code <6 digits>',
  ]);
  assert.equal(r.stdout, '');
  assert.equal(seen(w, from).sessions.length, 0);
});

/** Whether a process is still there (a zombie waiting for its parent counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('a hanging mfa_process is killed at --timeout with the processes it started, and stsx exits with one line naming it', async () => {
  const w = mfaWorld('mfa-hang', '101010', 'mfa_process = hang-code\n');
  w.program('hang-code', 'echo $$ > "$HOME/hang.pid"\nsleep 300 &\necho $! > "$HOME/hang.child"\nwait');
  const started = Date.now();
  const r = await runStsx(['assume', '--profile', 'r', '--format', 'json', '--timeout', '2'], { env: w.env, timeoutMs: 20000 });
  const elapsed = Date.now() - started;
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: the MFA code process \(mfa_process of profile "r"\) did not finish within 2(\.\d)? s; it was stopped$/);
  assert.ok(elapsed < 10000, `exited after ${elapsed} ms`);
  assert.equal(r.stdout, '');
  const pids = ['hang.pid', 'hang.child'].map((f) => Number(readFileSync(path.join(w.home, f), 'utf8').trim()));
  // SIGKILL to the group is sent before stsx exits; the kernel may take a moment to reap.
  for (let i = 0; i < 50 && pids.some(alive); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(pids.filter(alive), [], 'the process and its child are gone');
});

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const HOSTILE: [string, string, RegExp][] = [
  ['prints nothing', 'exit 0', /^stsx: the MFA code process \(mfa_process of profile "r"\) printed nothing$/],
  ['prints twelve digits', 'echo 123456789012', /^stsx: the MFA code process \(mfa_process of profile "r"\) printed something other than a six-digit code \(not shown\)$/],
  ['prints a secret', `echo '${SECRET}'`, /^stsx: the MFA code process \(mfa_process of profile "r"\) printed something other than a six-digit code \(not shown\)$/],
  ['exits non-zero', `echo 'first line' >&2\necho 'aws_secret_access_key=${SECRET}' >&2\necho 'Error: no YubiKey detected' >&2\nexit 3`, /^stsx: the MFA code process \(mfa_process of profile "r"\) exited with status 3: first line \| aws_secret_access_key=\*\*\*\* \| Error: no YubiKey detected$/],
];
for (const [name, body, pattern] of HOSTILE) {
  test(`an mfa_process that ${name}: exit 4, one line naming it, nothing of its output echoed, no STS call`, async () => {
    const w = mfaWorld(`mfa-${name.replace(/\W+/g, '-')}`, '202020', 'mfa_process = bad-code --flag\n');
    w.program('bad-code', body);
    const from = sts.requests.length;
    const r = await runStsx(['assume', '--profile', 'r', '--format', 'json', '--debug'], { env: w.env });
    assert.equal(r.code, 4, r.stderr);
    const lines = errorLines(r.stderr).filter((l) => !l.startsWith('stsx: debug:'));
    assert.match(lines[0] ?? '', pattern);
    assert.doesNotMatch(r.stderr, /123456789012|wJalrXUtnFEMI/);
    assert.equal(r.stdout, '');
    assert.equal(seen(w, from).sessions.length, 0);
  });
}

test('--mfa-process on decode and endpoint --check: the code goes with the AssumeRole of the profile\'s chain; a quoted path with blanks is one program', async () => {
  const w = mfaWorld('mfa-flags', '000000', 'mfa_process = never-run\n');
  const dir = path.join(w.home, 'my codes');
  mkdirSync(dir);
  const printer = path.join(dir, 'print code');
  writeFileSync(printer, `#!/bin/sh\ncat "$HOME/next-code"\n`);
  chmodSync(printer, 0o755);
  const line = `'${printer}'`;

  const from = sts.requests.length;
  sts.setMfaDevice(w.serial, '314159', { oneTime: true });
  writeFileSync(path.join(w.home, 'next-code'), '314159\n');
  const encoded = `bWZh${'z'.repeat(300)}`;
  sts.setDecodedMessage(encoded, '{"allowed":false}');
  const decoded = await runStsx(['decode', encoded, '--profile', 'r', '--mfa-process', line, '--output', 'json'], { env: w.env });
  assert.equal(decoded.code, 0, decoded.stderr);

  sts.setMfaDevice(w.serial, '271828', { oneTime: true });
  writeFileSync(path.join(w.home, 'next-code'), '271828\n');
  const check = await runStsx(['endpoint', '--check', '--profile', 'r', '--mfa-process', line], { env: w.env });
  assert.doesNotMatch(check.stderr, /never-run|MFA code process/, check.stderr);
  assert.deepEqual(seen(w, from).assumes.map((q) => [q.params.TokenCode, q.status]), [['314159', 200], ['271828', 200]]);
});

test('--prompt refuses a name it does not know at once (exit 2), and a prompt of another system (exit 3), before any STS call', async () => {
  const w = mfaWorld('mfa-prompts', '909090', '');
  const from = sts.requests.length;
  const bad = await runStsx(['assume', '--profile', 'r', '--prompt', 'yubikey'], { env: w.env });
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(errorLines(bad.stderr)[0], 'stsx: --prompt must be one of terminal, ykman, zenity, kdialog, osascript, wincredui (got "yubikey")');
  const mac = await runStsx(['assume', '--profile', 'r', '--format', 'json', '--prompt', 'osascript'], { env: w.env });
  assert.equal(mac.code, 3, mac.stderr);
  assert.equal(errorLines(mac.stderr)[0], 'stsx: the osascript MFA prompt (--prompt) works only on macOS');
  const env = await runStsx(['session-token', '--profile', 'u', '--mfa-serial', w.serial, '--format', 'json'], { env: { ...w.env, STSX_MFA_PROMPT: 'wincredui' } });
  assert.equal(env.code, 3, env.stderr);
  assert.equal(errorLines(env.stderr)[0], 'stsx: the wincredui MFA prompt (STSX_MFA_PROMPT) works only on Windows');
  assert.equal(seen(w, from).sessions.length, 0);
});
