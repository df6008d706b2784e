// An MFA role from an IAM user's long-term keys goes through one MFA session (GetSessionToken with
// the code, cached under `stsx session-token`'s key), then AssumeRole from that session without a
// code: `stsx exec --server` asks once (or uses --token-code once) across many role refreshes, with
// the JS SDK and the AWS CLI v2 as consumers against the project's STS server, whose TOTP device
// refuses a replayed code as AWS does. `stsx assume` and `stsx session-token` share the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, runStsx, STSX } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';
import { sq } from '../support/shell.ts';

const LOOP = path.join(ROOT, 'test/fixtures/exec/sdk-loop.mjs');
const ACCOUNT = '777788889999';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

interface World {
  env: Record<string, string>;
  role: string;
  serial: string;
  userKey: string;
}

/** An IAM user with keys, a role that requires MFA, and a TOTP device (each code good once). */
function world(name: string, code: string): World {
  const serial = `arn:aws:iam::${ACCOUNT}:mfa/${name}`;
  const w = userWorld(sts, { name, account: ACCOUNT, region: 'eu-west-1', role: { requireMfa: true, maxSessionDuration: 43200 } });
  sts.setMfaDevice(serial, code, { oneTime: true });
  return { env: w.env, role: w.role, serial, userKey: w.user.accessKeyId };
}

/** What STS saw for this world since `from`. */
function seen(w: World, from: number) {
  const during = sts.requests.slice(from);
  const sessions = during.filter((q) => q.action === 'GetSessionToken' && q.accessKeyId === w.userKey);
  const assumes = during.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === w.role);
  const withCode = during.filter((q) => q.params.TokenCode !== undefined && (q.accessKeyId === w.userKey || q.params.RoleArn === w.role));
  return { sessions, assumes, withCode, during };
}

