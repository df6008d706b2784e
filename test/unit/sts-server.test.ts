// The STS emulator against the real @aws-sdk/client-sts: every operation's happy path, the
// errors real STS returns (by SDK error `name` and exact message), auth, faults, standalone mode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand,
  GetSessionTokenCommand, STSClient, type AssumeRoleCommandInput,
} from '@aws-sdk/client-sts';
import { startStsServer, type StsIdentity, type StsServer } from '../support/sts-server.ts';
import { accountFromAccessKeyId } from '../support/access-key-id.ts';
import { SIGNATURE_MISMATCH } from '../support/sts-auth.ts';
import { DEMO_DECODED_MESSAGE } from '../support/sts-demo.ts';
import { xmlText } from '../support/sts-xml.ts';
import { rawRequest, rejectsWith, signedRequest, stsClient, type TestCreds } from '../support/sts-testkit.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const ACCT = '123456789012';
const ROLE = `arn:aws:iam::${ACCT}:role/deploy`;
const STRICT = `arn:aws:iam::${ACCT}:role/strict`; // external id + MFA
const FOREIGN = 'arn:aws:iam::999988887777:role/xacct';
const MFA = { SerialNumber: `arn:aws:iam::${ACCT}:mfa/alice`, TokenCode: '123456' };
const sec = (d: Date | undefined): number => Math.round(((d?.getTime() ?? 0) - Date.now()) / 1000);
const creds = (c: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined } | undefined): TestCreds =>
  ({ accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' });

let server: StsServer;
let alice: StsIdentity;
let bob: StsIdentity;
const as = (who: TestCreds, opts: Parameters<typeof stsClient>[2] = {}) => stsClient(server.url, who, opts);
const assume = (who: TestCreds, input: Partial<AssumeRoleCommandInput>) =>
  as(who).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'sess', ...input }));

before(async () => {
  server = await startStsServer({ acceptRegions: ['eu-central-1'] });
  alice = server.addUser({ userName: 'alice' });
  bob = server.addUser({ userName: 'bob', account: '210987654321' });
  server.addRole({ arn: ROLE, trustedPrincipalArns: [alice.arn, `arn:aws:iam::${ACCT}:role/deploy`], maxSessionDuration: 7200 });
  server.addRole({ arn: STRICT, trustedPrincipalArns: [ACCT], externalId: 'ext-123', requireMfa: true });
  server.addRole({ arn: FOREIGN });
  server.setMfaDevice(MFA.SerialNumber, MFA.TokenCode);
});
after(() => server.close());

