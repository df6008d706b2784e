// credentials/source.ts: the one chooser, as a table of profile kinds and environments, plus each
// kind's role-session flag, cache identity and description; and how errors name the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheIdentity, chooseSource, describeSource, isRoleSession, type CredentialSource } from '../../src/credentials/source.ts';
import { explainCredentialError } from '../../src/credentials/explain.ts';
import { environmentCredentials, sdkLogger } from '../../src/credentials/providers.ts';
import { resolveLocalSettings, type LocalSettings } from '../../src/settings/resolve-settings.ts';
import { AuthError, StsxError } from '../../src/errors.ts';
import { fakeDeps, FAKE_NOW } from '../support/fake-deps.ts';

const CONFIG = '/cfg/config';
const CREDENTIALS = '/cfg/credentials';
const KEYS = { AWS_ACCESS_KEY_ID: 'ASIAENVKEY000000001', AWS_SECRET_ACCESS_KEY: 'envsecret' };

const config = `
[profile keys]
region = eu-west-1
[profile region-only]
region = eu-west-1
[profile role]
role_arn = arn:aws:iam::111122223333:role/r
source_profile = keys
[profile role2]
role_arn = arn:aws:iam::111122223333:role/r2
source_profile = role
mfa_serial = arn:aws:iam::111122223333:mfa/u
[profile on-ec2]
role_arn = arn:aws:iam::111122223333:role/ec2
credential_source = Ec2InstanceMetadata
[profile from-env]
role_arn = arn:aws:iam::111122223333:role/env
credential_source = environment
[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Dev

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[profile proc]
credential_process = /bin/get-creds --user alice
[profile proc-hop]
role_arn = arn:aws:iam::111122223333:role/p
source_profile = proc
[profile web]
role_arn = arn:aws:iam::111122223333:role/web
web_identity_token_file = /var/run/token
[profile loop-a]
role_arn = arn:aws:iam::111122223333:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::111122223333:role/b
source_profile = loop-a
`;
const credentials = '[keys]\naws_access_key_id = AKIAPROFILEKEY00001\naws_secret_access_key = s\n';

async function local(profile: string | undefined, env: Record<string, string> = {}): Promise<LocalSettings> {
  const deps = fakeDeps({
    env: { AWS_CONFIG_FILE: CONFIG, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS, AWS_REGION: 'eu-central-1', ...env },
    files: { [CONFIG]: config, [CREDENTIALS]: credentials },
  });
  return resolveLocalSettings({ profile }, deps);
}

function shape(s: CredentialSource): string {
  return s.kind === 'role-chain' ? `role-chain(${shape(s.source)})` : s.kind;
}

