// `stsx profiles` and `stsx status` against configs and cache entries made by a real `stsx assume`
// on the project's STS server: the cached session shows on its profile, the exported credentials
// are recognised by their access key id, and broken files, tampered entries and hostile names
// stay rows and escaped text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, type Sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

const ROLE = 'arn:aws:iam::222222222222:role/Admin';

interface Assumed {
  box: Sandbox;
  creds: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
}

/** A config with a role profile `dev` on the keys of `base`, and a real `stsx assume --profile dev`. */
async function assumedDev(name: string): Promise<Assumed> {
  const u = sts.addUser({ account: '111111111111', userName: name });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url, TZ: 'UTC' });
  box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  box.writeConfig(`[profile base]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = ${ROLE}\nsource_profile = base\nrole_session_name = alice\n`);
  const r = await runStsx(['assume', '--profile', 'dev', '--format', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  return { box, creds: JSON.parse(r.stdout) as Assumed['creds'] };
}

function exported(a: Assumed, extra: Record<string, string> = {}): Record<string, string> {
  return { ...a.box.env, AWS_ACCESS_KEY_ID: a.creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: a.creds.SecretAccessKey, AWS_SESSION_TOKEN: a.creds.SessionToken, AWS_CREDENTIAL_EXPIRATION: a.creds.Expiration, ...extra };
}

function cacheFiles(box: Sandbox): string[] {
  const dir = path.join(box.env.XDG_CACHE_HOME ?? '', 'stsx');
  return readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => path.join(dir, n));
}

const hhmm = (iso: string): string => iso.slice(11, 16);

