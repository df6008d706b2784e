// `stsx endpoint` without --check: where each part of the endpoint came from, the proxy in force
// (Node's NO_PROXY rules), address kinds, and the text/JSON renderers. No network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../../src/settings/resolve-settings.ts';
import { loadEndpointRules } from '../../src/sts/client.ts';
import { describeEndpoint, type EndpointDescription } from '../../src/endpoint-check/describe-endpoint.ts';
import { endpointJson, endpointText } from '../../src/endpoint-check/render-endpoint.ts';
import { maskPassword, matchNoProxy, readProxySettings } from '../../src/endpoint-check/proxy-settings.ts';
import { addressKind } from '../../src/endpoint-check/address-kind.ts';
import { checkEndpointOptions } from '../../src/commands/endpoint.ts';
import { UsageError } from '../../src/errors.ts';

const rules = await loadEndpointRules();

/** Real files in a temp dir: the config loader parses them with the SDK's own INI reader. */
async function describe(opts: { region?: string | undefined; env?: Record<string, string> | undefined; config?: string | undefined; profile?: string | undefined; endpointUrl?: string | undefined; fallbackRegion?: string[] | undefined }): Promise<EndpointDescription> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-endpoint-'));
  const config = path.join(dir, 'config');
  writeFileSync(config, opts.config ?? '');
  const env = { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), ...opts.env };
  const settings = await resolveSettings(
    { region: opts.region, endpointUrl: opts.endpointUrl, profile: opts.profile, fallbackRegion: opts.fallbackRegion },
    { env, homedir: dir, readFile: (file) => readFile(file, 'utf8'), loadRules: () => Promise.resolve(rules) },
  );
  return describeEndpoint(settings, env);
}

