// The IMDSv2 emulator: token flow and paths over raw HTTP, then the real SDK providers
// (fromInstanceMetadata, the IMDS region fallback) reading from it, and IMDS-served role
// credentials that the STS emulator accepts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { startImdsServer, type ImdsServer } from '../support/imds-server.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { isoSeconds } from '../support/sts-xml.ts';
import { rawRequest } from '../support/sts-testkit.ts';

const CREDS = {
  AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  Token: 'token',
  Expiration: isoSeconds(new Date(Date.now() + 6 * 3600_000)),
};

let imds: ImdsServer;
let home: string;

before(async () => {
  // No real AWS config may leak in; the SDK must only ever see 127.0.0.1.
  home = mkdtempSync(join(tmpdir(), 'imds-test-'));
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const k of ['AWS_PROFILE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[k];
  imds = await startImdsServer({ region: 'eu-north-1' });
  imds.setRole('web-role', CREDS);
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.url;
});

after(async () => {
  await imds.close();
  rmSync(home, { recursive: true, force: true });
});

const put = (headers: Record<string, string>) => rawRequest(imds.url, { method: 'PUT', path: '/latest/api/token', headers });
const get = (path: string, token?: string) =>
  rawRequest(imds.url, { method: 'GET', path, headers: token === undefined ? {} : { 'x-aws-ec2-metadata-token': token } });

describe('IMDSv2 protocol', () => {
  it('issues tokens only for a valid TTL', async () => {
    assert.equal((await put({})).status, 400);
    assert.equal((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': 'abc' })).status, 400);
    assert.equal((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '21601' })).status, 400);
    const ok = await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '21600' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-aws-ec2-metadata-token-ttl-seconds'], '21600');
    assert.ok(ok.body.length > 20);
  });

  it('requires a valid token on GETs and serves region and credentials', async () => {
    const token = (await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '60' })).body;
    assert.equal((await get('/latest/meta-data/placement/region')).status, 401);
    assert.equal((await get('/latest/meta-data/placement/region', 'bogus')).status, 401);
    assert.equal((await get('/latest/meta-data/placement/region', token)).body, 'eu-north-1');
    assert.equal((await get('/latest/meta-data/iam/security-credentials/', token)).body, 'web-role');
    const doc = JSON.parse((await get('/latest/meta-data/iam/security-credentials/web-role', token)).body) as Record<string, string>;
    assert.deepEqual(Object.keys(doc), ['Code', 'LastUpdated', 'Type', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    assert.deepEqual([doc.Code, doc.Type, doc.AccessKeyId, doc.Token, doc.Expiration], ['Success', 'AWS-HMAC', CREDS.AccessKeyId, 'token', CREDS.Expiration]);
    assert.equal((await get('/latest/meta-data/iam/security-credentials/other', token)).status, 404);
    assert.deepEqual(imds.requests.at(-1), { method: 'GET', path: '/latest/meta-data/iam/security-credentials/other', hadToken: true });
  });

  it('answers tokenless GETs when IMDSv1 is allowed', async () => {
    const v1 = await startImdsServer({ requireToken: false, region: 'ap-south-1' });
    try {
      const r = await rawRequest(v1.url, { method: 'GET', path: '/latest/meta-data/placement/region' });
      assert.equal(r.body, 'ap-south-1');
      assert.equal(v1.requests[0]?.hadToken, false);
    } finally {
      await v1.close();
    }
  });
});

describe('SDK against the IMDS emulator', () => {
  it('fromInstanceMetadata reads the role credentials via the token flow', async () => {
    const before = imds.requests.length;
    const c = await fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })();
    assert.deepEqual([c.accessKeyId, c.secretAccessKey, c.sessionToken], [CREDS.AccessKeyId, CREDS.SecretAccessKey, CREDS.Token]);
    assert.equal(c.expiration?.toISOString(), new Date(CREDS.Expiration).toISOString());
    const seen = imds.requests.slice(before);
    assert.deepEqual(seen[0], { method: 'PUT', path: '/latest/api/token', hadToken: false });
    assert.ok(seen.slice(1).every((r) => r.method === 'GET' && r.hadToken));
  });

  it('the SDK falls back to the IMDS region when none is configured', async () => {
    delete process.env.AWS_EC2_METADATA_DISABLED; // the fallback is skipped when this is set
    try {
      const client = new STSClient({ endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      assert.equal(await client.config.region(), 'eu-north-1');
    } finally {
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
    }
  });

  it('role credentials served by IMDS work against the STS emulator', async () => {
    const sts: StsServer = await startStsServer();
    try {
      const roleArn = 'arn:aws:iam::123456789012:role/instance-role';
      sts.addRole({ arn: roleArn });
      const s = sts.issueSession({ roleArn, sessionName: 'i-0123456789abcdef0' });
      imds.setRole('instance-role', { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, Token: s.sessionToken ?? '', Expiration: isoSeconds(s.expiration ?? new Date()) });
      const client = new STSClient({ region: 'us-east-1', endpoint: sts.url, maxAttempts: 1, credentials: fromInstanceMetadata({ timeout: 1000 }) });
      const who = await client.send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/instance-role/i-0123456789abcdef0');
    } finally {
      imds.setRole('web-role', CREDS);
      await sts.close();
    }
  });
});