test('exec --server with an MFA role and --token-code: one GetSessionToken, the code used once, one AssumeRole per refresh across several expirations', async () => {
  const w = world('mfa-refresh', '864200');
  // Role sessions of 8 s, handed out while 3 s remain: a request signed with one must still find
  // it valid at the server on a loaded CI machine (6 s and 2 s once let one arrive expired).
  sts.setCredentialLifetime(8, ['AssumeRole']);
  try {
    const from = sts.requests.length;
    const r = await runStsx(['exec', '--debug', '--role-arn', w.role, '--mfa-serial', w.serial, '--token-code', '864200', '--server', '--min-ttl', '3s', '--', process.execPath, LOOP, '16000', '200', '6500', '2'], { env: w.env, timeoutMs: 90000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /could not refresh|MFA code/, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { keys: string[]; errors: string[]; cli: string[] };
    assert.deepEqual(out.errors, []);
    const sdkKeys = new Set(out.keys);
    assert.ok(sdkKeys.size >= 3, `the SDK saw ${sdkKeys.size} access key ids across the expirations`);
    assert.ok(out.cli.length >= 2, `the AWS CLI ran ${out.cli.length} times`);
    for (const arn of out.cli) assert.match(arn, /^arn:aws:sts::777788889999:assumed-role\/mfa-refresh-role\//);

    const s = seen(w, from);
    assert.equal(s.sessions.length, 1, 'one MFA session');
    assert.equal(s.sessions[0]?.status, 200);
    assert.equal(s.sessions[0]?.params.SerialNumber, w.serial);
    assert.equal(s.withCode.length, 1, 'the one-time code is sent once, to GetSessionToken');
    assert.equal(s.withCode[0]?.action, 'GetSessionToken');
    // Every AssumeRole is signed by the MFA session and carries no code; every one succeeded.
    assert.ok(s.assumes.length >= 3, `${s.assumes.length} AssumeRole calls`);
    for (const q of s.assumes) {
      assert.equal(q.status, 200);
      assert.equal(q.params.SerialNumber, undefined);
      assert.match(q.accessKeyId ?? '', /^ASIA/);
    }
    assert.equal(new Set(s.assumes.map((q) => q.accessKeyId)).size, 1, 'all from the one MFA session');
    // One AssumeRole per refresh (the server's --debug line for each, plus the first), and every
    // role session issued was handed out and used, but perhaps the last, which a refresh may fetch
    // just before the child ends.
    const refreshes = (r.stderr.match(/credential server: .* via /g) ?? []).length;
    assert.equal(s.assumes.length, refreshes + 1, `${s.assumes.length} AssumeRole calls for ${refreshes} refreshes and the first`);
    const used = new Set(s.during.filter((q) => q.action === 'GetCallerIdentity').map((q) => q.accessKeyId));
    const handedOut = new Set([...sdkKeys, ...used]);
    assert.ok(handedOut.size === s.assumes.length || handedOut.size === s.assumes.length - 1, `${s.assumes.length} AssumeRole calls for ${handedOut.size} sessions handed out`);
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('exec --server with an MFA role on a terminal: the prompt appears once across several refreshes', async () => {
  const w = world('mfa-pty-refresh', '975310');
  sts.setCredentialLifetime(4, ['AssumeRole']);
  try {
    const from = sts.requests.length;
    const command = `${sq(process.execPath)} ${sq(STSX)} exec --role-arn ${sq(w.role)} --mfa-serial ${sq(w.serial)} --server --min-ttl 2s -- ${sq(process.execPath)} ${sq(LOOP)} 11000 200 0 0`;
    const steps = [[`Enter MFA code for ${w.serial}: `, '975310\r']];
    const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), 'sh', '-c', command], { env: { ...w.env, PTY_DRIVE_TIMEOUT: '60' }, encoding: 'utf8' });
    const r = JSON.parse(stdout) as { code: number; transcript: string };
    assert.equal(r.code, 0, r.transcript);
    assert.equal(r.transcript.match(/Enter MFA code/g)?.length, 1, r.transcript);
    assert.doesNotMatch(r.transcript, /975310|could not refresh/);
    const json = /\{"keys":.*\}/.exec(r.transcript)?.[0] ?? '{}';
    const out = JSON.parse(json) as { keys?: string[]; errors?: string[] };
    assert.deepEqual(out.errors, []);
    assert.ok(new Set(out.keys).size >= 2, `the SDK saw ${new Set(out.keys).size} access key ids`);
    const s = seen(w, from);
    assert.equal(s.sessions.length, 1);
    assert.ok(s.assumes.length >= 2, `${s.assumes.length} AssumeRole calls`);
    assert.ok(s.assumes.every((q) => q.status === 200 && q.params.TokenCode === undefined));
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('exec --server --no-cache with an MFA role: the MFA session is kept in memory, so still one GetSessionToken and the code used once', async () => {
  const w = world('mfa-nocache', '468024');
  sts.setCredentialLifetime(4, ['AssumeRole']);
  try {
    const from = sts.requests.length;
    const r = await runStsx(['exec', '--role-arn', w.role, '--mfa-serial', w.serial, '--token-code', '468024', '--server', '--no-cache', '--min-ttl', '2s', '--', process.execPath, LOOP, '9000', '200', '0', '0'], { env: w.env, timeoutMs: 60000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /could not refresh/);
    const out = JSON.parse(r.stdout.trim()) as { keys: string[]; errors: string[] };
    assert.deepEqual(out.errors, []);
    assert.ok(new Set(out.keys).size >= 2, `the SDK saw ${new Set(out.keys).size} access key ids`);
    const s = seen(w, from);
    assert.equal(s.sessions.length, 1);
    assert.equal(s.withCode.length, 1);
    assert.ok(s.assumes.length >= 2 && s.assumes.every((q) => q.status === 200), `${s.assumes.length} AssumeRole calls`);
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('when the MFA session itself expires under --server with no terminal, the refresh fails with a warning and the one-time code is not sent again', async () => {
  const w = world('mfa-expiring', '192837');
  sts.setCredentialLifetime(5, ['AssumeRole', 'GetSessionToken']);
  try {
    const from = sts.requests.length;
    const r = await runStsx(['exec', '--role-arn', w.role, '--mfa-serial', w.serial, '--token-code', '192837', '--server', '--min-ttl', '2s', '--', process.execPath, LOOP, '10000', '250', '0', '0'], { env: w.env, timeoutMs: 60000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: the credential server could not refresh the credentials: an MFA code is needed for arn:aws:iam::777788889999:mfa\/mfa-expiring, but there is no terminal to ask on/);
    const s = seen(w, from);
    assert.equal(s.withCode.length, 1, 'the code went to STS once');
    assert.equal(s.sessions.length, 1);
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('assume and session-token share the MFA session: one code, then neither asks again', async () => {
  const w = world('mfa-shared', '123987');
  const from = sts.requests.length;
  const st = await runStsx(['session-token', '--mfa-serial', w.serial, '--token-code', '123987', '--format', 'json'], { env: w.env });
  assert.equal(st.code, 0, st.stderr);
  // No terminal and no code: only the cached MFA session can make this work.
  const a = await runStsx(['assume', '--role-arn', w.role, '--mfa-serial', w.serial, '--format', 'json'], { env: w.env });
  assert.equal(a.code, 0, a.stderr);
  const role = await runStsx(['assume', '--role-arn', w.role, '--mfa-serial', w.serial, '--format', 'json', '--role-session-name', 'second', '--refresh'], { env: w.env });
  assert.equal(role.code, 0, role.stderr);
  const s = seen(w, from);
  assert.equal(s.sessions.length, 1);
  assert.equal(s.assumes.length, 2);
  assert.ok(s.assumes.every((q) => q.status === 200 && q.params.TokenCode === undefined));

  // The other way round: the session assume made is the one session-token prints.
  const v = world('mfa-shared-back', '246913');
  const first = await runStsx(['assume', '--role-arn', v.role, '--mfa-serial', v.serial, '--token-code', '246913', '--format', 'json'], { env: v.env });
  assert.equal(first.code, 0, first.stderr);
  const back = await runStsx(['session-token', '--mfa-serial', v.serial, '--format', 'json'], { env: v.env });
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stderr, /using a cached session token/);
  const sv = seen(v, from);
  assert.equal(sv.sessions.length, 1);
  assert.equal(sv.withCode.length, 1);
  assert.equal(JSON.parse(back.stdout).AccessKeyId, sv.assumes[0]?.accessKeyId);
});

test('a source that is already a session cannot make an MFA session: AssumeRole with the code, as before, and a note under --server', async () => {
  const w = world('mfa-from-session', '314159');
  // Temporary keys of the IAM user (an MFA-less session) in the environment.
  const plain = await runStsx(['session-token', '--format', 'json', '--no-cache'], { env: w.env });
  assert.equal(plain.code, 0, plain.stderr);
  const c = JSON.parse(plain.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const env = { ...w.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  const from = sts.requests.length;
  const r = await runStsx(['exec', '--role-arn', w.role, '--mfa-serial', w.serial, '--token-code', '314159', '--server', '--', process.execPath, '-e', ''], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^stsx: the credentials in the environment \(AWS_ACCESS_KEY_ID ASIA\*{4}\w{4}\) cannot make an MFA session \(GetSessionToken needs an IAM user's long-term keys\): every refresh asks for the MFA code for arn:aws:iam::777788889999:mfa\/mfa-from-session again$/m);
  assert.equal(r.stderr.match(/cannot make an MFA session/g)?.length, 1);
  const s = seen(w, from);
  assert.equal(s.sessions.length, 0);
  assert.equal(s.assumes.length, 1);
  assert.equal(s.assumes[0]?.params.TokenCode, '314159');
});
