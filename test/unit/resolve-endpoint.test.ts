import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEndpointInputs, resolveEndpoint, type EndpointInputs } from '../../src/endpoint/resolve-endpoint.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import type { ConfigFiles, IniFile, IniSections } from '../../src/config/config-files.ts';
import { readProfile } from '../../src/config/profile.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const rules = await loadEndpointRules();

/** Sections from an object, as the config files give them. */
function sections(file: IniFile): IniSections {
  return { get: (name) => file[name], names: () => Object.keys(file) };
}

/** The endpoint inputs, read as resolve-settings reads them. */
function input(opts: { region: string; env?: Record<string, string>; profile?: Record<string, string>; config?: IniFile; flag?: string }): EndpointInputs {
  const files: ConfigFiles = {
    paths: { config: '/cfg', credentials: '/creds' },
    config: sections({ default: opts.profile ?? {}, ...(opts.config ?? {}) }),
    credentials: sections({}),
  };
  return readEndpointInputs({ region: opts.region, env: opts.env ?? {}, files, profile: readProfile(files, 'default'), flag: opts.flag });
}

const regional: [string, Record<string, string>, string, string][] = [
  // region, env, expected URL, partition
  ['us-east-1', {}, 'https://sts.us-east-1.amazonaws.com/', 'aws'],
  ['eu-west-1', {}, 'https://sts.eu-west-1.amazonaws.com/', 'aws'],
  ['ap-northeast-1', {}, 'https://sts.ap-northeast-1.amazonaws.com/', 'aws'],
  ['ap-east-1', {}, 'https://sts.ap-east-1.amazonaws.com/', 'aws'],
  ['cn-north-1', {}, 'https://sts.cn-north-1.amazonaws.com.cn/', 'aws-cn'],
  ['cn-north-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'https://sts.cn-north-1.api.amazonwebservices.com.cn/', 'aws-cn'],
  ['us-gov-west-1', {}, 'https://sts.us-gov-west-1.amazonaws.com/', 'aws-us-gov'],
  ['us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://sts.us-gov-west-1.amazonaws.com/', 'aws-us-gov'],
  ['us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'https://sts-fips.us-gov-west-1.api.aws/', 'aws-us-gov'],
  ['us-iso-east-1', {}, 'https://sts.us-iso-east-1.c2s.ic.gov/', 'aws-iso'],
  ['us-isob-east-1', {}, 'https://sts.us-isob-east-1.sc2s.sgov.gov/', 'aws-iso-b'],
  ['eu-isoe-west-1', {}, 'https://sts.eu-isoe-west-1.cloud.adc-e.uk/', 'aws-iso-e'],
  ['us-isof-south-1', {}, 'https://sts.us-isof-south-1.csp.hci.ic.gov/', 'aws-iso-f'],
  ['eusc-de-east-1', {}, 'https://sts.eusc-de-east-1.amazonaws.eu/', 'aws-eusc'],
  ['us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://sts-fips.us-east-1.amazonaws.com/', 'aws'],
  ['us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'https://sts.us-east-1.api.aws/', 'aws'],
  ['us-east-1', { AWS_USE_FIPS_ENDPOINT: 'TRUE', AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'https://sts-fips.us-east-1.api.aws/', 'aws'],
];

for (const [region, env, url, partition] of regional) {
  test(`regional endpoint: ${region} ${JSON.stringify(env)} -> ${url}`, () => {
    const r = resolveEndpoint(input({ region, env }), rules);
    assert.equal(r.url, url);
    assert.equal(r.partition, partition);
    assert.equal(r.signingRegion, region);
    assert.equal(r.custom, false);
  });
}

test('profile use_fips_endpoint / use_dualstack_endpoint are honoured, env wins over profile', () => {
  assert.equal(resolveEndpoint(input({ region: 'us-east-2', profile: { use_fips_endpoint: 'true' } }), rules).url, 'https://sts-fips.us-east-2.amazonaws.com/');
  assert.equal(resolveEndpoint(input({ region: 'us-east-2', profile: { use_dualstack_endpoint: 'true' } }), rules).url, 'https://sts.us-east-2.api.aws/');
  assert.equal(resolveEndpoint(input({ region: 'us-east-2', env: { AWS_USE_FIPS_ENDPOINT: 'false' }, profile: { use_fips_endpoint: 'true' } }), rules).url, 'https://sts.us-east-2.amazonaws.com/');
});

test('legacy sts_regional_endpoints settings never bring back the global endpoint, and are reported', () => {
  for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
    const viaEnv = resolveEndpoint(input({ region, env: { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' } }), rules);
    assert.equal(viaEnv.url, `https://sts.${region}.amazonaws.com/`);
    assert.match(viaEnv.ignored.map((i) => i.setting).join(), /AWS_STS_REGIONAL_ENDPOINTS=legacy/);
    const viaProfile = resolveEndpoint(input({ region, profile: { sts_regional_endpoints: 'legacy' } }), rules);
    assert.equal(viaProfile.url, `https://sts.${region}.amazonaws.com/`);
    assert.match(viaProfile.ignored.map((i) => i.setting).join(), /sts_regional_endpoints = legacy/);
  }
});

test('aws-global names the global endpoint on purpose, signed for us-east-1', () => {
  const r = resolveEndpoint(input({ region: 'aws-global' }), rules);
  assert.equal(r.url, 'https://sts.amazonaws.com/');
  assert.equal(r.signingRegion, 'us-east-1');
});

const overrides: [string, Parameters<typeof input>[0], string, string][] = [
  ['flag beats everything', { region: 'eu-west-1', flag: 'http://127.0.0.1:1/flag', env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/sts', AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' }, profile: { endpoint_url: 'http://127.0.0.1:1/profile' } }, 'http://127.0.0.1:1/flag', 'flag'],
  ['AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL', { region: 'eu-west-1', env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/sts', AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' } }, 'http://127.0.0.1:1/sts', 'env'],
  ['AWS_ENDPOINT_URL beats the profile', { region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' }, profile: { endpoint_url: 'http://127.0.0.1:1/profile' } }, 'http://127.0.0.1:1/all', 'env'],
  ['[services] sts endpoint_url beats profile endpoint_url', { region: 'eu-west-1', profile: { services: 'local', endpoint_url: 'http://127.0.0.1:1/profile' }, config: { 'services.local': { 'sts.endpoint_url': 'http://127.0.0.1:1/services' } } }, 'http://127.0.0.1:1/services', 'profile'],
  ['profile endpoint_url', { region: 'eu-west-1', profile: { endpoint_url: 'http://127.0.0.1:1/profile' } }, 'http://127.0.0.1:1/profile', 'profile'],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS switches off env and profile', { region: 'eu-west-1', env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/sts' }, profile: { endpoint_url: 'http://127.0.0.1:1/profile' } }, 'https://sts.eu-west-1.amazonaws.com/', 'default'],
  ['ignore_configured_endpoint_urls in the profile', { region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' }, profile: { ignore_configured_endpoint_urls: 'true' } }, 'https://sts.eu-west-1.amazonaws.com/', 'default'],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS does not switch off the flag', { region: 'eu-west-1', flag: 'http://127.0.0.1:1/flag', env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }, 'http://127.0.0.1:1/flag', 'flag'],
];

for (const [name, args, url, kind] of overrides) {
  test(`override precedence: ${name}`, () => {
    const r = resolveEndpoint(input(args), rules);
    assert.equal(r.url, url);
    assert.equal(r.origin.kind, kind);
  });
}

test('custom endpoints sign with the resolved region and ignore FIPS with a note', () => {
  const r = resolveEndpoint(input({ region: 'ap-northeast-1', flag: 'http://127.0.0.1:9/', env: { AWS_USE_FIPS_ENDPOINT: 'true' } }), rules);
  assert.equal(r.signingRegion, 'ap-northeast-1');
  assert.equal(r.fips, false);
  assert.match(r.ignored.map((i) => i.reason).join(), /FIPS/);
});

test('bad endpoint URLs and settings are errors of the right kind', () => {
  assert.throws(() => resolveEndpoint(input({ region: 'us-east-1', flag: 'sts.example.com' }), rules), UsageError);
  assert.throws(() => resolveEndpoint(input({ region: 'us-east-1', env: { AWS_ENDPOINT_URL_STS: 'ftp://x' } }), rules), ConfigError);
  assert.throws(() => resolveEndpoint(input({ region: 'us-east-1', env: { AWS_USE_FIPS_ENDPOINT: 'yes' } }), rules), /AWS_USE_FIPS_ENDPOINT must be true or false/);
  assert.throws(() => resolveEndpoint(input({ region: 'us-east-1', profile: { services: 'nope' } }), rules), /no \[services nope\] section/);
});

test('the endpoint inputs say where each FIPS / dual-stack switch was read (env first, then the profile)', () => {
  assert.deepEqual(input({ region: 'us-east-2', env: { AWS_USE_FIPS_ENDPOINT: 'true' }, profile: { use_fips_endpoint: 'false' } }).fips.origin, { kind: 'env', name: 'AWS_USE_FIPS_ENDPOINT' });
  assert.deepEqual(input({ region: 'us-east-2', env: { AWS_USE_FIPS_ENDPOINT: '' }, profile: { use_fips_endpoint: 'true' } }).fips.origin, { kind: 'profile', profile: 'default', key: 'use_fips_endpoint', file: '/cfg' });
  assert.deepEqual(input({ region: 'us-east-2' }).dualStack.origin, { kind: 'default', name: 'off' });
});

test('a user name and password in a custom endpoint are dropped on reading, and noted', () => {
  const inputs = input({ region: 'eu-west-1', flag: 'http://bob:pw@127.0.0.1:9/x' });
  assert.deepEqual(inputs.overrides.map((o) => [o.url, o.hadUserinfo]), [['http://127.0.0.1:9/x', true]]);
  const r = resolveEndpoint(inputs, rules);
  assert.equal(r.url, 'http://127.0.0.1:9/x');
  assert.match(r.ignored.map((i) => i.setting).join(), /user name and password in --endpoint-url/);
});
