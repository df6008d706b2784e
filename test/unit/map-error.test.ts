// What the SDK throws -> one stsx error of the right kind, with a message and hint that say what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapStsError } from '../../src/sts/map-error.ts';
import type { ResolvedEndpoint } from '../../src/endpoint/resolve-endpoint.ts';

const endpoint: ResolvedEndpoint = {
  url: 'https://sts.ap-northeast-1.amazonaws.com/', host: 'sts.ap-northeast-1.amazonaws.com', region: 'ap-northeast-1', signingRegion: 'ap-northeast-1',
  partition: 'aws', origin: { kind: 'default', name: 'regional' }, custom: false, fips: false, dualStack: false, ignored: [],
};
const ctx = { endpoint, operation: 'GetCallerIdentity', profile: 'dev', timeoutMs: 15000 };
const sdkError = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message ?? '')), fields);

const cases: [string, Error, number, RegExp, RegExp?][] = [
  ['DNS failure (the seed 000 private subnet)', sdkError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }), 5, /cannot resolve the STS endpoint host sts\.ap-northeast-1\.amazonaws\.com/, /STS interface VPC endpoint with private DNS in ap-northeast-1/],
  ['connection refused', sdkError({ code: 'ECONNREFUSED' }), 5, /cannot connect to the STS endpoint/],
  ['timeout', sdkError({ name: 'TimeoutError', message: 'socket hang up' }), 5, /no answer from the STS endpoint .* within 15 s/],
  ['abort', sdkError({ name: 'AbortError', message: 'Request aborted' }), 5, /no answer/],
  ['TLS', sdkError({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 5, /TLS handshake/, /NODE_EXTRA_CA_CERTS/],
  ['no credentials', sdkError({ name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }), 4, /no AWS credentials found for profile "dev"/],
  ['expired SSO', sdkError({ name: 'CredentialsProviderError', message: 'The SSO session associated with this profile has expired or is otherwise invalid.' }), 4, /SSO session of profile "dev"/, /stsx login --profile dev/],
  ['profile cycle', sdkError({ name: 'CredentialsProviderError', message: 'Detected a cycle attempting to resolve credentials for profile a' }), 3, /source_profile loop/],
  ['ExpiredToken', sdkError({ name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } }), 4, /have expired \(ExpiredToken\)/],
  ['InvalidClientTokenId', sdkError({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } }), 4, /does not recognise the access key id/],
  ['clock skew', sdkError({ name: 'SignatureDoesNotMatch', message: 'Signature expired: 20160609T184512Z is now earlier than ...', $metadata: { httpStatusCode: 403 } }), 4, /clock is off/],
  ['RegionDisabled', sdkError({ name: 'RegionDisabledException', $metadata: { httpStatusCode: 403 } }), 6, /not activated in ap-northeast-1/],
  ['503 after retries', sdkError({ name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503, attempts: 3 } }), 5, /answered HTTP 503 \(ServiceUnavailable\) after 3 attempts/],
  ['ValidationError', sdkError({ name: 'ValidationError', message: '1 validation error detected', $fault: 'client', $metadata: { httpStatusCode: 400 } }), 6, /refused the request: ValidationError/],
];

for (const [name, error, code, message, hint] of cases) {
  test(`maps ${name}`, () => {
    const mapped = mapStsError(error, ctx);
    assert.equal(mapped.exitCode, code);
    assert.match(mapped.message, message);
    if (hint) assert.match(mapped.hint ?? '', hint);
  });
}

test('AccessDenied on DecodeAuthorizationMessage says which permission is missing', () => {
  const mapped = mapStsError(sdkError({ name: 'AccessDenied', message: 'User: arn:aws:iam::1:user/a is not authorized', $metadata: { httpStatusCode: 403 } }), { ...ctx, operation: 'DecodeAuthorizationMessage' });
  assert.equal(mapped.exitCode, 4);
  assert.match(mapped.hint ?? '', /sts:DecodeAuthorizationMessage/);
});

test('a 500 from an --endpoint-url endpoint points at that endpoint, not at --region', () => {
  const custom: ResolvedEndpoint = { ...endpoint, url: 'http://localhost:4566/', host: 'localhost:4566', origin: { kind: 'flag', name: '--endpoint-url' }, custom: true };
  const mapped = mapStsError(sdkError({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 3 } }), { ...ctx, endpoint: custom });
  assert.equal(mapped.exitCode, 5);
  assert.match(mapped.message, /answered HTTP 500 \(InternalFailure\) after 3 attempts/);
  assert.doesNotMatch(mapped.hint ?? '', /--region/);
  assert.match(mapped.hint ?? '', /the service at http:\/\/localhost:4566\/ \(from --endpoint-url\) is failing/);
  // The regional endpoint keeps the region advice.
  assert.match(mapStsError(sdkError({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }), ctx).hint ?? '', /--region/);
});

test('a DNS failure for a region no table lists is a likely typo: the hint names the nearest regions, not a VPC endpoint', () => {
  const typo: ResolvedEndpoint = { ...endpoint, url: 'https://sts.eu-wst-1.amazonaws.com/', host: 'sts.eu-wst-1.amazonaws.com', region: 'eu-wst-1', signingRegion: 'eu-wst-1' };
  const mapped = mapStsError(sdkError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }), { ...ctx, endpoint: typo });
  assert.equal(mapped.exitCode, 5);
  assert.match(mapped.hint ?? '', /^eu-wst-1 is not a known AWS region \(did you mean eu-west-1/);
  assert.doesNotMatch(mapped.hint ?? '', /VPC endpoint/);
});
