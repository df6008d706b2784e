// assume/plan.ts and names/validate.ts as tables: every refusal is named before any network call,
// with the right exit code, without spawning a CLI per case (a couple stay end to end in
// test/integration/assume-own-server.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAssume, type AssumeFlags } from '../../src/assume/plan.ts';
import { checkPolicy, parseDuration } from '../../src/names/validate.ts';
import { resolveLocalSettings, type LocalSettings } from '../../src/settings/resolve-settings.ts';
import { StsxError } from '../../src/errors.ts';
import { fakeDeps, FAKE_NOW } from '../support/fake-deps.ts';

const ROLE = 'arn:aws:iam::111122223333:role/x';
const CONFIG = '/cfg/config';
const CREDENTIALS = '/cfg/credentials';

async function local(options: { config?: string; credentials?: string; env?: Record<string, string>; profile?: string } = {}): Promise<LocalSettings> {
  const deps = fakeDeps({
    env: { AWS_CONFIG_FILE: CONFIG, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS, AWS_REGION: 'eu-central-1', AWS_EC2_METADATA_DISABLED: 'true', ...options.env },
    files: { [CONFIG]: options.config ?? '', [CREDENTIALS]: options.credentials ?? '' },
  });
  return resolveLocalSettings({ profile: options.profile }, deps);
}

const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

function plan(flags: AssumeFlags, settings: LocalSettings, env: Record<string, string> = ENV_KEYS): ReturnType<typeof planAssume> {
  return planAssume(flags, settings, { user: 'tester', now: FAKE_NOW, env });
}

const refusals: [string, AssumeFlags, RegExp][] = [
  ['bad role ARN', { roleArn: 'arn:aws:iam::123:role/x' }, /--role-arn "arn:aws:iam::123:role\/x" is not an IAM role ARN/],
  ['session name with a space', { roleArn: ROLE, roleSessionName: 'bad name' }, /--role-session-name must be 2 to 64 characters/],
  ['session name too long', { roleArn: ROLE, roleSessionName: 'x'.repeat(65) }, /--role-session-name must be 2 to 64/],
  ['duration too short', { roleArn: ROLE, duration: '10m' }, /--duration must be between 15m and 12h/],
  ['duration too long', { roleArn: ROLE, duration: '13h' }, /--duration must be between 15m and 12h/],
  ['duration nonsense', { roleArn: ROLE, duration: 'soon' }, /--duration "soon" is not a duration/],
  ['five-digit code', { roleArn: ROLE, mfaSerial: 'arn:aws:iam::111122223333:mfa/u', tokenCode: '12345' }, /--token-code must be the six digits/],
  ['code without device', { roleArn: ROLE, tokenCode: '123456' }, /--token-code needs an MFA device/],
  ['bad tag', { roleArn: ROLE, tag: ['novalue'] }, /--tag "novalue" must be Key=Value/],
  ['duplicate tag', { roleArn: ROLE, tag: ['A=1', 'a=2'] }, /given twice/],
  ['transitive key without tag', { roleArn: ROLE, transitiveTagKey: ['B'] }, /must also be set with --tag B=/],
  ['bad policy ARN', { roleArn: ROLE, policyArn: ['ReadOnly'] }, /--policy-arn "ReadOnly" is not a managed policy ARN/],
  ['external id too short', { roleArn: ROLE, externalId: 'x' }, /--external-id must be 2 to 1224/],
  ['source identity aws:', { roleArn: ROLE, sourceIdentity: 'aws:me' }, /must not start with aws:/],
  ['no role at all', {}, /no role to assume/],
];

for (const [name, flags, message] of refusals) {
  test(`planAssume refuses ${name} (exit 2)`, async () => {
    const settings = await local();
    assert.throws(() => plan(flags, settings), (e: unknown) => e instanceof StsxError && e.exitCode === 2 && message.test(e.message));
  });
}

test('checkPolicy refuses text that is not JSON (exit 2)', () => {
  assert.throws(() => checkPolicy('{nope'), (e: unknown) => e instanceof StsxError && e.exitCode === 2 && /--policy is not valid JSON/.test(e.message));
});