test('seed 000 machine: --region with AWS_STS_REGIONAL_ENDPOINTS=legacy -> regional endpoint, legacy reported as ignored', async () => {
  const d = await describe({ region: 'ap-northeast-1', env: { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' } });
  assert.equal(d.url, 'https://sts.ap-northeast-1.amazonaws.com/');
  assert.equal(d.hostname, 'sts.ap-northeast-1.amazonaws.com');
  assert.equal(d.port, 443);
  assert.equal(d.region.from, '--region');
  assert.equal(d.endpoint.from, 'default (regional endpoint of partition aws)');
  assert.equal(d.signingRegion, 'ap-northeast-1');
  assert.equal(d.partition, 'aws');
  assert.deepEqual(d.ignored.map((i) => i.setting), ['AWS_STS_REGIONAL_ENDPOINTS=legacy']);
  const text = endpointText(d);
  assert.match(text, /^endpoint {8}https:\/\/sts\.ap-northeast-1\.amazonaws\.com\/$/m);
  assert.match(text, /^region {10}ap-northeast-1 {2}\(from --region\)$/m);
  assert.match(text, /^ignored {9}AWS_STS_REGIONAL_ENDPOINTS=legacy: stsx always uses regional STS endpoints/m);
  assert.match(text, /^FIPS {12}off {2}\(AWS_USE_FIPS_ENDPOINT \/ use_fips_endpoint not set\)$/m);
  assert.match(text, /^proxy {11}none: stsx connects directly/m);
  assert.match(text, /^fallbacks {7}none/m);
  assert.match(text, /^profile {9}default {2}\(no --profile or AWS_PROFILE\)$/m);
  const json = JSON.parse(endpointJson(d)) as EndpointDescription;
  assert.equal(json.url, d.url);
  assert.deepEqual(json.region.origin, { kind: 'flag', name: '--region' });
});

test('origins: profile region and FIPS from the config file, AWS_PROFILE, fallbacks, default region note', async () => {
  const config = '[profile tokyo]\nregion = ap-northeast-1\nuse_fips_endpoint = true\nstsx_fallback_regions = ap-northeast-3\n';
  const d = await describe({ env: { AWS_PROFILE: 'tokyo' }, config });
  assert.equal(d.url, 'https://sts-fips.ap-northeast-1.amazonaws.com/');
  assert.equal(d.profile.from, '$AWS_PROFILE');
  assert.match(d.region.from, /^region in profile "tokyo" \(\/.*\/config\)$/);
  assert.equal(d.fips.value, true);
  assert.match(d.fips.from, /^use_fips_endpoint in profile "tokyo" \(\/.*\/config\)$/);
  assert.deepEqual(d.fallbacks.map((f) => [f.url, f.region]), [['https://sts-fips.ap-northeast-3.amazonaws.com/', 'ap-northeast-3']]);
  assert.match(d.fallbacks[0]?.from ?? '', /^stsx_fallback_regions in profile "tokyo"/);
  const text = endpointText(d);
  assert.match(text, /^FIPS {12}on {2}\(from use_fips_endpoint in profile "tokyo" \(\/.*\/config\)\)$/m);
  assert.match(text, /^fallbacks {7}https:\/\/sts-fips\.ap-northeast-3\.amazonaws\.com\/ {2}\(ap-northeast-3, from stsx_fallback_regions/m);
  const defaulted = await describe({});
  assert.equal(defaulted.region.value, 'us-east-1');
  assert.match(endpointText(defaulted), /^region {10}us-east-1 {2}\(default \(/m);
});

test('custom endpoint: origin named, FIPS ignored with the reason, http port', async () => {
  const d = await describe({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL_STS: 'http://localhost:4566', AWS_USE_FIPS_ENDPOINT: 'true' } });
  assert.equal(d.custom, true);
  assert.equal(d.tls, false);
  assert.equal(d.port, 4566);
  assert.equal(d.endpoint.from, '$AWS_ENDPOINT_URL_STS');
  assert.equal(d.fips.value, false);
  assert.ok(d.ignored.some((i) => i.setting === 'AWS_USE_FIPS_ENDPOINT' && /custom endpoint/.test(i.reason)));
  assert.match(endpointText(d), /^host {12}localhost, port 4566 \(http, no TLS\)$/m);
});

test('proxy: in force, exempted, unusable; the password never shows', async () => {
  const inForce = await describe({ region: 'eu-west-1', env: { HTTPS_PROXY: 'http://alice:pa:ss@word@proxy.corp:8080', NO_PROXY: 'localhost,169.254.169.254' } });
  assert.equal(inForce.proxy.inForce, true);
  assert.equal(inForce.proxy.hostname, 'proxy.corp');
  assert.equal(inForce.proxy.port, 8080);
  const text = endpointText(inForce);
  assert.match(text, /^proxy {11}http:\/\/alice:\*\*\*\*@proxy\.corp:8080 {2}\(from \$HTTPS_PROXY\)$/m);
  assert.match(text, /in force: STS calls to sts\.eu-west-1\.amazonaws\.com go through the proxy \(\$NO_PROXY=localhost,169\.254\.169\.254 does not exempt/);
  for (const out of [text, endpointJson(inForce)]) assert.ok(!/pa:ss|word@/.test(out.replace('****@', '')), out);

  const exempt = await describe({ region: 'eu-west-1', env: { https_proxy: 'http://proxy.corp:8080', no_proxy: '*.amazonaws.com' } });
  assert.equal(exempt.proxy.inForce, false);
  assert.equal(exempt.proxy.proxy?.name, 'https_proxy');
  assert.match(endpointText(exempt), /not used for sts\.eu-west-1\.amazonaws\.com: \$no_proxy exempts it \(entry "\*\.amazonaws\.com"\); stsx connects directly/);

  const socks = await describe({ region: 'eu-west-1', env: { HTTPS_PROXY: 'socks5://127.0.0.1:1080' } });
  assert.equal(socks.proxy.inForce, false);
  assert.match(endpointText(socks), /not used: not an http:\/\/ or https:\/\/ URL/);
});

test('proxy variables: upper case wins, as sts/limits.ts proxyEnv picks them; HTTP_PROXY for http endpoints', () => {
  const both = readProxySettings({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }, 'https://sts.eu-west-1.amazonaws.com/');
  assert.deepEqual(both.proxy, { name: 'HTTPS_PROXY', value: 'http://upper:1' });
  const plain = readProxySettings({ HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://q:3128' }, 'http://localhost:4566/');
  assert.equal(plain.proxy?.value, 'http://p:3128');
  assert.equal(plain.inForce, true);
});

const noProxyCases: [string, string, string, string | undefined][] = [
  // list, host, port, the entry that matches (Node's lib/internal/http.js rules)
  ['*', 'sts.eu-west-1.amazonaws.com', '443', '*'],
  ['localhost, sts.eu-west-1.amazonaws.com', 'sts.eu-west-1.amazonaws.com', '443', 'sts.eu-west-1.amazonaws.com'],
  ['sts.eu-west-1.amazonaws.com:443', 'sts.eu-west-1.amazonaws.com', '443', 'sts.eu-west-1.amazonaws.com:443'],
  ['sts.eu-west-1.amazonaws.com:8443', 'sts.eu-west-1.amazonaws.com', '443', undefined],
  ['.amazonaws.com', 'sts.eu-west-1.amazonaws.com', '443', '.amazonaws.com'],
  ['*.amazonaws.com', 'sts.eu-west-1.amazonaws.com', '443', '*.amazonaws.com'],
  ['amazonaws.com', 'sts.eu-west-1.amazonaws.com', '443', undefined],
  ['10.0.0.0-10.255.255.255', '10.0.2.228', '443', '10.0.0.0-10.255.255.255'],
  ['10.0.0.0-10.0.0.9', '10.0.2.228', '443', undefined],
  ['AMAZONAWS.COM,.AMAZONAWS.COM', 'sts.eu-west-1.amazonaws.com', '443', '.AMAZONAWS.COM'],
  ['', 'sts.eu-west-1.amazonaws.com', '443', undefined],
];

for (const [list, host, port, expected] of noProxyCases) {
  test(`NO_PROXY ${JSON.stringify(list)} vs ${host}:${port} -> ${String(expected)}`, () => {
    assert.equal(matchNoProxy(list, host, port), expected);
  });
}

const masks: [string, string][] = [
  ['http://proxy:3128', 'http://proxy:3128'],
  ['http://u:p@proxy:3128', 'http://u:****@proxy:3128'],
  ['http://u:p@ss@proxy:3128', 'http://u:****@proxy:3128'],
  ['http://token@proxy:3128', 'http://****@proxy:3128'],
  ['u:p@proxy:3128', 'u:****@proxy:3128'],
];

for (const [raw, shown] of masks) {
  test(`proxy password masked: ${raw}`, () => assert.equal(maskPassword(raw), shown));
}

const kinds: [string, string][] = [
  ['10.0.2.228', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'], ['127.0.0.1', 'loopback'], ['169.254.169.254', 'link-local'], ['52.119.196.1', 'public'],
  ['fd12:3456::1', 'private'], ['::1', 'loopback'], ['fe80::1', 'link-local'], ['2600:1f18::1', 'public'], ['::ffff:10.1.2.3', 'private'],
];

for (const [address, kind] of kinds) {
  test(`address ${address} is ${kind}`, () => assert.equal(addressKind(address), kind));
}

test('options: --output must be text or json', () => {
  assert.deepEqual(checkEndpointOptions({}), { check: false, output: 'text' });
  assert.deepEqual(checkEndpointOptions({ check: true, output: 'json' }), { check: true, output: 'json' });
  assert.throws(() => checkEndpointOptions({ output: 'yaml' }), UsageError);
});
