// Fidelity of the STS emulator: one scenario run against moto (a reference implementation)
// and against the emulator with identical shape assertions, then AWS CLI v2 (botocore's
// signer and parser) as a second, independent client of the emulator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startMoto, type Moto } from '../support/moto.ts';
import { AWS_CLI_V2, needPrerequisite } from '../support/prerequisites.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { accountFromAccessKeyId } from '../support/access-key-id.ts';
import { stsClient, type TestCreds } from '../support/sts-testkit.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const AWS_V2 = AWS_CLI_V2;
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';

interface Target {
  endpoint: string;
  createUser(name: string): Promise<TestCreds & { arn: string; userId: string; account: string }>;
  createRole(name: string, trusted: string, account: string): Promise<string>;
}

/** Type skeleton of an SDK output (values replaced by their kind), $metadata dropped. */
function shape(v: unknown): unknown {
  if (v instanceof Date) return 'Date';
  if (v === null || typeof v !== 'object') return typeof v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '$metadata').sort().map(([k, x]) => [k, shape(x)]));
}

const near = (d: Date | undefined, seconds: number): boolean => Math.abs((d?.getTime() ?? 0) - Date.now() - seconds * 1000) < 10_000;

/** The scenario; returns the shapes it saw so both targets can be compared. */
async function scenario(t: Target, opts: { sessionCredsKeepUser: boolean }): Promise<unknown[]> {
  const user = await t.createUser('fidelity-user');
  const asUser = stsClient(t.endpoint, user);
  const me = await asUser.send(new GetCallerIdentityCommand({}));
  assert.deepEqual([me.Arn, me.UserId, me.Account], [user.arn, user.userId, user.account]);
  assert.match(user.arn, /^arn:aws:iam::\d{12}:user\/fidelity-user$/);

  const roleArn = await t.createRole('fidelity-role', user.arn, user.account);
  assert.equal(roleArn, `arn:aws:iam::${user.account}:role/fidelity-role`);
  const ar = await asUser.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'fidelity', DurationSeconds: 900, Policy: POLICY }));
  const c = ar.Credentials;
  assert.match(c?.AccessKeyId ?? '', /^ASIA[A-Z0-9]{16}$/);
  assert.equal(accountFromAccessKeyId(c?.AccessKeyId ?? ''), user.account);
  assert.equal(c?.SecretAccessKey?.length, 40);
  assert.ok(near(c?.Expiration, 900), String(c?.Expiration));
  assert.equal(ar.AssumedRoleUser?.Arn, `arn:aws:sts::${user.account}:assumed-role/fidelity-role/fidelity`);
  assert.match(ar.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z0-9]+:fidelity$/);

  const roleCreds = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  const asRole = await stsClient(t.endpoint, roleCreds).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([asRole.Arn, asRole.UserId, asRole.Account], [ar.AssumedRoleUser?.Arn, ar.AssumedRoleUser?.AssumedRoleId, user.account]);

  const st = await asUser.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  assert.match(st.Credentials?.AccessKeyId ?? '', /^A[SK]IA[A-Z0-9]{16}$/); // moto answers with a fixed AKIA example key
  assert.ok((st.Credentials?.SessionToken?.length ?? 0) > 0);
  assert.ok(near(st.Credentials?.Expiration, 900));
  if (opts.sessionCredsKeepUser) {
    const s = st.Credentials;
    const who = await stsClient(t.endpoint, { accessKeyId: s?.AccessKeyId ?? '', secretAccessKey: s?.SecretAccessKey ?? '', sessionToken: s?.SessionToken ?? '' })
      .send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, user.arn);
  }
  return [shape(me), shape(ar), shape(asRole), shape(st)];
}