const durations: [string, number | RegExp][] = [
  ['3600', 3600],
  ['15m', 900],
  ['1h30m', 5400],
  ['12h', 43200],
  ['90s', /between/],
  ['1d', /not a duration/],
  ['', /not a duration/],
];
for (const [text, expected] of durations) {
  test(`parseDuration ${JSON.stringify(text)}`, () => {
    if (typeof expected === 'number') assert.equal(parseDuration(text, '--duration', 900, 43200), expected);
    else assert.throws(() => parseDuration(text, '--duration', 900, 43200), (e: unknown) => e instanceof StsxError && expected.test(e.message));
  });
}

const configRefusals: [string, string, RegExp][] = [
  ['both source_profile and credential_source', '[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = AKIAB\n', /has both source_profile and credential_source/],
  ['an unknown credential_source', '[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = Moon\n', /credential_source = Moon/],
  ['a role without a source', '[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\n', /has role_arn but neither source_profile nor credential_source/],
];
for (const [name, config, message] of configRefusals) {
  test(`planAssume refuses a profile with ${name} (exit 3)`, async () => {
    const settings = await local({ config, profile: 'r' });
    assert.throws(() => plan({}, settings), (e: unknown) => e instanceof StsxError && e.exitCode === 3 && message.test(e.message));
  });
}

test('the profile\'s own role takes its defaults and its source; a --role-arn takes the profile\'s credentials', async () => {
  const config = '[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\nrole_session_name = from-profile\nduration_seconds = 1800\n';
  const credentials = '[base]\naws_access_key_id = AKIABASE00000001\naws_secret_access_key = s\n';
  const settings = await local({ config, credentials, profile: 'r' });
  const own = plan({}, settings);
  assert.equal(own.roleArn, 'arn:aws:iam::111122223333:role/r');
  assert.equal(own.sessionName, 'from-profile');
  assert.equal(own.durationSeconds, 1800);
  assert.deepEqual([own.source.kind, own.chained], ['keys', false]);
  const other = plan({ roleArn: ROLE }, settings);
  assert.equal(other.sessionNameGiven, false);
  assert.equal(other.durationSeconds, 3600);
  assert.deepEqual([other.source.kind, other.chained], ['role-chain', true]);
});

test('environment keys are the source for the implicit default profile, with no note', async () => {
  const settings = await local();
  const p = plan({ roleArn: ROLE }, settings);
  assert.equal(p.source.kind, 'environment');
  assert.equal(p.sourceNote, undefined);
});

test('environment keys and an implicit [default] that is a role: the role of the default is not assumed (one rule with exec and whoami)', async () => {
  const config = '[default]\nrole_arn = arn:aws:iam::111122223333:role/default-role\nsource_profile = base\n';
  const credentials = '[base]\naws_access_key_id = AKIABASE00000001\naws_secret_access_key = s\n';
  const settingsSync = await local({ config, credentials });
  assert.throws(() => plan({}, settingsSync), (e: unknown) => e instanceof StsxError && /no role to assume/.test(e.message) && /stand for the implicit default profile.*--profile default/.test(e.hint ?? ''));
  const other = plan({ roleArn: ROLE }, settingsSync);
  assert.equal(other.source.kind, 'environment', 'a named role is assumed from the environment keys');
  const named = plan({}, await local({ config, credentials, profile: 'default' }));
  assert.equal(named.roleArn, 'arn:aws:iam::111122223333:role/default-role', '--profile default still assumes it');
});

test('a chosen role profile wins over environment keys, and the plan says so once', async () => {
  const config = '[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\n';
  const credentials = '[base]\naws_access_key_id = AKIABASE00000001\naws_secret_access_key = s\n';
  const p = plan({}, await local({ config, credentials, profile: 'r' }));
  assert.equal(p.source.kind, 'keys');
  assert.equal(p.sourceNote, 'using profile "r"; the keys in the environment (AWS_ACCESS_KEY_ID) are not used');
  const fromEnv = plan({}, await local({ config: '[profile e]\nrole_arn = arn:aws:iam::111122223333:role/e\ncredential_source = Environment\n', profile: 'e' }));
  assert.equal(fromEnv.source.kind, 'environment');
  assert.equal(fromEnv.sourceNote, undefined);
});
