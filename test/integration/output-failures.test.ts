// stdout, stderr and GITHUB_ENV that cannot be written: a full disk (/dev/full), a reader that
// went away (EPIPE), a closed descriptor, a GITHUB_ENV that is a directory or in a missing
// folder. Each is one `stsx:` line with its own exit code (74 for output, 3 for configuration),
// never a stack trace, and never the success line after output that did not arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, STSX } from '../support/run-cli.ts';
import { runShell, sq } from '../support/shell.ts';

let sts: StsServer;
let role: string;
let env: Record<string, string>;
let secret: string;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
  const u = sts.addUser({ account: '111122223333', userName: 'writer' });
  role = 'arn:aws:iam::111122223333:role/out';
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  secret = u.secretAccessKey;
  env = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url }).env;
});
after(async () => {
  await sts?.close();
});

/** Runs stsx under sh with a redirection, e.g. `>/dev/full`; stdout/stderr as the shell saw them. */
function stsxIn(redirect: string, args: string[], extraEnv: Record<string, string> = {}) {
  const cmd = [process.execPath, STSX, ...args].map(sq).join(' ');
  return runShell('sh', `exec ${cmd} ${redirect}`, { ...env, ...extraEnv });
}

function assertOneError(stderr: string, pattern: RegExp): void {
  const lines = errorLines(stderr);
  assert.match(lines[0] ?? '', pattern, stderr);
  assert.ok(lines.length <= 2 && (lines[1] === undefined || lines[1].startsWith('  hint: ')), `one error line plus a hint:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at |node:internal|Error:/, 'no stack trace');
  assert.ok(!stderr.includes(secret), 'no secret on stderr');
}

test('assume >/dev/full: exit 74, one line, and no success line', async () => {
  const r = await stsxIn('>/dev/full', ['assume', '--role-arn', role, '--format', 'bash', '--no-cache']);
  assert.equal(r.code, 74, r.stderr);
  assertOneError(r.stderr, /^stsx: could not write to standard output: no space left on the device \(ENOSPC\)$/);
  assert.doesNotMatch(r.stderr, /assumed|expires/, 'the success line must not follow a failed write');
});

test('a cache hit >/dev/full: exit 74 as well', async () => {
  const first = await runStsx(['assume', '--role-arn', role, '--format', 'json'], { env });
  assert.equal(first.code, 0, first.stderr);
  const r = await stsxIn('>/dev/full', ['assume', '--role-arn', role, '--format', 'json']);
  assert.equal(r.code, 74, r.stderr);
  assert.doesNotMatch(r.stderr, /using cached/);
});

for (const args of [['unset', '--format', 'fish'], ['--help'], ['--version'], ['assume', '--help'], ['whoami'], ['endpoint']]) {
  test(`stsx ${args.join(' ')} >/dev/full: exit 74, no stack trace`, async () => {
    const r = await stsxIn('>/dev/full', args);
    assert.equal(r.code, 74, r.stderr);
    assertOneError(r.stderr, /^stsx: could not write to standard output: no space left on the device \(ENOSPC\)$/);
  });
}

test('stderr on /dev/full: stdout still complete, exit code unchanged, no crash', async () => {
  const ok = await stsxIn('2>/dev/full', ['assume', '--role-arn', role, '--format', 'bash', '--no-cache', '--debug']);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /^export AWS_SESSION_TOKEN='.+';$/m);
  const bad = await stsxIn('2>/dev/full', ['assume', '--format', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  const both = await stsxIn('>/dev/full 2>/dev/full', ['unset', '--format', 'bash']);
  assert.equal(both.code, 74);
});

test('stdout closed by the caller (exec 1>&-): no crash', async () => {
  // Node reopens a closed stdout as /dev/null at start-up, so this is indistinguishable from
  // `>/dev/null`: the lines are discarded and the run succeeds. What must not happen is a crash.
  const r = await runShell('sh', `exec 1>&-; exec ${[process.execPath, STSX, 'unset', '--format', 'bash'].map(sq).join(' ')}`, env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('the reader went away (EPIPE): exit 74, one line', async () => {
  const child = spawn(process.execPath, [STSX, 'assume', '--role-arn', role, '--format', 'bash', '--no-cache'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Close our end before stsx writes anything: every write then fails with EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 74, stderr);
  assertOneError(stderr, /^stsx: could not write to standard output: the program reading it exited before reading everything \(EPIPE\)$/);
  assert.doesNotMatch(stderr, /assumed/);
});

test('GITHUB_ENV that is a directory: exit 3, nothing on stdout', async () => {
  const dir = path.join(env.HOME ?? '', 'github-env-dir');
  mkdirSync(dir);
  const r = await runStsx(['assume', '--role-arn', role, '--format', 'github', '--no-cache'], { env: { ...env, GITHUB_ENV: dir } });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '', 'no masks when the variables could not be written');
  assertOneError(r.stderr, /^stsx: GITHUB_ENV is ".*github-env-dir", which is a directory, not a file$/);
});

test('GITHUB_ENV in a folder that does not exist: exit 3, nothing on stdout', async () => {
  const file = path.join(env.HOME ?? '', 'no-such-dir', 'env');
  const r = await runStsx(['assume', '--role-arn', role, '--format', 'github', '--no-cache'], { env: { ...env, GITHUB_ENV: file } });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  assertOneError(r.stderr, /^stsx: GITHUB_ENV is ".*no-such-dir\/env", and the folder it should be in does not exist$/);
});

test('GITHUB_ENV on a full disk (/dev/full): exit 74, nothing on stdout', async () => {
  const r = await runStsx(['assume', '--role-arn', role, '--format', 'github', '--no-cache'], { env: { ...env, GITHUB_ENV: '/dev/full' } });
  assert.equal(r.code, 74, r.stderr);
  assert.equal(r.stdout, '');
  assertOneError(r.stderr, /^stsx: could not write to the GITHUB_ENV file "\/dev\/full": no space left on the device \(ENOSPC\)$/);
});

test('GITHUB_ENV that works: the variables are appended and the masks printed', async () => {
  const file = path.join(env.HOME ?? '', 'github_env');
  const r = await runStsx(['assume', '--role-arn', role, '--format', 'github', '--no-cache'], { env: { ...env, GITHUB_ENV: file } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^::add-mask::/);
  assert.match(readFileSync(file, 'utf8'), /^AWS_SESSION_TOKEN<<ghadelimiter_/m);
});
