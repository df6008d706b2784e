// `stsx profiles` as tables: rows from parsed files (kinds from the one chooser, chains, errors as
// rows), cached sessions matched to their profile, and the text layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sectionsOf, type ConfigFiles } from '../../src/config/config-files.ts';
import { accountOf, profileRows } from '../../src/profiles/list-profiles.ts';
import { clockTime, profilesJson, profilesText } from '../../src/profiles/render-profiles.ts';
import { entry, KEY_A, NOW } from '../fixtures/cache/entries.ts';

function files(config: string, credentials = ''): ConfigFiles {
  return { paths: { config: '/c', credentials: '/k' }, config: sectionsOf(config, 'config', '/c'), credentials: sectionsOf(credentials, 'credentials', '/k') };
}

const CONFIG = `
[default]
region = eu-west-1
[profile dev]
role_arn = arn:aws:iam::123456789012:role/demo
source_profile = base
[profile deep]
role_arn = arn:aws:iam::222222222222:role/Deep
source_profile = dev
mfa_serial = arn:aws:iam::111111111111:mfa/alice
region = us-west-2
[profile env-role]
role_arn = arn:aws:iam::222222222222:role/E
credential_source = Environment
[profile ecs]
role_arn = arn:aws:iam::222222222222:role/C
credential_source = EcsContainer
[profile portal]
sso_session = corp
sso_account_id = 555555555555
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
[profile login]
login_session = arn:aws:iam::0123456789012:user/x
[profile half]
role_arn = arn:aws:iam::222222222222:role/H
[profile too-deep-0]
role_arn = arn:aws:iam::222222222222:role/T
source_profile = too-deep-1
${Array.from({ length: 12 }, (_, i) => `[profile too-deep-${i + 1}]\nrole_arn = arn:aws:iam::222222222222:role/T\nsource_profile = too-deep-${i + 2}\n`).join('')}
[profile too-deep-13]
credential_process = /bin/false
`;
const CREDENTIALS = '[base]\naws_access_key_id = AKIABASE000000000000\naws_secret_access_key = x\n';

test('profileRows: kind, role or account, chain and region for each kind of profile; errors are rows', () => {
  const rows = profileRows(files(CONFIG, CREDENTIALS), []);
  const by = (name: string) => rows.find((r) => r.name === name);
  const view = (name: string) => {
    const r = by(name);
    return r && { kind: r.kind, role: r.roleArn ?? accountOf(r), chain: r.chain.join(' -> '), region: r.region, error: r.error?.message };
  };
  assert.deepEqual(view('default'), { kind: 'none', role: undefined, chain: 'default', region: 'eu-west-1', error: undefined });
  assert.deepEqual(view('base'), { kind: 'keys', role: undefined, chain: 'base', region: undefined, error: undefined });
  assert.deepEqual(view('dev'), { kind: 'role', role: 'arn:aws:iam::123456789012:role/demo', chain: 'dev -> base', region: undefined, error: undefined });
  assert.deepEqual(view('deep'), { kind: 'role', role: 'arn:aws:iam::222222222222:role/Deep', chain: 'deep -> dev -> base', region: 'us-west-2', error: undefined });
  assert.equal(by('deep')?.mfaSerial, 'arn:aws:iam::111111111111:mfa/alice');
  assert.deepEqual(view('env-role')?.chain, 'env-role -> environment');
  assert.deepEqual(view('ecs')?.chain, 'ecs -> container role');
  assert.deepEqual(view('portal'), { kind: 'sso', role: '555555555555', chain: 'portal', region: undefined, error: undefined });
  assert.equal(view('login')?.kind, 'console-login');
  assert.equal(view('half')?.kind, 'error');
  assert.match(view('half')?.error ?? '', /has role_arn but neither source_profile nor credential_source/);
  assert.equal(view('too-deep-0')?.kind, 'error');
  assert.match(view('too-deep-0')?.error ?? '', /longer than 10 hops/);
  assert.equal(view('too-deep-5')?.kind, 'role', 'a shorter chain from further down is fine');
  assert.ok(!rows.some((r) => r.name.startsWith('sso-session')));
});

test('profileRows: the environment of this shell does not change the listing', () => {
  // No keys exported: credential_source = Environment is still shown as the environment.
  const rows = profileRows(files('[profile e]\nrole_arn = arn:aws:iam::222222222222:role/E\ncredential_source = Environment\n'), []);
  assert.deepEqual(rows[0]?.chain, ['e', 'environment']);
  assert.equal(rows[0]?.kind, 'role');
});

test('profileRows: a cached session shows on the profile that made it, for its own role, latest first', () => {
  const cached = [
    { ...entry(30, { profile: 'dev' }), key: KEY_A },
    { ...entry(90, { profile: 'dev' }), key: KEY_A },
    { ...entry(120, { profile: 'dev', roleArn: 'arn:aws:iam::123456789012:role/other' }), key: KEY_A },
    { ...entry(120), key: KEY_A },
    { ...entry(45, { kind: 'session-token', roleArn: undefined, profile: 'base' }), key: KEY_A },
    { ...entry(45, { kind: 'session-token', roleArn: undefined, profile: 'default' }), key: KEY_A },
  ];
  const rows = profileRows(files(CONFIG, CREDENTIALS), cached);
  const until = (name: string) => rows.find((r) => r.name === name)?.cached?.credentials.expiration.getTime();
  assert.equal(until('dev'), NOW.getTime() + 90 * 60_000);
  assert.equal(until('base'), NOW.getTime() + 45 * 60_000);
  assert.equal(until('deep'), undefined);
  assert.equal(until('default'), undefined, 'a profile without credentials has no session of its own');
});

test('clockTime: hours and minutes today, the date too on another day (local time)', () => {
  const now = new Date(2026, 10, 30, 13, 0);
  assert.equal(clockTime(new Date(2026, 10, 30, 14, 5), now), '14:05');
  assert.equal(clockTime(new Date(2026, 11, 1, 2, 7), now), '2026-12-01 02:07');
});

test('profilesText: aligned columns; an error row does not widen them; cells are escaped', () => {
  const rows = profileRows(files('[profile ok]\ncredential_process = /bin/false\n[profile a-much-longer-name]\nrole_arn = arn:aws:iam::222222222222:role/X\nsource_profile = nowhere\n', '[evil]\naws_access_key_id = AKIAEVIL000000000000\naws_secret_access_key = x\nregion = eu\u001bwest-1\n[evil\u001bname]\naws_access_key_id = AKIAEVIL000000000000\naws_secret_access_key = x\n'), []);
  const text = profilesText(rows, NOW);
  const lines = text.trimEnd().split('\n');
  // A name outside the spec's characters (`evil\u001bname`) is no profile at all; a value can still hold anything.
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'PROFILE             KIND     ROLE OR ACCOUNT  CHAIN  REGION      MFA  CACHED');
  assert.equal(lines[1], 'a-much-longer-name  error    profile "a-much-longer-name" names source_profile "nowhere", which is not in /c or /k (hint: add a [profile nowhere] section or fix source_profile)');
  assert.equal(lines[2], 'evil                keys     -                evil   eu\\ewest-1  -    -');
  assert.equal(lines[3], 'ok                  process  -                ok     -           -    -');
  const json = JSON.parse(profilesJson(rows)) as Array<{ name: string; error: { hint: string } | null }>;
  assert.equal(json[1]?.name, 'evil');
  assert.match(json[0]?.error?.hint ?? '', /add a \[profile nowhere\] section/);
});
