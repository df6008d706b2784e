// whoami and decode end to end: the built CLI against moto and against the project's own STS
// server (faults, SigV4 checks, DecodeAuthorizationMessage), with the real AWS CLI v2 as a peer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMoto, type Moto } from '../support/moto.ts';
import { needPrerequisite } from '../support/prerequisites.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

let moto: Moto;
let sts: StsServer;

before(async () => {
  [moto, sts] = await Promise.all([startMoto(), startStsServer({ region: 'eu-west-1' })]);
});
after(async () => {
  await Promise.all([moto?.stop(), sts?.close()]);
});

const keysEnv = (u: { accessKeyId: string; secretAccessKey: string }): Record<string, string> => ({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey });

test('moto: whoami with environment keys, JSON, --query', async () => {
  const user = await moto.createUser('alice');
  const box = sandbox({ ...keysEnv(user), AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' });
  const text = await runStsx(['whoami'], { env: box.env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Account {3}${user.account}$`, 'm'));
  assert.match(text.stdout, /^Principal IAM user alice$/m);
  const json = await runStsx(['whoami', '--output', 'json'], { env: box.env });
  assert.deepEqual(JSON.parse(json.stdout), { UserId: user.userId, Account: user.account, Arn: user.arn });
  const account = await runStsx(['whoami', '--query', 'Account'], { env: box.env });
  assert.equal(account.stdout, `${user.account}\n`);
  assert.equal(account.stderr, '');
});

test('moto: whoami with a profile of static keys, and a role_arn/source_profile profile', async () => {
  const user = await moto.createUser('bob');
  const role = await moto.createRole('deployer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'sts:AssumeRole' }] });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: moto.url });
  box.writeCredentials(`[bob]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  box.writeConfig(`[profile bob]\nregion = us-east-1\n[profile deploy]\nrole_arn = ${role.arn}\nsource_profile = bob\nrole_session_name = ci-run\n`);
  const asUser = await runStsx(['whoami', '--profile', 'bob', '--query', 'Arn'], { env: box.env });
  assert.equal(asUser.stdout.trim(), user.arn, asUser.stderr);
  const asRole = await runStsx(['whoami', '--profile', 'deploy', '--query', 'Arn'], { env: box.env });
  assert.equal(asRole.code, 0, asRole.stderr);
  assert.equal(asRole.stdout.trim(), `arn:aws:sts::${user.account}:assumed-role/deployer/ci-run`);
  const viaEnvProfile = await runStsx(['whoami', '--query', 'Arn'], { env: { ...box.env, AWS_PROFILE: 'deploy' } });
  assert.equal(viaEnvProfile.stdout.trim(), `arn:aws:sts::${user.account}:assumed-role/deployer/ci-run`);
});

test('own server: whoami, GetAccessKeyInfo, and the regional endpoint signed for its region', async () => {
  const user = sts.addUser({ account: '444455556666', userName: 'carol' });
  const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
  const r = await runStsx(['whoami', '--endpoint-url', sts.url, '--output', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { UserId: user.userId, Account: '444455556666', Arn: user.arn });
  const last = sts.requests.at(-1);
  assert.equal(last?.action, 'GetCallerIdentity');
  assert.equal(last?.signingRegion, 'eu-west-1');
  const info = await runStsx(['whoami', '--endpoint-url', sts.url, '--access-key-id', user.accessKeyId, '--query', 'Account'], { env: box.env });
  assert.equal(info.stdout, '444455556666\n', info.stderr);
});

test('own server: the AWS CLI v2 and stsx agree on the same identity', async () => {
  needPrerequisite('aws-cli-v2');
  const user = sts.addUser({ account: '444455556666', userName: 'dave' });
  const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
  const ours = await runStsx(['whoami', '--endpoint-url', sts.url, '--output', 'json'], { env: box.env });
  // Asynchronously: the STS server runs in this process and must keep answering.
  const theirs = await promisify(execFile)('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'], { env: box.env, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(ours.stdout), JSON.parse(theirs.stdout));
});

const failures: { name: string; setup: (s: StsServer) => void; args?: string[]; code: number; message: RegExp; maxMs?: number }[] = [
  { name: 'unknown access key', setup: () => undefined, code: 4, message: /does not recognise the access key id \(InvalidClientTokenId\)/ },
  { name: 'wrong signing region for the endpoint', setup: () => undefined, args: ['--region', 'us-west-2'], code: 4, message: /SignatureDoesNotMatch/ },
  { name: '503 on every attempt', setup: (s) => s.fault({ status: 503 }), code: 5, message: /answered HTTP 503 \(ServiceUnavailable\) after 3 attempts/ },
  { name: 'throttling on every attempt', setup: (s) => s.fault({ status: 400, code: 'Throttling', message: 'Rate exceeded' }), code: 5, message: /kept throttling the request .*\(Throttling\)/ },
  { name: 'an answer that is not XML', setup: (s) => s.fault({ status: 200, body: '<html>captive portal' }), code: 5, message: /this is not an STS answer: .* answered GetCallerIdentity with HTTP 200/ },
  { name: 'a slow answer beyond --timeout', setup: (s) => s.fault({ status: 200, delayMs: 5000 }), args: ['--timeout', '1'], code: 5, message: /the request to 127\.0\.0\.1:\d+ got no answer within 1(\.\d)? s/, maxMs: 4000 },
];

for (const f of failures) {
  test(`own server: ${f.name} -> exit ${f.code}`, async () => {
    sts.clearFaults();
    const user = f.name === 'unknown access key' ? { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'unknownSecretEXAMPLEunknownSecretEXAMPLE' } : sts.addUser({ userName: `u${Date.now()}` });
    f.setup(sts);
    const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
    const started = Date.now();
    const r = await runStsx(['whoami', '--endpoint-url', sts.url, ...(f.args ?? [])], { env: box.env });
    const elapsed = Date.now() - started;
    sts.clearFaults();
    assert.equal(r.code, f.code, r.stderr);
    assert.equal(r.stdout, '');
    const lines = errorLines(r.stderr);
    assert.match(lines[0] ?? '', f.message);
    assert.ok(lines.length <= 2, r.stderr);
    assert.ok(!r.stderr.includes(user.secretAccessKey), 'no secret in errors');
    if (f.maxMs) assert.ok(elapsed < f.maxMs, `took ${elapsed} ms`);
  });
}

test('own server: one 503 is retried by the SDK and succeeds', async () => {
  sts.clearFaults();
  const user = sts.addUser({ userName: 'retry' });
  sts.fault({ status: 503, times: 1 });
  const r = await runStsx(['whoami', '--endpoint-url', sts.url, '--query', 'Arn'], { env: sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' }).env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), user.arn);
});

test('own server: expired temporary keys give a clear expired-credentials error', async () => {
  const user = sts.addUser({ userName: 'exp' });
  const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
  const issued = await runStsx(['session-token', '--endpoint-url', sts.url, '--format', 'json'], { env: box.env });
  assert.equal(issued.code, 0, issued.stderr);
  const creds = JSON.parse(issued.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  sts.expireCredentials(creds.AccessKeyId);
  const r = await runStsx(['whoami', '--endpoint-url', sts.url], { env: { ...box.env, AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken } });
  assert.equal(r.code, 4, r.stderr);
  assert.match(errorLines(r.stderr)[0] ?? '', /have expired \(ExpiredToken\)/);
  assert.ok(!r.stderr.includes(creds.SessionToken) && !r.stderr.includes(creds.SecretAccessKey));
});

test('own server: decode a bare message, a pasted error, a file and stdin; --output json is only the document', async () => {
  const user = sts.addUser({ userName: 'decoder' });
  const decoded = JSON.stringify({ allowed: false, explicitDeny: false, matchedStatements: { items: [] }, failures: { items: [] }, context: { principal: { id: 'AIDAX', arn: user.arn }, action: 'RunInstances', resource: 'arn:aws:ec2:eu-west-1:123456789012:instance/*', conditions: { items: [{ key: 'aws:Service', values: { items: [{ value: 'ec2' }] } }] } } });
  const encoded = 'Zm9vYmFyYmF6-_' + 'x'.repeat(300);
  sts.setDecodedMessage(encoded, decoded);
  const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
  const pasted = `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ${encoded}`;
  const file = path.join(box.home, 'err.txt');
  writeFileSync(file, pasted);
  for (const [args, input] of [[[encoded], ''], [[pasted], ''], [[`file://${file}`], ''], [['-'], pasted], [[], pasted]] as [string[], string][]) {
    const r = await runStsx(['decode', '--endpoint-url', sts.url, ...args], { env: box.env, input });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Result {5}DENIED: no policy statement allows this request \(implicit deny\)$/m);
    assert.match(r.stdout, /^Action {5}ec2:RunInstances$/m);
  }
  const json = await runStsx(['decode', '--endpoint-url', sts.url, '--output', 'json', encoded], { env: box.env });
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(decoded));
});

test('own server: decode errors: no permission (AccessDenied) and an invalid message', async () => {
  const user = sts.addUser({ userName: 'nodecode' });
  sts.denyDecode(user.accessKeyId);
  const box = sandbox({ ...keysEnv(user), AWS_REGION: 'eu-west-1' });
  const denied = await runStsx(['decode', '--endpoint-url', sts.url, 'A'.repeat(64)], { env: box.env });
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(denied.stderr, /access denied/);
  assert.match(denied.stderr, /hint: the caller needs permission for sts:DecodeAuthorizationMessage/);
  const other = sts.addUser({ userName: 'decoder2' });
  const invalid = await runStsx(['decode', '--endpoint-url', sts.url, 'B'.repeat(64)], { env: sandbox({ ...keysEnv(other), AWS_REGION: 'eu-west-1' }).env });
  assert.equal(invalid.code, 6, invalid.stderr);
  assert.match(invalid.stderr, /InvalidAuthorizationMessageException/);
});

test('moto and the own server answer the same whoami scenario the same way', async () => {
  const mUser = await moto.createUser('same');
  const sUser = sts.addUser({ account: mUser.account, userName: 'same' });
  const fromMoto = await runStsx(['whoami', '--output', 'json'], { env: sandbox({ ...keysEnv(mUser), AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' }).env });
  const fromOwn = await runStsx(['whoami', '--output', 'json', '--endpoint-url', sts.url], { env: sandbox({ ...keysEnv(sUser), AWS_REGION: 'eu-west-1' }).env });
  const a = JSON.parse(fromMoto.stdout) as Record<string, string>;
  const b = JSON.parse(fromOwn.stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(a), Object.keys(b));
  assert.equal(a.Arn, b.Arn);
  assert.equal(a.Account, b.Account);
  // moto makes IAM user ids up as random lower-case text; real IAM (and our server) use AIDA...
  assert.ok(a.UserId);
  assert.match(b.UserId ?? '', /^AIDA/);
});
