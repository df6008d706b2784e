import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings, type GlobalFlags } from '../../src/settings/resolve-settings.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const CONFIG = `
[default]
region = eu-west-1

[profile base]
region = ap-northeast-1

[profile child]
role_arn = arn:aws:iam::222222222222:role/child
source_profile = base

[profile grandchild]
role_arn = arn:aws:iam::333333333333:role/grand
source_profile = child

[profile own-region]
role_arn = arn:aws:iam::222222222222:role/x
source_profile = base
region = us-west-2

[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a

[profile self]
role_arn = arn:aws:iam::1:role/s
source_profile = self

[profile dangling]
role_arn = arn:aws:iam::1:role/d
source_profile = nowhere

[profile badregion]
region = Tokyo
`;

const CREDENTIALS = `
[base]
aws_access_key_id = AKIAEXAMPLEEXAMPLE01
aws_secret_access_key = secret
`;

function setup(config = CONFIG, credentials = CREDENTIALS): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-resolve-'));
  writeFileSync(path.join(dir, 'config'), config);
  writeFileSync(path.join(dir, 'credentials'), credentials);
  return { dir, env: { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' } };
}

async function resolve(flags: GlobalFlags, extraEnv: Record<string, string> = {}, instanceRegion?: () => Promise<string | undefined>, files?: { env: Record<string, string>; dir: string }) {
  const { env, dir } = files ?? setup();
  return resolveSettings(flags, { env: { ...env, ...extraEnv }, homedir: dir, readFile: (f) => readFile(f, 'utf8'), loadRules: loadEndpointRules, instanceRegion });
}

test('profile: flag, then AWS_PROFILE, then default', async () => {
  assert.equal((await resolve({ profile: 'base' }, { AWS_PROFILE: 'child' })).profile.name, 'base');
  assert.equal((await resolve({}, { AWS_PROFILE: 'child' })).profile.name, 'child');
  const implicit = await resolve({});
  assert.equal(implicit.profile.name, 'default');
  assert.equal(implicit.profileName.explicit, false);
});

test('a named profile that does not exist names the files searched', async () => {
  const s = setup();
  await assert.rejects(resolve({ profile: 'nope' }, {}, undefined, s), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /profile "nope"/);
    assert.ok(e.message.includes(path.join(s.dir, 'config')) && e.message.includes(path.join(s.dir, 'credentials')));
    return true;
  });
});

const regionCases: [string, GlobalFlags, Record<string, string>, string, string][] = [
  ['flag first', { region: 'us-west-1', profile: 'base' }, { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'eu-south-1' }, 'us-west-1', 'flag'],
  ['AWS_REGION next', { profile: 'base' }, { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'eu-south-1' }, 'eu-north-1', 'env'],
  ['AWS_DEFAULT_REGION next', { profile: 'base' }, { AWS_DEFAULT_REGION: 'eu-south-1' }, 'eu-south-1', 'env'],
  ['the profile', { profile: 'base' }, {}, 'ap-northeast-1', 'profile'],
  ['followed through source_profile', { profile: 'child' }, {}, 'ap-northeast-1', 'profile'],
  ['through two hops', { profile: 'grandchild' }, {}, 'ap-northeast-1', 'profile'],
  ["the profile's own region before its source's", { profile: 'own-region' }, {}, 'us-west-2', 'profile'],
];
for (const [name, flags, env, region, kind] of regionCases) {
  test(`region: ${name}`, async () => {
    const r = await resolve(flags, env);
    assert.equal(r.region.region, region);
    assert.equal(r.region.origin.kind, kind);
    assert.equal(r.endpoint.url, `https://sts.${region}.amazonaws.com/`);
  });
}

test('region: the instance region from IMDS when nothing else names one, unless disabled', async () => {
  const s = setup('[default]\n', '');
  let asked = 0;
  const lookup = async () => {
    asked += 1;
    return 'ap-southeast-2';
  };
  const r = await resolve({}, { AWS_EC2_METADATA_DISABLED: '' }, lookup, s);
  assert.equal(r.region.region, 'ap-southeast-2');
  assert.equal(r.region.origin.kind, 'instance');
  const off = await resolve({}, {}, lookup, s);
  assert.equal(asked, 1);
  assert.equal(off.region.region, 'us-east-1');
  assert.equal(off.region.origin.kind, 'default');
  assert.match(off.region.note ?? '', /no region configured; using us-east-1/);
});

test('region: malformed names are rejected, as usage (flag) or configuration errors', async () => {
  await assert.rejects(resolve({ region: 'us-east-1a' }), UsageError);
  await assert.rejects(resolve({ region: 'US-EAST-1' }), UsageError);
  await assert.rejects(resolve({}, { AWS_REGION: 'tokyo' }), ConfigError);
  await assert.rejects(resolve({ profile: 'badregion' }), /"Tokyo" \(from region in profile "badregion"/);
});

test('source_profile loops and dangling names are configuration errors', async () => {
  await assert.rejects(resolve({ profile: 'loop-a' }), /source_profile loop: loop-a -> loop-b -> loop-a/);
  await assert.rejects(resolve({ profile: 'self' }), /source_profile loop: self -> self/);
  await assert.rejects(resolve({ profile: 'dangling' }), /source_profile "nowhere"/);
});

test('legacy STS setting yields one note and the regional endpoint', async () => {
  const r = await resolve({ profile: 'base' }, { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' });
  assert.equal(r.endpoint.url, 'https://sts.ap-northeast-1.amazonaws.com/');
  assert.equal(r.notes.filter((n) => n.includes('legacy')).length, 1);
});

test('malformed and unreadable files are configuration errors naming the file', async () => {
  const bad = setup('[default]\nregion = eu-west-1\nthis is not ini\n', '');
  await assert.rejects(resolve({}, {}, undefined, bad), (e: unknown) => e instanceof ConfigError && /config:3/.test(e.message));
  const header = setup('[profile broken\nregion = x\n', '');
  await assert.rejects(resolve({}, {}, undefined, header), /malformed section header/);
  const before = setup('region = eu-west-1\n[default]\n', '');
  await assert.rejects(resolve({}, {}, undefined, before), /before any \[section\]/);
  const dir = setup();
  const asDir = path.join(dir.dir, 'a-directory');
  mkdirSync(asDir);
  await assert.rejects(resolve({}, { AWS_CONFIG_FILE: asDir }, undefined, dir), /cannot read .*a-directory: it is a directory/);
});

test('missing files are fine: nothing configured means the default chain and us-east-1', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-empty-'));
  const r = await resolveSettings({}, { env: { AWS_EC2_METADATA_DISABLED: 'true' }, homedir: dir, readFile: (f) => readFile(f, 'utf8'), loadRules: loadEndpointRules });
  assert.equal(r.endpoint.url, 'https://sts.us-east-1.amazonaws.com/');
  assert.equal(r.files.paths.config, path.join(dir, '.aws', 'config'));
});