describe('emulator vs moto', () => {
  let moto: Moto;
  let sts: StsServer;
  const shapes: unknown[][] = [];

  before(async () => {
    [moto, sts] = await Promise.all([startMoto(), startStsServer()]);
  });
  after(async () => {
    await Promise.all([moto.stop(), sts.close()]);
  });

  it('scenario passes against moto', async () => {
    shapes.push(await scenario({
      endpoint: moto.url,
      createUser: (name) => moto.createUser(name),
      createRole: async (name, trusted) => (await moto.createRole(name, {
        Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: trusted }, Action: 'sts:AssumeRole' }],
      })).arn,
    }, { sessionCredsKeepUser: false })); // moto does not track GetSessionToken keys
  });

  it('scenario passes against the emulator, with the same shapes', async () => {
    shapes.push(await scenario({
      endpoint: sts.url,
      createUser: (name) => Promise.resolve(sts.addUser({ userName: name })),
      createRole: (name, trusted, account) => {
        const arn = `arn:aws:iam::${account}:role/${name}`;
        sts.addRole({ arn, trustedPrincipalArns: [trusted] });
        return Promise.resolve(arn);
      },
    }, { sessionCredsKeepUser: true }));
    assert.equal(shapes.length, 2, 'the moto run must have passed first');
    assert.deepEqual(shapes[1], shapes[0]);
  });
});

describe('AWS CLI v2 against the emulator', () => {
  let sts: StsServer;
  let home: string;
  before(async () => {
    sts = await startStsServer();
    home = mkdtempSync(join(tmpdir(), 'awscli-'));
  });
  after(async () => {
    await sts.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function aws(creds: TestCreds, args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
    const env: Record<string, string> = {
      PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8',
      AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    };
    const full = [...args, '--endpoint-url', sts.url, '--region', 'us-east-1', '--output', 'json'];
    try {
      const { stdout, stderr } = await promisify(execFile)(AWS_V2, full, { env, timeout: 60_000 });
      return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      return { code: err.code ?? -1, json: {}, stderr: err.stderr ?? String(e) };
    }
  }

  it('signs requests the emulator accepts and parses its answers', async () => {
    needPrerequisite('aws-cli-v2');
    const user = sts.addUser({ userName: 'cli-user' });
    const roleArn = `arn:aws:iam::${user.account}:role/cli-role`;
    sts.addRole({ arn: roleArn, trustedPrincipalArns: [user.arn] });

    const me = await aws(user, ['sts', 'get-caller-identity']);
    assert.equal(me.code, 0, me.stderr);
    assert.deepEqual(me.json, { UserId: user.userId, Account: user.account, Arn: user.arn });
    const rec = sts.requests.at(-1);
    assert.match(rec?.headers['user-agent'] ?? '', /^aws-cli\/2\./);
    assert.match(rec?.headers.authorization ?? '', /SignedHeaders=content-type;host;x-amz-date,/);

    // botocore encodes spaces as '+': the policy and tag value must arrive intact.
    const policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}';
    const ar = await aws(user, ['sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 'cli-session',
      '--duration-seconds', '900', '--policy', policy, '--tags', 'Key=team,Value=blue team', '--source-identity', 'alice']);
    assert.equal(ar.code, 0, ar.stderr);
    assert.equal(sts.requests.at(-1)?.params.Policy, policy);
    assert.equal(sts.requests.at(-1)?.params['Tags.member.1.Value'], 'blue team');
    const c = ar.json.Credentials as Record<string, string>;
    assert.deepEqual(Object.keys(c).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken']);
    assert.match(c.Expiration ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/); // CLI v2 re-renders as isoformat()
    assert.deepEqual(ar.json.AssumedRoleUser, {
      AssumedRoleId: (ar.json.AssumedRoleUser as { AssumedRoleId: string }).AssumedRoleId,
      Arn: `arn:aws:sts::${user.account}:assumed-role/cli-role/cli-session`,
    });
    assert.equal(typeof ar.json.PackedPolicySize, 'number');
    assert.equal(ar.json.SourceIdentity, 'alice');

    const role = { accessKeyId: c.AccessKeyId ?? '', secretAccessKey: c.SecretAccessKey ?? '', sessionToken: c.SessionToken ?? '' };
    const asRole = await aws(role, ['sts', 'get-caller-identity']);
    assert.equal(asRole.code, 0, asRole.stderr);
    assert.equal(asRole.json.Arn, `arn:aws:sts::${user.account}:assumed-role/cli-role/cli-session`);
    assert.match(sts.requests.at(-1)?.headers.authorization ?? '', /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,/);

    const denied = await aws(user, ['sts', 'assume-role', '--role-arn', `arn:aws:iam::${user.account}:role/nope`, '--role-session-name', 's1']);
    assert.equal(denied.code, 254);
    assert.match(denied.stderr, /An error occurred \(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:iam::\d+:user\/cli-user is not authorized/);
  });
});
