// The seed flows end to end against moto (an independent STS/IAM emulator): seed 004 (an IAM user
// assumes a role and evaluates the export lines in bash, then checks its identity with stsx and
// the AWS CLI v2), profiles with role_arn/source_profile, a two-hop chain, cross-account, MFA
// session tokens, and seed 002 (an EC2 instance role switching account through credential_source)
// with the project's IMDSv2 server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startMoto, type Moto } from '../support/moto.ts';
import { startImdsServer, type ImdsServer } from '../support/imds-server.ts';
import { runStsx, sandbox, STSX_ARGV } from '../support/run-cli.ts';
import { runShell, sq } from '../support/shell.ts';

let moto: Moto;
let imds: ImdsServer;
before(async () => {
  [moto, imds] = await Promise.all([startMoto(), startImdsServer({ region: 'ap-northeast-1' })]);
});
after(async () => {
  await Promise.all([moto?.stop(), imds?.close()]);
});

const trust = (principal: string): object => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const stsx = STSX_ARGV.map(sq).join(' ');

test('seed 004: eval "$(stsx assume --role-arn ...)" in bash, then whoami (stsx and AWS CLI v2) is the assumed role', async () => {
  const user = await moto.createUser('sts-user');
  const role = await moto.createRole('sts-role', trust(user.arn));
  const box = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'ap-northeast-1', AWS_PROFILE: 'stale', AWS_SECURITY_TOKEN: 'stale' });
  box.writeConfig('[profile stale]\nregion = ap-northeast-1\n');
  const aws = existsSync('/usr/bin/aws') ? `/usr/bin/aws sts get-caller-identity --endpoint-url ${sq(moto.url)} --query Arn --output text` : 'echo no-aws-cli';
  const script = `set -e
eval "$(${stsx} assume --profile stale --role-arn ${sq(role.arn)} --role-session-name seed004 --format bash)"
echo "profile=[\${AWS_PROFILE-unset}] token=[\${AWS_SECURITY_TOKEN-unset}]"
${stsx} whoami --query Arn
${aws}`;
  const r = await runShell('bash', script, box.env);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'profile=[unset] token=[unset]');
  const expected = `arn:aws:sts::${user.account}:assumed-role/sts-role/seed004`;
  assert.equal(lines[1], expected);
  if (existsSync('/usr/bin/aws')) assert.equal(lines[2], expected, 'the AWS CLI v2 consumes the exported variables');
  assert.match(r.stderr, /stsx: assumed arn:aws:sts::\d+:assumed-role\/sts-role\/seed004 via 127\.0\.0\.1:\d+, expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1h\)/);
});

