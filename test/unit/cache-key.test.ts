import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheKey, canonicalJson, type CacheKeyInput } from '../../src/cache/cache-key.ts';
import type { EndpointInputs } from '../../src/endpoint/resolve-endpoint.ts';

const inputs: EndpointInputs = {
  region: 'eu-west-1',
  overrides: [],
  ignoreConfigured: undefined,
  fips: { value: false, name: 'use_fips_endpoint', origin: { kind: 'default', name: 'off' } },
  dualStack: { value: false, name: 'use_dualstack_endpoint', origin: { kind: 'default', name: 'off' } },
  legacy: undefined,
};

const base: CacheKeyInput = {
  kind: 'assume-role',
  source: 'AKIAIOSFODNN7EXAMPLE',
  roleArn: 'arn:aws:iam::123456789012:role/demo',
  sessionName: 'my-session',
  durationSeconds: 3600,
  externalId: 'ext-123',
  mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
  policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
  policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
  tags: [{ Key: 'Project', Value: 'blue' }, { Key: 'Team', Value: 'ops' }],
  transitiveTagKeys: ['Project'],
  sourceIdentity: 'alice',
  region: 'eu-west-1',
  endpointInputs: inputs,
};
const key = cacheKey(base);

test('the key is a sha256 hex digest and a pure function of its input', () => {
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base }), key);
});

// One case per input: each must change the key, or one caller could get another's credentials.
const changes: [string, Partial<CacheKeyInput>][] = [
  ['kind', { kind: 'session-token' }],
  ['source credentials (another user)', { source: 'AKIAI44QH8DHBEXAMPLE' }],
  ['source profile fingerprint', { source: 'profile:dev:0123abcd' }],
  ['role ARN', { roleArn: 'arn:aws:iam::123456789012:role/other' }],
  ['session name', { sessionName: 'other-session' }],
  ['session name left out (made up by stsx)', { sessionName: undefined }],
  ['duration', { durationSeconds: 900 }],
  ['external id', { externalId: 'ext-456' }],
  ['MFA serial', { mfaSerial: 'arn:aws:iam::123456789012:mfa/bob' }],
  ['policy', { policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}' }],
  ['policy removed', { policy: undefined }],
  ['policy ARNs', { policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }],
  ['tag value', { tags: [{ Key: 'Project', Value: 'green' }, { Key: 'Team', Value: 'ops' }] }],
  ['tag value case', { tags: [{ Key: 'Project', Value: 'Blue' }, { Key: 'Team', Value: 'ops' }] }],
  ['tag key', { tags: [{ Key: 'Product', Value: 'blue' }, { Key: 'Team', Value: 'ops' }] }],
  ['transitive tag keys', { transitiveTagKeys: ['Team'] }],
  ['source identity (STS SourceIdentity)', { sourceIdentity: 'bob' }],
  ['region', { region: 'us-east-1' }],
  ['FIPS', { endpointInputs: { ...inputs, fips: { value: true, name: 'use_fips_endpoint', origin: { kind: 'profile', profile: 'default', key: 'use_fips_endpoint', file: '/cfg' } } } }],
  ['dual-stack', { endpointInputs: { ...inputs, dualStack: { value: true, name: 'AWS_USE_DUALSTACK_ENDPOINT', origin: { kind: 'env', name: 'AWS_USE_DUALSTACK_ENDPOINT' } } } }],
  ['a custom endpoint URL', { endpointInputs: { ...inputs, overrides: [{ url: 'http://127.0.0.1:9/', origin: { kind: 'flag', name: '--endpoint-url' }, hadUserinfo: false }] } }],
  ['configured endpoints switched off', { endpointInputs: { ...inputs, ignoreConfigured: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true' } }],
];
for (const [name, change] of changes) {
  test(`the key changes with ${name}`, () => assert.notEqual(cacheKey({ ...base, ...change }), key));
}

test('every changed input gives a key of its own', () => {
  const keys = new Set(changes.map(([, change]) => cacheKey({ ...base, ...change })));
  assert.equal(keys.size, changes.length);
});

// Differences STS does not see must not cost an STS call (or an MFA prompt).
const same: [string, Partial<CacheKeyInput>][] = [
  ['reordered tags', { tags: [{ Key: 'Team', Value: 'ops' }, { Key: 'Project', Value: 'blue' }] }],
  ['tag keys in another case', { tags: [{ Key: 'project', Value: 'blue' }, { Key: 'TEAM', Value: 'ops' }] }],
  ['transitive tag key in another case', { transitiveTagKeys: ['PROJECT'] }],
  ['reordered policy ARNs', { policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] }],
  ['a repeated policy ARN', { policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] }],
  ['reformatted policy JSON', { policy: '{\n  "Statement": [ { "Resource": "*", "Action": "s3:GetObject", "Effect": "Allow" } ],\n  "Version": "2012-10-17"\n}\n' }],
];
for (const [name, change] of same) {
  test(`the key stays the same for ${name}`, () => assert.equal(cacheKey({ ...base, ...change }), key));
}

test('no list and an empty list are the same request', () => {
  const bare: CacheKeyInput = { kind: 'session-token', source: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1', endpointInputs: inputs };
  assert.equal(cacheKey({ ...bare, policyArns: [], tags: [], transitiveTagKeys: [] }), cacheKey(bare));
});

test('canonical JSON sorts keys at every depth and keeps array order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } }), '{"a":{"d":[2,1]},"b":1}');
});
