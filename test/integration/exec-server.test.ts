// `stsx exec --server`: the loopback container-credentials server, proven with real consumers (the
// JS SDK's default chain and the AWS CLI v2) across several short expirations of the project's
// STS server: no error, more than one access key id, one AssumeRole per refresh; and its security
// rules (token, Host, path, method), single flight under parallel requests, and its end with the child.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, ROOT, runStsx, sandbox, STSX } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';
import { sq } from '../support/shell.ts';

const LOOP = path.join(ROOT, 'test/fixtures/exec/sdk-loop.mjs');
const PROBE = path.join(ROOT, 'test/fixtures/exec/server-probe.mjs');
const ENV_CHILD = path.join(ROOT, 'test/fixtures/exec/env-child.mjs');
const ACCOUNT = '444455556666';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

function world(name: string): { env: Record<string, string>; role: string } {
  return userWorld(sts, { name, account: ACCOUNT, region: 'eu-west-1', role: true });
}

const assumeCalls = (role: string): string[] =>
  sts.requests.filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === role && q.status === 200).map((q) => q.accessKeyId ?? '');

test('the JS SDK and the AWS CLI v2 under --server: no error across several expirations, fresh keys, one AssumeRole per refresh', async () => {
  const w = world('server-refresh');
  sts.setCredentialLifetime(6);
  try {
    const started = sts.requests.length;
    const r = await runStsx(['exec', '--debug', '--role-arn', w.role, '--server', '--min-ttl', '2s', '--', process.execPath, LOOP, '16000', '200', '6500', '2'], { env: w.env, timeoutMs: 90000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { keys: string[]; errors: string[]; cli: string[] };
    assert.deepEqual(out.errors, []);
    const sdkKeys = new Set(out.keys);
    assert.ok(sdkKeys.size >= 3, `the SDK saw ${sdkKeys.size} access key ids across the expirations`);
    // Runs more than a credential lifetime apart: each one gets another session.
    assert.ok(out.cli.length >= 2, `the AWS CLI ran ${out.cli.length} times`);
    for (const arn of out.cli) assert.match(arn, /^arn:aws:sts::444455556666:assumed-role\/server-refresh-role\//);

    const during = sts.requests.slice(started);
    const issued = during.filter((q) => q.action === 'AssumeRole').length;
    const used = new Set(during.filter((q) => q.action === 'GetCallerIdentity').map((q) => q.accessKeyId));
    const cliKeys = new Set(during.filter((q) => q.action === 'GetCallerIdentity' && /aws-cli/.test(q.headers['user-agent'] ?? '')).map((q) => q.accessKeyId));
    assert.ok(cliKeys.size >= 2, `the AWS CLI used ${cliKeys.size} different access key ids`);
    // One AssumeRole per refresh (the server's --debug line for each, plus the first), and every
    // session STS issued was handed out and used, but perhaps the last, which a refresh may fetch
    // just before the child ends (none was fetched twice and thrown away).
    const refreshes = (r.stderr.match(/credential server: .* via /g) ?? []).length;
    assert.equal(issued, refreshes + 1, `${issued} AssumeRole calls for ${refreshes} refreshes and the first`);
    const handedOut = new Set([...sdkKeys, ...used]);
    assert.ok(handedOut.size === issued || handedOut.size === issued - 1, `${issued} AssumeRole calls for ${handedOut.size} sessions handed out`);
    assert.ok([...handedOut].every((k) => /^ASIA/.test(k ?? '')));
    assert.ok(during.filter((q) => q.action === 'GetCallerIdentity').every((q) => q.status === 200));
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('the server: exact token or 403, loopback Host only, one path, GET only; the container answer; single flight; gone with the child', async () => {
  const w = world('server-probe');
  sts.setCredentialLifetime(12);
  try {
    const before = assumeCalls(w.role).length;
    // 2 s before the expiry less than the 3 s minimum is left: 16 parallel requests make one refresh.
    const r = await runStsx(['exec', '--role-arn', w.role, '--server', '--min-ttl', '3s', '--no-cache', '--', process.execPath, PROBE, '2000', '16'], { env: w.env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { statuses: Record<string, number>; fields: string[]; first: string; account: string; expiration: string; parallelKeys: string[]; after: string; url: string; tokenLength: number };
    assert.deepEqual(out.statuses, { good: 200, localhost: 200, noToken: 403, wrongToken: 403, bearer: 403, rebinding: 403, otherPort: 403, otherPath: 404, post: 405 });
    assert.deepEqual(out.fields, ['AccessKeyId', 'AccountId', 'Expiration', 'SecretAccessKey', 'Token']);
    assert.equal(out.account, ACCOUNT);
    assert.match(out.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(out.tokenLength, 43, '32 random bytes in base64url');
    assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+\/stsx\/credentials$/);
    const issued = assumeCalls(w.role).slice(before);
    assert.equal(issued.length, 2, 'the first session, and one refresh for all 16 parallel requests');
    assert.match(out.after, /^ASIA/);
    assert.notEqual(out.after, out.first);
    // Each parallel request got the new session, or (a refresh slower than half a second on a busy
    // machine) the old one while it was still valid.
    for (const key of out.parallelKeys) assert.ok(key === out.after || key === out.first, out.parallelKeys.join(' '));
    // It exits with the child.
    const gone = await new Promise<string>((resolve) => {
      http.get(out.url, (res) => resolve(`status ${res.statusCode}`)).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.equal(gone, 'ECONNREFUSED');
  } finally {
    sts.setCredentialLifetime(undefined);
  }
});

test('--server gives no keys to the child, only the URL and token; long-term keys are refused', async () => {
  const w = world('server-env');
  const r = await runStsx(['exec', '--role-arn', w.role, '--server', '--', process.execPath, ENV_CHILD], { env: { ...w.env, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' } });
  assert.equal(r.code, 0, r.stderr);
  const v = (JSON.parse(r.stdout.trim()) as { vars: Record<string, string> }).vars;
  for (const gone of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) assert.equal(v[gone], undefined, gone);
  assert.match(v.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '', /^http:\/\/127\.0\.0\.1:\d+\/stsx\/credentials$/);
  assert.equal(v.AWS_CONTAINER_AUTHORIZATION_TOKEN, '<43 chars>');
  assert.equal(v.AWS_REGION, 'eu-west-1');
  assert.equal(v.STSX_ROLE_ARN, w.role);
  // Nothing was refreshed yet: the summary says what the server will do, not what it did.
  assert.doesNotMatch(r.stderr, /refreshed/);
  assert.match(r.stderr, /, served by a local credential server that gets fresh ones before they expire; running /);

  const keys = await runStsx(['exec', '--server', '--', process.execPath, ENV_CHILD], { env: w.env });
  assert.equal(keys.code, 2);
  assert.equal(keys.stdout, '');
  assert.deepEqual(errorLines(keys.stderr), [
    'stsx: --server hands out temporary credentials, but these are long-term keys (no session token)',
    '  hint: add --role-arn (or a profile with role_arn), or run without --server',
  ]);
});

test('an MFA role under --server: the code is asked once on the terminal; the next run reuses the cached session without asking', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'server-mfa' });
  const role = `arn:aws:iam::${ACCOUNT}:role/server-mfa-role`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice(`arn:aws:iam::${ACCOUNT}:mfa/server-mfa`, '135790');
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const command = `${sq(process.execPath)} ${sq(STSX)} exec --role-arn ${sq(role)} --mfa-serial arn:aws:iam::${ACCOUNT}:mfa/server-mfa --server -- ${sq(process.execPath)} ${sq(PROBE)} 999999999 4`;
  const drive = async (steps: unknown[]): Promise<{ code: number; transcript: string }> => {
    const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), 'sh', '-c', command], { env: box.env, encoding: 'utf8' });
    return JSON.parse(stdout) as { code: number; transcript: string };
  };
  const first = await drive([[`Enter MFA code for arn:aws:iam::${ACCOUNT}:mfa/server-mfa: `, '135790\r']]);
  assert.equal(first.code, 0, first.transcript);
  assert.equal(first.transcript.match(/Enter MFA code/g)?.length, 1);
  assert.doesNotMatch(first.transcript, /135790/);
  assert.match(first.transcript, /"parallelKeys":\["ASIA\w+","ASIA\w+","ASIA\w+","ASIA\w+"\]/);
  const calls = assumeCalls(role).length;
  assert.equal(calls, 1);
  const again = await drive([]);
  assert.equal(again.code, 0, again.transcript);
  assert.doesNotMatch(again.transcript, /Enter MFA code/);
  assert.equal(assumeCalls(role).length, 1, 'served from the cache');
});