const IMDS_OFF = { AWS_EC2_METADATA_DISABLED: 'true' };
const table: [string, string | undefined, Record<string, string>, string, boolean | 'unknown', boolean][] = [
  // name, --profile, env, chosen kind, role session, note about env keys
  ['implicit default with env keys', undefined, KEYS, 'environment', false, false],
  ['implicit default, nothing, IMDS off', undefined, IMDS_OFF, 'none', 'unknown', false],
  ['implicit default, nothing: the instance role', undefined, {}, 'instance-role', true, false],
  ['implicit default, container variables', undefined, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }, 'container-role', true, false],
  ['implicit default, web identity variables', undefined, { AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/w', AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }, 'web-identity', true, false],
  ['profile with keys beats env keys (with a note)', 'keys', KEYS, 'keys', false, true],
  ['a region-only profile leaves env keys in charge', 'region-only', KEYS, 'environment', false, false],
  ['role profile', 'role', {}, 'role-chain(keys)', true, false],
  ['role of a role', 'role2', {}, 'role-chain(role-chain(keys))', true, false],
  ['credential_source Ec2InstanceMetadata', 'on-ec2', {}, 'role-chain(instance-role)', true, false],
  ['credential_source environment (any case)', 'from-env', KEYS, 'role-chain(environment)', true, false],
  ['SSO', 'sso', {}, 'sso', 'unknown', false],
  ['credential_process', 'proc', {}, 'process', 'unknown', false],
  ['credential_process as a source_profile hop', 'proc-hop', {}, 'role-chain(process)', true, false],
  ['web identity profile', 'web', {}, 'web-identity', true, false],
];

for (const [name, profile, env, kind, roleSession, note] of table) {
  test(`chooseSource: ${name} -> ${kind}`, async () => {
    const settings = await local(profile, env);
    const choice = chooseSource(settings, settings.profileName.explicit ? { ...env } : env);
    assert.equal(shape(choice.source), kind);
    assert.equal(isRoleSession(choice.source), roleSession);
    assert.equal(choice.note !== undefined, note, choice.note);
    assert.ok(!describeSource(choice.source).includes('envsecret'));
  });
}

test('chooseSource: a source_profile loop is a config error naming the loop', async () => {
  const settings = await local('loop-a').catch((e: unknown) => e);
  // The resolver may refuse the loop itself; either way it is a config error naming it.
  if (settings instanceof StsxError) {
    assert.equal(settings.exitCode, 3);
    assert.match(settings.message, /loop-a -> loop-b -> loop-a/);
    return;
  }
  assert.throws(() => chooseSource(settings as LocalSettings, {}), /source_profile loop: loop-a -> loop-b -> loop-a/);
});

test('cacheIdentity: keys are their key id; profiles differ by chain; the environment steers it', async () => {
  const env = await local(undefined, KEYS);
  assert.equal(cacheIdentity(chooseSource(env, KEYS).source, env, KEYS), 'key:ASIAENVKEY000000001');
  const role = await local('role');
  const proc = await local('proc');
  const a = cacheIdentity(chooseSource(role, {}).source, role, {});
  const b = cacheIdentity(chooseSource(proc, {}).source, proc, {});
  assert.notEqual(a, b);
  assert.match(b, /^process:proc:[0-9a-f]{64}$/);
  const withWeb = { AWS_WEB_IDENTITY_TOKEN_FILE: '/other' };
  assert.notEqual(cacheIdentity(chooseSource(proc, withWeb).source, proc, withWeb), b);
});

test('exported credentials past AWS_CREDENTIAL_EXPIRATION fail locally, naming the environment, the time and both ways out', () => {
  const source = { kind: 'environment' as const, accessKeyId: 'ASIAENVKEY000000001', secretAccessKey: 'envsecret', sessionToken: 't', expiration: '2026-11-22T09:00:00Z' };
  assert.throws(
    () => environmentCredentials(source, FAKE_NOW),
    (e: unknown) =>
      e instanceof AuthError &&
      e.message === 'the credentials in the environment (AWS_ACCESS_KEY_ID ASIA****0001) expired at 2026-11-22T09:00:00Z, 1 h ago (AWS_CREDENTIAL_EXPIRATION)' &&
      /stsx assume/.test(e.hint ?? '') &&
      /stsx unset/.test(e.hint ?? ''),
  );
  assert.equal(environmentCredentials({ ...source, expiration: '2026-11-22T11:00:00Z' }, FAKE_NOW).accessKeyId, 'ASIAENVKEY000000001');
  assert.equal(environmentCredentials({ ...source, expiration: 'not a date' }, FAKE_NOW).expiration, undefined);
});

test('explainCredentialError: ExpiredToken names the innermost source; AccessDenied from an exported role session says how to start over', () => {
  const keys: CredentialSource = { kind: 'keys', profile: 'base', file: '/cfg/credentials', accessKeyId: 'AKIABASE0000000001', secretAccessKey: 's' };
  const chain: CredentialSource = { kind: 'role-chain', profile: 'r', hop: { roleArn: 'arn:aws:iam::111122223333:role/r' }, source: keys };
  const expired = explainCredentialError(new AuthError('the credentials of profile "r" have expired (ExpiredToken)', { code: 'ExpiredToken' }), chain) as AuthError;
  assert.equal(expired.message, 'the keys of profile "base" (/cfg/credentials) have expired (ExpiredToken)');
  const env: CredentialSource = { kind: 'environment', accessKeyId: 'ASIAENVKEY000000001', secretAccessKey: 'x', sessionToken: 't' };
  const denied = new AuthError('access denied by STS (AssumeRole at h): User: arn:aws:sts::111122223333:assumed-role/first/s is not authorized to perform: sts:AssumeRole', { code: 'AccessDenied', hint: 'trust policy' });
  assert.match((explainCredentialError(denied, env, 'AssumeRole') as AuthError).hint ?? '', /eval "\$\(stsx unset\)"/);
  assert.equal(explainCredentialError(denied, keys, 'AssumeRole'), denied, 'other sources keep the trust-policy hint');
  const other = new Error('not ours');
  assert.equal(explainCredentialError(other, env), other);
});

test('explainCredentialError: an unknown key id names where the key came from', () => {
  const env: CredentialSource = { kind: 'environment', accessKeyId: 'AKIAENVKEY000000001', secretAccessKey: 'x' };
  const unknown = new AuthError('STS does not recognise the access key id (InvalidClientTokenId)', { code: 'InvalidClientTokenId', hint: 'the key may be deleted' });
  const named = explainCredentialError(unknown, env) as AuthError;
  assert.equal(named.message, 'STS does not recognise the access key id (InvalidClientTokenId); source: the credentials in the environment (AWS_ACCESS_KEY_ID AKIA****0001)');
  assert.match(named.hint ?? '', /^the key may be deleted; to use your profile instead: eval "\$\(stsx unset\)"$/);
});

test('sdkLogger: every SDK level goes to the debug callback, one escaped line, cycles survive', () => {
  const lines: string[] = [];
  const logger = sdkLogger((l) => lines.push(l));
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  logger.warn('Multiple credential sources detected:\n  Both AWS_PROFILE and ...', cyclic);
  logger.error(new Error('boom\u001b[2J'));
  logger.debug({ a: 1 });
  assert.deepEqual(lines, ['sdk warn: Multiple credential sources detected: Both AWS_PROFILE and ... [object Object]', 'sdk error: boom\\x1b[2J', 'sdk debug: {"a":1}']);
});