describe('identity operations', () => {
  it('GetCallerIdentity returns the IAM user, with the request id from the header', async () => {
    const r = await as(alice).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([r.Arn, r.Account, r.UserId], [`arn:aws:iam::${ACCT}:user/alice`, ACCT, alice.userId]);
    assert.match(alice.userId, /^AIDA[A-Z2-7]{17}$/);
    assert.match(r.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(accountFromAccessKeyId(alice.accessKeyId), ACCT);
  });

  it('GetAccessKeyInfo knows its own keys and decodes modern foreign ones', async () => {
    const legacy = server.addUser({ userName: 'old', account: '444455556666', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    const info = async (id: string) => (await as(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: id }))).Account;
    assert.equal(await info(bob.accessKeyId), '210987654321');
    assert.equal(await info(legacy.accessKeyId), '444455556666');
    assert.equal(await info('ASIAY34FZKBOKMUTVV7A'), '609629065308');
    await rejectsWith(info('short'), 'ValidationError', /at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16$/);
  });
});

describe('AssumeRole', () => {
  it('issues working role credentials with every optional parameter', async () => {
    const r = await assume(alice, {
      RoleArn: STRICT, DurationSeconds: 1800, ExternalId: 'ext-123', ...MFA, SourceIdentity: 'Alice',
      Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
      PolicyArns: [{ arn: `arn:aws:iam::${ACCT}:policy/p1` }], Tags: [{ Key: 'Project', Value: 'Pegasus' }], TransitiveTagKeys: ['Project'],
    });
    const c = r.Credentials;
    assert.match(c?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(accountFromAccessKeyId(c?.AccessKeyId ?? ''), ACCT);
    assert.equal(c?.SecretAccessKey?.length, 40);
    assert.ok((c?.SessionToken?.length ?? 0) > 100);
    assert.ok(Math.abs(sec(c?.Expiration) - 1800) <= 2);
    assert.equal(c?.Expiration?.getUTCMilliseconds(), 0);
    assert.equal(r.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCT}:assumed-role/strict/sess`);
    assert.match(r.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:sess$/);
    assert.ok((r.PackedPolicySize ?? 0) >= 1 && (r.PackedPolicySize ?? 0) <= 100);
    assert.equal(r.SourceIdentity, 'Alice');
    const rec = server.requests.findLast((q) => q.action === 'AssumeRole');
    assert.equal(rec?.params['Tags.member.1.Key'], 'Project');
    const who = await as(creds(c)).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.Arn, who.UserId], [r.AssumedRoleUser?.Arn, r.AssumedRoleUser?.AssumedRoleId]);
  });

  it('treats empty lists as empty, omits PackedPolicySize, and keys encode the role account', async () => {
    const r = await assume(alice, { RoleArn: FOREIGN, Tags: [], PolicyArns: [] });
    assert.equal(r.PackedPolicySize, undefined);
    assert.equal(accountFromAccessKeyId(r.Credentials?.AccessKeyId ?? ''), '999988887777');
    assert.match(server.requests.at(-1)?.body ?? '', /&PolicyArns=&Tags=$/);
  });

  it('limits role chaining to one hour', async () => {
    const first = creds((await assume(alice, { DurationSeconds: 7200 })).Credentials);
    await rejectsWith(assume(first, { DurationSeconds: 3601 }), 'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const chained = await assume(first, { DurationSeconds: 3600 });
    assert.ok(Math.abs(sec(chained.Credentials?.Expiration) - 3600) <= 2);
  });

  const denied = (role: string) => `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${role}`;
  const semantic: Array<[string, () => Partial<AssumeRoleCommandInput>, string, () => string | RegExp]> = [
    ['unknown role', () => ({ RoleArn: `arn:aws:iam::${ACCT}:role/nope` }), 'AccessDenied', () => denied(`arn:aws:iam::${ACCT}:role/nope`)],
    ['wrong external id', () => ({ RoleArn: STRICT, ExternalId: 'ext-999', ...MFA }), 'AccessDenied', () => denied(STRICT)],
    ['MFA required but absent', () => ({ RoleArn: STRICT, ExternalId: 'ext-123' }), 'AccessDenied', () => denied(STRICT)],
    ['MFA serial without code', () => ({ SerialNumber: MFA.SerialNumber }), 'AccessDenied', () => 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.'],
    ['wrong MFA code', () => ({ ...MFA, TokenCode: '000000' }), 'AccessDenied', () => 'MultiFactorAuthentication failed with invalid MFA one time pass code. '],
    ['above MaxSessionDuration', () => ({ DurationSeconds: 7201 }), 'ValidationError', () => 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
    ['malformed policy', () => ({ Policy: '{"Version":' }), 'MalformedPolicyDocumentException', () => 'The policy is not in the valid JSON format.'],
  ];
  for (const [label, input, name, message] of semantic) {
    it(`rejects: ${label}`, async () => void (await rejectsWith(assume(alice, input()), name, message())));
  }

  it('enforces trust and per-account region activation', async () => {
    await rejectsWith(assume(bob, {}), 'AccessDenied', `User: ${bob.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`);
    const carol = server.addUser({ userName: 'carol', account: '555566667777' });
    server.addRole({ arn: 'arn:aws:iam::555566667777:role/r', trustedPrincipalArns: [carol.arn] });
    server.disableRegionForAccount('555566667777');
    await rejectsWith(assume(carol, { RoleArn: 'arn:aws:iam::555566667777:role/r' }), 'RegionDisabledException',
      'STS is not activated in this region for account:555566667777. Your account administrator can activate STS in this region using the IAM Console.');
    await rejectsWith(as(carol).send(new GetSessionTokenCommand({})), 'RegionDisabledException');
  });

  const validation: Array<[Partial<AssumeRoleCommandInput>, string]> = [
    [{ RoleArn: 'arn:aws:iam::1:r' }, v("'arn:aws:iam::1:r'", 'roleArn', 'must have length greater than or equal to 20')],
    [{ RoleSessionName: 'bad name!' }, v("'bad name!'", 'roleSessionName', 'must satisfy regular expression pattern: [\\w+=,.@-]*')],
    [{ RoleSessionName: 's'.repeat(65) }, v(`'${'s'.repeat(65)}'`, 'roleSessionName', 'must have length less than or equal to 64')],
    [{ RoleSessionName: 'a' }, v("'a'", 'roleSessionName', 'must have length greater than or equal to 2')],
    [{ RoleSessionName: undefined }, v('null', 'roleSessionName', 'must not be null')],
    [{ DurationSeconds: 600 }, v("'600'", 'durationSeconds', 'must have value greater than or equal to 900')],
    [{ DurationSeconds: 43201 }, v("'43201'", 'durationSeconds', 'must have value less than or equal to 43200')],
    [{ ExternalId: 'x' }, v("'x'", 'externalId', 'must have length greater than or equal to 2')],
    [{ SerialNumber: 'GAHT1', TokenCode: '123456' }, v("'GAHT1'", 'serialNumber', 'must have length greater than or equal to 9')],
    [{ ...MFA, TokenCode: '12345' }, v("'12345'", 'tokenCode', 'must have length greater than or equal to 6')],
    [{ ...MFA, TokenCode: '12345a' }, v("'12345a'", 'tokenCode', 'must satisfy regular expression pattern: [\\d]*')],
    [{ SourceIdentity: 'x' }, v("'x'", 'sourceIdentity', 'must have length greater than or equal to 2')],
    [{ RoleSessionName: 'bad name!', DurationSeconds: 100 }, "2 validation errors detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
  ];
  for (const [input, message] of validation) {
    it(`validates ${JSON.stringify(input).slice(0, 60)}`, async () => void (await rejectsWith(assume(alice, input), 'ValidationError', message)));
  }

  it('allows at most 50 tags', async () => {
    const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(assume(alice, { Tags }), 'ValidationError', /^1 validation error detected: Value '\[k0=v, .*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
  });
});

describe('GetSessionToken', () => {
  it('defaults to 12 hours and keeps the IAM user identity', async () => {
    const r = await as(alice).send(new GetSessionTokenCommand({}));
    assert.ok(Math.abs(sec(r.Credentials?.Expiration) - 43200) <= 2);
    assert.match(r.Credentials?.AccessKeyId ?? '', /^ASIA/);
    const session = creds(r.Credentials);
    const who = await as(session).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.Arn, who.UserId], [alice.arn, alice.userId]);
    await rejectsWith(as(session).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    await rejectsWith(as(alice).send(new GetSessionTokenCommand({ DurationSeconds: 129601 })), 'ValidationError',
      v("'129601'", 'durationSeconds', 'must have value less than or equal to 129600'));
  });

  it('checks MFA, and an MFA session satisfies MFA-protected roles', async () => {
    await rejectsWith(as(alice).send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::1:mfa/zz', TokenCode: '123456' })), 'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
    const r = await as(alice).send(new GetSessionTokenCommand({ ...MFA, DurationSeconds: 900 }));
    const ok = await assume(creds(r.Credentials), { RoleArn: STRICT, ExternalId: 'ext-123' });
    assert.equal(ok.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCT}:assumed-role/strict/sess`);
  });

  it('a TOTP device accepts a code once: replayed on AssumeRole or GetSessionToken it is refused as invalid', async () => {
    const totp = { SerialNumber: `arn:aws:iam::${ACCT}:mfa/totp`, TokenCode: '424242' };
    server.setMfaDevice(totp.SerialNumber, totp.TokenCode, { oneTime: true });
    const bad = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
    await assume(alice, { RoleArn: STRICT, ExternalId: 'ext-123', ...totp });
    await rejectsWith(assume(alice, { RoleArn: STRICT, ExternalId: 'ext-123', ...totp }), 'AccessDenied', bad);
    await rejectsWith(as(alice).send(new GetSessionTokenCommand(totp)), 'AccessDenied', bad);
    // A new code (the device's next one) is accepted once, and its MFA session serves AssumeRole again and again.
    server.setMfaDevice(totp.SerialNumber, '535353', { oneTime: true });
    const session = creds((await as(alice).send(new GetSessionTokenCommand({ ...totp, TokenCode: '535353' }))).Credentials);
    for (let i = 0; i < 2; i += 1) await assume(session, { RoleArn: STRICT, ExternalId: 'ext-123' });
    // A session without MFA does not satisfy the role.
    const plain = creds((await as(alice).send(new GetSessionTokenCommand({}))).Credentials);
    await rejectsWith(assume(plain, { RoleArn: STRICT, ExternalId: 'ext-123' }), 'AccessDenied', `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${STRICT}`);
  });

  it('a credential lifetime can apply to some operations only', async () => {
    server.setCredentialLifetime(5, ['AssumeRole']);
    try {
      const session = await as(alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
      assert.ok(Math.abs(sec(session.Credentials?.Expiration) - 900) <= 2);
      const role = await assume(alice, {});
      assert.ok(Math.abs(sec(role.Credentials?.Expiration) - 5) <= 2);
    } finally {
      server.setCredentialLifetime(undefined);
    }
  });
});

function v(value: string, member: string, rule: string): string {
  return `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: Member ${rule}`;
}

describe('DecodeAuthorizationMessage', () => {
  it('decodes registered messages with XML-special characters intact', async () => {
    const json = '{"allowed":false,"note":"<a & b> \\"q\\" \'s\'"}';
    server.setDecodedMessage('blob-1', json);
    const r = await as(alice).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'blob-1' }));
    assert.equal(r.DecodedMessage, json);
  });

  it('rejects unknown messages and callers without permission', async () => {
    await rejectsWith(as(alice).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'nope' })), 'InvalidAuthorizationMessageException');
    server.denyDecode(bob.accessKeyId);
    await rejectsWith(as(bob).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'blob-1' })), 'AccessDenied',
      `User: ${bob.arn} is not authorized to perform: sts:DecodeAuthorizationMessage`);
  });
});