test('profiles: one row per profile with kind, role, chain, region, MFA and the session cached by assume', async () => {
  const a = await assumedDev('profiles-rows');
  a.box.writeConfig(`[profile base]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = ${ROLE}\nsource_profile = base\nrole_session_name = alice\n\n` +
    '[profile ci]\nrole_arn = arn:aws:iam::333333333333:role/Ci\ncredential_source = Ec2InstanceMetadata\nregion = us-east-2\n\n' +
    '[profile tool]\ncredential_process = /bin/false\n\n[profile idp]\nrole_arn = arn:aws:iam::444444444444:role/Web\nweb_identity_token_file = /tmp/token\n\n' +
    '[profile portal]\nsso_session = corp\nsso_account_id = 555555555555\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n\n' +
    '[profile deep]\nrole_arn = arn:aws:iam::666666666666:role/Deep\nsource_profile = dev\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n[profile settings-only]\nregion = ap-south-1\n');
  // The role profile's session was cached before the config grew: only `dev` has it.
  const r = await runStsx(['profiles'], { env: a.box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^PROFILE\s+KIND\s+ROLE OR ACCOUNT\s+CHAIN\s+REGION\s+MFA\s+CACHED$/);
  const row = (name: string): string[] => (lines.find((l) => l.startsWith(`${name} `)) ?? '').split(/\s{2,}/);
  assert.deepEqual(row('dev'), ['dev', 'role', ROLE, 'dev -> base', 'eu-west-1', '-', `cached until ${hhmm(a.creds.Expiration)}`]);
  assert.deepEqual(row('base'), ['base', 'keys', '-', 'base', 'eu-west-1', '-', '-']);
  assert.deepEqual(row('ci'), ['ci', 'role', 'arn:aws:iam::333333333333:role/Ci', 'ci -> instance role', 'us-east-2', '-', '-']);
  assert.deepEqual(row('tool'), ['tool', 'process', '-', 'tool', '-', '-', '-']);
  assert.deepEqual(row('idp'), ['idp', 'web identity', 'arn:aws:iam::444444444444:role/Web', 'idp', '-', '-', '-']);
  assert.deepEqual(row('portal'), ['portal', 'SSO', '555555555555', 'portal', '-', '-', '-']);
  assert.deepEqual(row('deep'), ['deep', 'role', 'arn:aws:iam::666666666666:role/Deep', 'deep -> dev -> base', 'eu-west-1', 'yes', '-']);
  assert.deepEqual(row('settings-only'), ['settings-only', '-', '-', 'settings-only', 'ap-south-1', '-', '-']);
  assert.equal(lines.length, 9, 'a header and eight profiles (the sso-session section is not one)');

  const j = await runStsx(['profiles', '--output', 'json'], { env: a.box.env });
  assert.equal(j.code, 0, j.stderr);
  const rows = JSON.parse(j.stdout) as Array<Record<string, unknown>>;
  const dev = rows.find((x) => x.name === 'dev');
  assert.deepEqual(dev, {
    name: 'dev', kind: 'role', roleArn: ROLE, account: '222222222222', chain: ['dev', 'base'], region: 'eu-west-1', mfaSerial: null,
    cachedUntil: a.creds.Expiration, cachedRoleArn: 'arn:aws:sts::222222222222:assumed-role/Admin/alice', error: null,
  });
  assert.equal(rows.find((x) => x.name === 'base')?.cachedUntil, null);
});

test('profiles: a session for another role, or one assumed with --role-arn, is not shown on the profile', async () => {
  const a = await assumedDev('profiles-other-role');
  // Same profile name, another role now: the cached session is not this profile's any more.
  a.box.writeConfig('[profile base]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = arn:aws:iam::222222222222:role/Other\nsource_profile = base\n');
  const r = await runStsx(['profiles', '--output', 'json'], { env: a.box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as Array<{ name: string; cachedUntil: unknown }>).find((x) => x.name === 'dev')?.cachedUntil, null);

  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  const u = sts.addUser({ account: '111111111111', userName: 'profiles-flag' });
  sts.addRole({ arn: 'arn:aws:iam::222222222222:role/Flag', trustedPrincipalArns: [u.arn] });
  box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  box.writeConfig('[profile base]\nregion = eu-west-1\n');
  const assumed = await runStsx(['assume', '--profile', 'base', '--role-arn', 'arn:aws:iam::222222222222:role/Flag', '--format', 'json'], { env: box.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  const listed = await runStsx(['profiles', '--output', 'json'], { env: box.env });
  assert.equal((JSON.parse(listed.stdout) as Array<{ cachedUntil: unknown }>)[0]?.cachedUntil, null);
});

test('profiles: errors in the files are rows of their profile, the rest of the list stands (exit 0, one warning)', async () => {
  const box = sandbox();
  box.writeConfig('[profile ok]\nregion = eu-west-1\ncredential_process = /bin/false\n\n[profile loop-a]\nrole_arn = arn:aws:iam::222222222222:role/A\nsource_profile = loop-b\n' +
    '[profile loop-b]\nrole_arn = arn:aws:iam::222222222222:role/B\nsource_profile = loop-a\n\n[profile nosso]\nsso_session = missing\n\n' +
    '[profile dangling]\nrole_arn = arn:aws:iam::222222222222:role/C\nsource_profile = nowhere\n\n[profile badsrc]\nrole_arn = arn:aws:iam::222222222222:role/D\ncredential_source = Laptop\n\n' +
    '[profile empty-src]\nrole_arn = arn:aws:iam::222222222222:role/E\nsource_profile = ok-region\n[profile ok-region]\nregion = eu-west-2\n\n' +
    '[profile proto]\nrole_arn = arn:aws:iam::222222222222:role/F\nsource_profile = __proto__\n\n[profile constructor]\ncredential_process = /bin/false\n');
  const r = await runStsx(['profiles'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(errorLines(r.stderr), []);
  assert.match(r.stderr, /^stsx: warning: 7 profiles have errors/m);
  const row = (name: string): string => r.stdout.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
  assert.match(row('ok'), /^ok\s+process\s/);
  assert.match(row('constructor'), /^constructor\s+process\s/);
  assert.match(row('loop-a'), /^loop-a\s+error\s+source_profile loop: loop-a -> loop-b -> loop-a/);
  assert.match(row('nosso'), /error\s+profile "nosso" names sso_session "missing", but there is no \[sso-session missing\] section/);
  assert.match(row('dangling'), /error\s+profile "dangling" names source_profile "nowhere"/);
  assert.match(row('badsrc'), /error\s+profile "badsrc" has credential_source = Laptop/);
  assert.match(row('empty-src'), /error\s+profile "empty-src" takes its credentials from profile "ok-region", which has none/);
  assert.match(row('proto'), /error\s+profile "proto" names source_profile "__proto__"/);
  const j = await runStsx(['profiles', '--output', 'json'], { env: box.env });
  const rows = JSON.parse(j.stdout) as Array<{ name: string; kind: string; error: { message: string; hint: string | null } | null }>;
  assert.equal(rows.length, 10);
  assert.equal(rows.filter((x) => x.kind === 'error').length, 7);
  assert.match(rows.find((x) => x.name === 'loop-b')?.error?.hint ?? '', /break the cycle/);
});

test('profiles: [profile __proto__] is a profile like any other (the spec\'s name rules), with a warning that the JS SDK refuses such a file; an empty config lists nothing', async () => {
  const box = sandbox();
  box.writeConfig('[profile __proto__]\nregion = eu-west-1\n');
  const r = await runStsx(['profiles', '--output', 'json'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as Array<{ name: string; region: string }>).map((x) => [x.name, x.region]), [['__proto__', 'eu-west-1']]);
  assert.match(r.stderr, /config:1: the JS SDK refuses the whole file because of this section name\n/);
  const empty = await runStsx(['profiles', '--output', 'json'], { env: sandbox().env });
  assert.equal(empty.code, 0, empty.stderr);
  assert.equal(empty.stdout, '[]\n');
  const text = await runStsx(['profiles'], { env: sandbox().env });
  assert.equal(text.stdout, '');
  assert.match(text.stderr, /^stsx: no profiles in /);
});

test('profiles: control characters in values are escaped in the table, kept exact in JSON; a name with one is no profile, and the warning saying so is escaped', async () => {
  const box = sandbox();
  box.writeCredentials('[evil\u001bcname]\naws_access_key_id = AKIAEVIL000000000000\naws_secret_access_key = x\n');
  box.writeConfig('[profile web]\nrole_arn = arn:aws:iam::222222222222:role/\u001b]52;c;cGF5bG9hZA==\u0007\nweb_identity_token_file = /tmp/t\nregion = eu\u009bwest-1\n');
  const r = await runStsx(['profiles'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  const control = (t: string): boolean => [...t].some((c) => c !== '\n' && (c < ' ' || (c >= '\u007f' && c <= '\u009f')));
  assert.ok(!control(r.stdout), 'no control character but the line feeds');
  assert.ok(!control(r.stderr), 'nor in the warnings');
  assert.doesNotMatch(r.stdout, /evil/);
  assert.match(r.stderr, /credentials:1: ignored \("evil\\u001bcname" is not a valid profile name\), but the AWS CLI reads it as profile/);
  assert.match(r.stdout, /role\/\\e\]52;c;cGF5bG9hZA==\\x07/);
  assert.match(r.stdout, /eu\\x9bwest-1/);
  const j = await runStsx(['profiles', '--output', 'json'], { env: box.env });
  const rows = JSON.parse(j.stdout) as Array<{ name: string; region: string }>;
  assert.deepEqual(rows.map((x) => [x.name, x.region]), [['web', 'eu\u009bwest-1']]);
});

test('status: credentials from `stsx assume` are recognised by their access key id: role, account, session, profile, time left', async () => {
  const a = await assumedDev('status-known');
  const env = exported(a);
  const prompt = await runStsx(['status', '--prompt'], { env });
  assert.equal(prompt.code, 0, prompt.stderr);
  assert.match(prompt.stdout, /^Admin@222222222222 (59m|1h00m)\n$/);
  assert.equal(prompt.stderr, '');
  // The same function behind the argument parser (--debug goes through it) says the same.
  const slow = await runStsx(['status', '--prompt', '--debug'], { env });
  assert.equal(slow.stdout, prompt.stdout);

  const text = await runStsx(['status'], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^status\s+valid$/m);
  assert.match(text.stdout, /^identity\s+arn:aws:sts::222222222222:assumed-role\/Admin\/alice$/m);
  assert.match(text.stdout, new RegExp(`^role\\s+${ROLE}$`, 'm'));
  assert.match(text.stdout, /^account\s+222222222222$/m);
  assert.match(text.stdout, /^session\s+alice$/m);
  assert.match(text.stdout, /^source\s+stsx assume --profile dev, by http:\/\/127\.0\.0\.1:\d+\/ at /m);
  assert.match(text.stdout, new RegExp(`^expires\\s+${a.creds.Expiration} \\(in (59m|1h)\\)$`, 'm'));
  assert.doesNotMatch(text.stdout + text.stderr, new RegExp([a.creds.SecretAccessKey, a.creds.AccessKeyId, a.creds.SessionToken.slice(0, 20)].map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')), 'no secret, the key id masked');

  const json = await runStsx(['status', '--output', 'json'], { env });
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as Record<string, unknown>;
  assert.equal(doc.state, 'valid');
  assert.equal(doc.issuedByStsx, true);
  assert.deepEqual(doc.identity, { assumedRoleArn: 'arn:aws:sts::222222222222:assumed-role/Admin/alice', roleArn: ROLE, account: '222222222222', sessionName: 'alice' });
  assert.equal((doc.source as Record<string, unknown>).profile, 'dev');
  assert.equal(doc.expiration, a.creds.Expiration);
  assert.equal(doc.expirationFrom, 'AWS_CREDENTIAL_EXPIRATION');
  assert.ok(typeof doc.remainingSeconds === 'number' && doc.remainingSeconds > 3500 && doc.remainingSeconds <= 3600);
});

test('status: exit 1 with no credentials (empty prompt), 3 when expired, unknown keys are "not issued by stsx"', async () => {
  const a = await assumedDev('status-states');
  const none = await runStsx(['status', '--prompt'], { env: a.box.env });
  assert.equal(none.code, 1);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, '');
  const noneText = await runStsx(['status'], { env: a.box.env });
  assert.equal(noneText.code, 1);
  assert.match(noneText.stdout, /^status\s+no AWS credentials in the environment/);

  const expired = exported(a, { AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z' });
  const e1 = await runStsx(['status', '--prompt'], { env: expired });
  assert.equal(e1.code, 3);
  assert.equal(e1.stdout, 'Admin@222222222222 expired\n');
  const e2 = await runStsx(['status', '--output', 'json'], { env: expired });
  assert.equal(e2.code, 3);
  assert.equal((JSON.parse(e2.stdout) as { state: string }).state, 'expired');
  // The AWS CLI writes +00:00 rather than Z: the same time.
  const cli = await runStsx(['status', '--prompt'], { env: exported(a, { AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00+00:00' }) });
  assert.equal(cli.code, 3);

  const foreign = { ...a.box.env, AWS_ACCESS_KEY_ID: 'AKIAFOREIGN000000000', AWS_SECRET_ACCESS_KEY: 'x' };
  const f1 = await runStsx(['status'], { env: foreign });
  assert.equal(f1.code, 0, f1.stderr);
  assert.match(f1.stdout, /^identity\s+unknown, not issued by stsx/m);
  assert.match(f1.stdout, /^access key\s+AKIA\*\*\*\*0000 \(AWS_ACCESS_KEY_ID\)$/m);
  assert.match(f1.stdout, /^expires\s+unknown/m);
  const f2 = await runStsx(['status', '--prompt'], { env: { ...foreign, AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 125 * 60_000).toISOString() } });
  assert.match(f2.stdout, /^unknown 2h0[45]m\n$/);
});

test('status: a garbage AWS_CREDENTIAL_EXPIRATION is named and the cache entry\'s time used; hostile values stay escaped', async () => {
  const a = await assumedDev('status-garbage');
  for (const garbage of ['soon', '2026-13-45T99:99:99Z', `${'9'.repeat(5000)}`, 'x\u001b]0;pwned\u0007\n\r']) {
    const r = await runStsx(['status'], { env: exported(a, { AWS_CREDENTIAL_EXPIRATION: garbage }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^warning\s+AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time; ignored$/m);
    assert.match(r.stdout, new RegExp(`^expires\\s+${a.creds.Expiration} \\(in .*\\) \\(from the cache entry\\)$`, 'm'));
    assert.ok(!r.stdout.includes('pwned') && !r.stdout.includes('\u001b'));
    const p = await runStsx(['status', '--prompt'], { env: exported(a, { AWS_CREDENTIAL_EXPIRATION: garbage }) });
    assert.match(p.stdout, /^Admin@222222222222 (59m|1h00m)\n$/);
  }
  const hostileKey = await runStsx(['status'], { env: { ...a.box.env, AWS_ACCESS_KEY_ID: 'ASIA\u001b[2K\rforged-key-id', AWS_SECRET_ACCESS_KEY: 'x' } });
  assert.ok(!hostileKey.stdout.includes('\u001b') && !hostileKey.stdout.includes('\r'));
});

test('status: a tampered cache entry is not believed (unknown identity); one with a forged profile name is shown escaped', async () => {
  const a = await assumedDev('status-tampered');
  const [file] = cacheFiles(a.box);
  assert.ok(file);
  const original = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.equal(original.profile, 'dev', 'the entry records its profile');
  for (const tamper of [
    { assumedRoleArn: 'arn:aws:sts::222222222222:assumed-role/Admin\u001b]52;c;eA==\u0007/alice' },
    { account: '22222222222x' },
    { profile: 42 },
    { profile: 'p'.repeat(257) },
    { version: 1 },
  ]) {
    writeFileSync(file, JSON.stringify({ ...original, ...tamper }));
    const r = await runStsx(['status', '--output', 'json'], { env: exported(a) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { issuedByStsx: boolean }).issuedByStsx, false, JSON.stringify(tamper));
  }
  writeFileSync(file, JSON.stringify({ ...original, profile: 'dev\u001b[2Kx' }));
  const r = await runStsx(['status'], { env: exported(a) });
  assert.match(r.stdout, /^source\s+stsx assume --profile dev\\e\[2Kx, by /m);
  assert.equal(readFileSync(file, 'utf8'), JSON.stringify({ ...original, profile: 'dev\u001b[2Kx' }), 'status changes nothing in the cache');
});

test('status: bad flags are usage errors (exit 2), and --help documents the exit statuses', async () => {
  const env = sandbox().env;
  const bad = await runStsx(['status', '--output', 'yaml'], { env });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  const both = await runStsx(['status', '--prompt', '--output', 'json'], { env });
  assert.equal(both.code, 2);
  assert.match(errorLines(both.stderr)[0] ?? '', /^stsx: --prompt and --output cannot be combined$/);
  const help = await runStsx(['status', '--help'], { env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit status: 0 valid credentials, 1 none in the environment, 3 expired/);
});
