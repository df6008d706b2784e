// The settings layer against hostile or careless input: deep
// source_profile chains, missing sso-session sections, empty profile names, a relative HOME, names
// that are Object.prototype members, and passwords in endpoint URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveLocalSettings, resolveSettings, type GlobalFlags } from '../../src/settings/resolve-settings.ts';
import { MAX_SOURCE_PROFILE_HOPS } from '../../src/config/profile.ts';
import { configFilePaths, sectionsOf } from '../../src/config/config-files.ts';
import { cacheKey } from '../../src/cache/cache-key.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const KEYS = 'aws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = secret\n';

function files(config: string, credentials = ''): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-hostile-'));
  writeFileSync(path.join(dir, 'config'), config);
  writeFileSync(path.join(dir, 'credentials'), credentials);
  return { dir, env: { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' } };
}

async function resolve(flags: GlobalFlags, f: { env: Record<string, string>; dir: string }, extraEnv: Record<string, string> = {}) {
  return resolveSettings(flags, { env: { ...f.env, ...extraEnv }, homedir: f.dir, readFile: (file) => readFile(file, 'utf8'), loadRules: loadEndpointRules });
}

/** p0 has keys; p1..pN each assume a role from the one before. */
function chainConfig(n: number): string {
  const parts = [`[profile p0]\n${KEYS}region = eu-west-1\n`];
  for (let i = 1; i <= n; i++) parts.push(`[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/r${i}\nsource_profile = p${i - 1}\n`);
  return parts.join('\n');
}

test(`a source_profile chain of ${MAX_SOURCE_PROFILE_HOPS} hops resolves`, async () => {
  const r = await resolve({ profile: `p${MAX_SOURCE_PROFILE_HOPS}` }, files(chainConfig(MAX_SOURCE_PROFILE_HOPS)));
  assert.equal(r.chain.length, MAX_SOURCE_PROFILE_HOPS + 1);
});

for (const depth of [MAX_SOURCE_PROFILE_HOPS + 1, 5000]) {
  test(`a source_profile chain of ${depth} hops is a quick configuration error naming where it stopped`, async () => {
    const started = Date.now();
    await assert.rejects(resolve({ profile: `p${depth}` }, files(chainConfig(depth))), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.exitCode, 3);
      assert.match(e.message, new RegExp(`from profile "p${depth}" is longer than ${MAX_SOURCE_PROFILE_HOPS} hops; stopped at profile "p${depth - MAX_SOURCE_PROFILE_HOPS}"`));
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });
}

test('a profile naming a missing sso-session section is a configuration error, also down a chain', async () => {
  const config = `[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = eu-west-1\n\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = sso\n`;
  for (const profile of ['sso', 'role']) {
    await assert.rejects(resolve({ profile }, files(config)), (e: unknown) => e instanceof ConfigError && /profile "sso" names sso_session "corp", but there is no \[sso-session corp\] section/.test(e.message));
  }
  const ok = await resolve({ profile: 'sso' }, files(`${config}\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n`));
  assert.equal(ok.profile.name, 'sso');
});

test('--profile "" is a usage error; an empty AWS_PROFILE counts as unset, as in the SDK', async () => {
  const f = files(`[default]\nregion = eu-west-1\n[profile other]\nregion = us-west-2\n`);
  await assert.rejects(resolve({ profile: '' }, f), (e: unknown) => e instanceof UsageError && /--profile is empty/.test(e.message));
  const r = await resolve({}, f, { AWS_PROFILE: '' });
  assert.equal(r.profile.name, 'default');
  assert.equal(r.profileName.explicit, false);
});

test('a relative home directory is a configuration error wherever the home directory is needed', () => {
  for (const home of ['relative', '', '.']) {
    assert.throws(() => configFilePaths({}, home), (e: unknown) => e instanceof ConfigError && /not an absolute path/.test(e.message));
    assert.throws(() => configFilePaths({ AWS_CONFIG_FILE: '~/config', AWS_SHARED_CREDENTIALS_FILE: '/abs/creds' }, home), ConfigError);
  }
  // Both files named absolutely: no home directory is needed.
  assert.deepEqual(configFilePaths({ AWS_CONFIG_FILE: '/abs/config', AWS_SHARED_CREDENTIALS_FILE: '/abs/creds' }, 'relative'), { config: '/abs/config', credentials: '/abs/creds' });
});

// Names from files are data: Object.prototype members must not exist until a file says so.
const PROTO_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable'];

for (const name of PROTO_NAMES) {
  test(`profile ${JSON.stringify(name)} does not exist unless a file defines it`, async () => {
    const f = files('[default]\nregion = eu-west-1\n', `[default]\n${KEYS}`);
    await assert.rejects(resolve({ profile: name }, f), (e: unknown) => e instanceof ConfigError && /is not in/.test(e.message));
    await assert.rejects(resolve({}, f, { AWS_PROFILE: name }), ConfigError);
  });

  test(`a setting named ${JSON.stringify(name)} is an ordinary setting`, async () => {
    const f = files(`[profile x]\n${name} = y\nregion = eu-west-1\n`);
    const r = await resolve({ profile: 'x' }, f);
    // Names are lower-cased, as the spec reads them.
    assert.equal(r.profile.settings[name.toLowerCase()], 'y');
    assert.equal(r.profile.keyFiles[name.toLowerCase()], f.env.AWS_CONFIG_FILE);
    assert.equal(r.region.region, 'eu-west-1');
  });

  test(`source_profile = ${name} must name a real profile`, async () => {
    const f = files(`[profile x]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = ${name}\n`);
    await assert.rejects(resolve({ profile: 'x' }, f), (e: unknown) => e instanceof ConfigError && (/which is not in/.test(e.message) || /invalid profile name/.test(e.message)));
  });
}

test('parsed files inherit nothing at any level (no Object.prototype in any chain)', () => {
  const sections = sectionsOf('[default]\nregion = x\n[profile a]\nregion = y\n', 'config', '/c');
  for (const object of [sections.get('a'), sections.get('default')]) {
    assert.ok(object);
    // Null, or an empty frozen object whose own prototype is null: nothing to inherit, nothing to add to it.
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto !== null) {
      assert.equal(Object.getPrototypeOf(proto), null);
      assert.deepEqual(Reflect.ownKeys(proto), []);
      assert.ok(Object.isFrozen(proto));
    }
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__', '__defineGetter__']) assert.equal((object as Record<string, unknown>)[name], undefined, name);
  }
  // A setting named __proto__ is a setting like any other.
  const odd = sectionsOf('[profile a]\n__proto__ = x\nconstructor = y\n', 'config', '/c');
  assert.equal(odd.get('a')?.['__proto__'], 'x');
  assert.equal(odd.get('a')?.constructor, 'y');
  assert.deepEqual(Object.keys(odd.get('a') ?? {}), ['__proto__', 'constructor']);
});