test('a profile with role_arn + source_profile, and a two-hop chain', async () => {
  const user = await moto.createUser('chain-user');
  const first = await moto.createRole('first-hop', trust(user.arn));
  const second = await moto.createRole('second-hop', trust(first.arn));
  const box = sandbox({ AWS_ENDPOINT_URL_STS: moto.url });
  box.writeCredentials(`[base]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  box.writeConfig(`[profile base]\nregion = eu-west-1\n[profile one]\nrole_arn = ${first.arn}\nsource_profile = base\nrole_session_name = one\n[profile two]\nrole_arn = ${second.arn}\nsource_profile = one\nrole_session_name = two\n`);
  const one = await runStsx(['assume', '--profile', 'one', '--format', 'json'], { env: box.env });
  assert.equal(one.code, 0, one.stderr);
  const creds = JSON.parse(one.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(creds), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  assert.equal(creds.Version, 1);
  assert.match(one.stderr, /assumed-role\/first-hop\/one/);
  const two = await runStsx(['assume', '--profile', 'two', '--format', 'sh'], { env: box.env });
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /assumed-role\/second-hop\/two/);
  assert.match(two.stdout, /^export AWS_REGION='eu-west-1';$/m, 'the region follows source_profile');
  const who = await runShell('sh', `eval "$(cat)"; ${stsx} whoami --query Arn`.replace('$(cat)', two.stdout.replace(/"/g, '\\"')), box.env);
  assert.equal(who.stdout.trim(), `arn:aws:sts::${user.account}:assumed-role/second-hop/two`, who.stderr);
});

test('cross-account: the role ARN\'s account is the one assumed', async () => {
  const user = await moto.createUser('xacct-user');
  const role = await moto.createRole('CrossAccountAdmin', trust(`arn:aws:iam::${user.account}:root`), { account: '222222222222' });
  assert.match(role.arn, /^arn:aws:iam::222222222222:role\/CrossAccountAdmin$/);
  const box = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' });
  const script = `eval "$(${stsx} assume --role-arn ${sq(role.arn)} --role-session-name xacct)" && ${stsx} whoami --query Account`;
  const r = await runShell('bash', script, { ...box.env, SHELL: '/bin/bash' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '222222222222');
});

test('session-token with --mfa-serial and --token-code', async () => {
  const user = await moto.createUser('mfa-user');
  const box = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' });
  const r = await runStsx(['session-token', '--mfa-serial', `arn:aws:iam::${user.account}:mfa/mfa-user`, '--token-code', '123456', '--duration', '1h', '--format', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  const creds = JSON.parse(r.stdout) as { AccessKeyId: string; SessionToken: string; Expiration: string };
  assert.ok(creds.SessionToken.length > 0);
  assert.match(creds.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.stderr, /session token with MFA/);
});

test('seed 002: credential_source = Ec2InstanceMetadata switches into account 222222222222 (assume and whoami)', async () => {
  // The instance role's credentials: minted by moto, served by the IMDSv2 test server.
  const ec2 = await moto.createUser('ec2-instance-stand-in');
  const instanceRole = await moto.createRole('EC2-Instance-Role', trust(ec2.arn));
  const instanceCreds = await runStsx(['assume', '--role-arn', instanceRole.arn, '--role-session-name', 'i-0123456789abcdef0', '--format', 'json'], {
    env: sandbox({ AWS_ACCESS_KEY_ID: ec2.accessKeyId, AWS_SECRET_ACCESS_KEY: ec2.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'ap-northeast-1' }).env,
  });
  assert.equal(instanceCreds.code, 0, instanceCreds.stderr);
  const c = JSON.parse(instanceCreds.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  imds.setRole('EC2-Instance-Role', { AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, Token: c.SessionToken, Expiration: c.Expiration });
  await moto.createRole('Test-Switch-Role', trust(instanceRole.arn), { account: '222222222222' });

  const box = sandbox({ AWS_ENDPOINT_URL_STS: moto.url, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
  delete box.env.AWS_EC2_METADATA_DISABLED;
  box.writeConfig('[profile switch_test]\nrole_arn = arn:aws:iam::222222222222:role/Test-Switch-Role\ncredential_source = Ec2InstanceMetadata\nregion = ap-northeast-1\n');
  const assumed = await runStsx(['assume', '--profile', 'switch_test', '--format', 'bash'], { env: box.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.match(assumed.stderr, /assumed arn:aws:sts::222222222222:assumed-role\/Test-Switch-Role\//);
  assert.match(assumed.stdout, /^export AWS_REGION='ap-northeast-1';$/m);
  const who = await runStsx(['whoami', '--profile', 'switch_test', '--query', 'Account'], { env: box.env });
  assert.equal(who.code, 0, who.stderr);
  assert.equal(who.stdout, '222222222222\n');
  assert.ok(imds.requests.some((r) => r.method === 'PUT' && r.path === '/latest/api/token'), 'IMDSv2 token flow used');
  assert.ok(imds.requests.filter((r) => r.method === 'GET').every((r) => r.hadToken), 'every GET carried the token');
  // Role chaining from an instance role: more than an hour is explained before STS refuses it.
  const long = await runStsx(['assume', '--profile', 'switch_test', '--duration', '2h'], { env: box.env });
  assert.equal(long.code, 2);
  assert.match(long.stderr, /role chaining.*1 hour/);
});