describe('authentication', () => {
  it('unsigned requests get MissingAuthenticationToken with real framing', async () => {
    const r = await rawRequest(server.url, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.equal(r.status, 403);
    assert.equal(r.headers['content-type'], 'text/xml');
    assert.equal(xmlText(r.body, 'Code'), 'MissingAuthenticationToken');
    assert.equal(xmlText(r.body, 'Message'), 'Request is missing Authentication Token');
    assert.equal(xmlText(r.body, 'RequestId'), r.headers['x-amzn-requestid']);
    assert.ok(Math.abs(Date.parse(String(r.headers.date)) - Date.now()) < 5000);
  });

  it('rejects unknown keys, bad secrets, bad tokens, wrong regions and skewed clocks', async () => {
    const gci = new GetCallerIdentityCommand({});
    await rejectsWith(as({ accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', secretAccessKey: 'x' }).send(gci), 'InvalidClientTokenId', 'The security token included in the request is invalid');
    await rejectsWith(as({ ...alice, secretAccessKey: 'wrong' }).send(gci), 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
    const role = creds((await assume(alice, {})).Credentials);
    await rejectsWith(as({ ...role, sessionToken: 'forged' }).send(gci), 'InvalidClientTokenId');
    await rejectsWith(as(alice, { region: 'eu-west-1' }).send(gci), 'SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ');
    await as(alice, { region: 'eu-central-1' }).send(gci);
    assert.equal(server.requests.at(-1)?.signingRegion, 'eu-central-1');
    await rejectsWith(as(alice, { systemClockOffset: -20 * 60_000 }).send(gci), 'SignatureDoesNotMatch', /^Signature expired: \d{8}T\d{6}Z is now earlier than /);
    await rejectsWith(as(alice, { systemClockOffset: 20 * 60_000 }).send(gci), 'SignatureDoesNotMatch', /^Signature not yet current: /);
    const iam = await signedRequest(server.url, { creds: alice, service: 'iam', body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    assert.deepEqual([iam.status, xmlText(iam.body, 'Code'), xmlText(iam.body, 'Message')], [403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'."]);
  });

  it('sends a Date header the SDK uses to correct a skewed clock', async () => {
    server.setClockOffset(60 * 60_000); // the server is "right", this machine is an hour behind
    try {
      const gci = new GetCallerIdentityCommand({});
      await rejectsWith(as(alice).send(gci), 'SignatureDoesNotMatch', /^Signature expired: /);
      const fixed = await as(alice, { maxAttempts: 2 }).send(gci);
      assert.equal(fixed.$metadata.attempts, 2);
    } finally {
      server.setClockOffset(0);
    }
  });

  it('expires temporary credentials', async () => {
    const role = creds((await assume(alice, {})).Credentials);
    server.expireCredentials(role.accessKeyId);
    await rejectsWith(as(role).send(new GetCallerIdentityCommand({})), 'ExpiredToken', 'The security token included in the request is expired');
    server.setCredentialLifetime(-1);
    const dead = creds((await as(alice).send(new GetSessionTokenCommand({}))).Credentials);
    server.setCredentialLifetime(undefined);
    await rejectsWith(as(dead).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
  });
});

describe('protocol', () => {
  it('rejects unknown actions and versions', async () => {
    const post = (body: string) => rawRequest(server.url, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const a = await post('Action=Nope&Version=2011-06-15');
    assert.deepEqual([a.status, xmlText(a.body, 'Code'), xmlText(a.body, 'Message')], [400, 'InvalidAction', 'Could not find operation Nope for version 2011-06-15']);
    assert.equal(xmlText((await post('Action=GetCallerIdentity')).body, 'Message'), 'Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED');
  });

  it('serves GET with a query, presigned URLs, path prefixes and botocore-style bodies', async () => {
    const query = { Action: 'GetCallerIdentity', Version: '2011-06-15' };
    const get = await signedRequest(server.url, { creds: alice, method: 'GET', path: '/base/', query });
    assert.equal(xmlText(get.body, 'Arn'), alice.arn, get.body);
    const pre = await signedRequest(server.url, { creds: alice, method: 'GET', query, presign: true });
    assert.equal(xmlText(pre.body, 'Arn'), alice.arn, pre.body);
    await stsClient(`${server.url}/some/prefix`, alice).send(new GetCallerIdentityCommand({}));
    assert.equal(server.requests.at(-1)?.path, '/some/prefix/');
    const body = `Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1&RoleArn=${encodeURIComponent(ROLE)}&Policy=%7B%22Version%22%3A+%222012-10-17%22%7D`;
    const boto = await signedRequest(server.url, { creds: alice, body, contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
    assert.equal(boto.status, 200, boto.body);
    assert.equal(server.requests.at(-1)?.params.Policy, '{"Version": "2012-10-17"}');
  });
});

describe('TLS', () => {
  it('serves HTTPS when given a key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sts-tls-'));
    try {
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      // Missing is a failure naming how to get it, never a skip.
      if (made.error || made.status !== 0) throw new Error('openssl could not make a test certificate: apt-get install openssl');
      const tls = await startStsServer({ tls: { key: readFileSync(key), cert: readFileSync(cert) } });
      try {
        assert.match(tls.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const u = tls.addUser({ userName: 'tls' });
        const client = new STSClient({ region: 'us-east-1', endpoint: tls.url, credentials: u, maxAttempts: 1,
          requestHandler: { httpsAgent: new Agent({ ca: readFileSync(cert) }) } });
        assert.equal((await client.send(new GetCallerIdentityCommand({}))).Arn, u.arn);
      } finally {
        await tls.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('faults', () => {
  it('503 once is retried by the SDK, then succeeds', async () => {
    server.fault({ status: 503, times: 1 });
    const r = await as(alice, { maxAttempts: 3 }).send(new GetCallerIdentityCommand({}));
    assert.equal(r.$metadata.attempts, 2);
    assert.deepEqual(server.requests.slice(-2).map((q) => [q.status, q.errorCode]), [[503, 'ServiceUnavailable'], [200, undefined]]);
  });

  it('Throttling applies per action and surfaces after retries', async () => {
    server.fault({ status: 400, code: 'Throttling', action: 'GetSessionToken' });
    try {
      const e = await rejectsWith(as(alice, { maxAttempts: 2 }).send(new GetSessionTokenCommand({})), 'Throttling', 'Rate exceeded');
      assert.equal((e as Error & { $metadata: { attempts?: number } }).$metadata.attempts, 2);
      await as(alice).send(new GetCallerIdentityCommand({}));
    } finally {
      server.clearFaults();
    }
  });

  it('bad XML is a parse error and delays are honoured', async () => {
    server.fault({ status: 200, body: '<GetCallerIdentityResponse><oops', times: 1 });
    await assert.rejects(as(alice).send(new GetCallerIdentityCommand({})), /XML parse error/);
    server.fault({ status: 200, delayMs: 300, times: 1 });
    const t0 = Date.now();
    await as(alice).send(new GetCallerIdentityCommand({}));
    assert.ok(Date.now() - t0 >= 290);
  });
});

describe('standalone mode', () => {
  it('--seed-demo prints one JSON line, serves the demo world and stops on SIGTERM', async () => {
    const script = fileURLToPath(new URL('../support/sts-server.ts', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0', '--seed-demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as { url: string; region: string; users: StsIdentity[]; encodedMessage: string };
      const demo = info.users[0];
      assert.ok(demo);
      assert.equal(demo.arn, 'arn:aws:iam::111122223333:user/demo');
      const client = stsClient(info.url, demo, { region: info.region });
      const r = await client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/demo-role', RoleSessionName: 'demo' }));
      assert.equal(r.AssumedRoleUser?.Arn, 'arn:aws:sts::111122223333:assumed-role/demo-role/demo');
      const d = await client.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: info.encodedMessage }));
      assert.equal(d.DecodedMessage, DEMO_DECODED_MESSAGE);
      assert.equal((JSON.parse(d.DecodedMessage ?? '{}') as { context: { action: string } }).context.action, 'RunInstances');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      assert.deepEqual(await exited, [0, null]);
    }
  });
});