// A few random-ish configs built from hostile fragments: each resolves or fails with a ConfigError/UsageError, never anything else.
test('fuzzed configs built from hostile names fail only with configuration or usage errors', async () => {
  const fragments = [...PROTO_NAMES, 'default', 'a', 'profile', 'services', 'sso-session', 'x y', 'prototype'];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 60; round++) {
    const pick = (): string => fragments[next(fragments.length)] ?? 'a';
    const lines = [`[profile ${pick()}]`, `${pick()} = ${pick()}`, `source_profile = ${pick()}`, `role_arn = arn:aws:iam::123456789012:role/r`, `[${pick()}]`, `sso_session = ${pick()}`, `services = ${pick()}`];
    const f = files(lines.join('\n'), `[${pick()}]\n${KEYS}`);
    try {
      await resolve({ profile: pick() }, f);
    } catch (error) {
      assert.ok(error instanceof ConfigError || error instanceof UsageError, `round ${round}: ${String(error)}\n${lines.join('\n')}`);
    }
  }
});

test('a password in an endpoint URL is dropped on reading: not in the endpoint, the inputs, the notes or an error', async () => {
  const f = files('[default]\nregion = eu-west-1\n[profile p]\nendpoint_url = https://carol:s3cr3t-profile@sts.example.com\nregion = eu-west-1\n');
  for (const [flags, env, secret] of [
    [{ endpointUrl: 'http://bob:s3cr3t-flag@127.0.0.1:9/' }, {}, 's3cr3t-flag'],
    [{}, { AWS_ENDPOINT_URL_STS: 'http://bob:s3cr3t-env@127.0.0.1:9/' }, 's3cr3t-env'],
    [{ profile: 'p' }, {}, 's3cr3t-profile'],
  ] as const) {
    const r = await resolve(flags, f, env);
    const everything = JSON.stringify({ endpoint: r.endpoint, inputs: r.endpointInputs, notes: r.notes, fallbacks: r.fallbacks });
    assert.ok(!everything.includes(secret), everything);
    assert.equal(r.endpoint.custom, true);
    assert.match(r.notes.join('\n'), /user name and password/);
  }
  // Not a URL at all: the error message masks it too.
  await assert.rejects(resolve({ endpointUrl: 'bob:s3cr3t@' }, f), (e: unknown) => e instanceof UsageError && !e.message.includes('s3cr3t'));
  // A fallback URL with a password: dropped as well.
  const withFallback = await resolve({ endpointUrl: 'http://127.0.0.1:9/', fallbackRegion: ['eu-west-2=http://u:s3cr3t-fb@127.0.0.1:10/'] }, f);
  assert.ok(!JSON.stringify(withFallback.fallbacks).includes('s3cr3t'));
});

test('the cache key is computed from the endpoint inputs read in one place: each endpoint setting changes it, a password does not', async () => {
  const f = files('[default]\nregion = eu-west-1\n');
  const keyOf = async (flags: GlobalFlags, env: Record<string, string> = {}): Promise<string> => {
    const local = await resolveLocalSettings(flags, { env: { ...f.env, ...env }, homedir: f.dir, readFile: (file) => readFile(file, 'utf8') });
    return cacheKey({ kind: 'session-token', source: 'AKIAEXAMPLEEXAMPLE01', region: local.region.region, endpointInputs: local.endpointInputs });
  };
  const base = await keyOf({});
  const variants = await Promise.all([
    keyOf({}, { AWS_USE_FIPS_ENDPOINT: 'true' }),
    keyOf({}, { AWS_USE_DUALSTACK_ENDPOINT: 'true' }),
    keyOf({}, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/' }),
    keyOf({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9/' }),
    keyOf({ endpointUrl: 'http://127.0.0.1:9/' }),
    keyOf({ region: 'us-east-1' }),
  ]);
  assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  // The password is not part of the key at all (not even hashed).
  assert.equal(await keyOf({ endpointUrl: 'http://bob:pw@127.0.0.1:9/' }), await keyOf({ endpointUrl: 'http://bob:other@127.0.0.1:9/' }));
});
