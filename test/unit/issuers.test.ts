// The issuing layer as tables: the one AssumeRole and AssumeRoleWithWebIdentity request builders,
// the one default session name, the chaining limit, and the texts of time written once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumeRoleInput, checkChainLimit, requestOf } from '../../src/issue/assume-role.ts';
import { webIdentityInput } from '../../src/issue/web-identity.ts';
import { defaultSessionName } from '../../src/issue/session-name.ts';
import { cacheKey } from '../../src/cache/cache-key.ts';
import { durationText, elapsedText } from '../../src/text/expiry.ts';
import { checkNotExpired } from '../../src/sts/validate-answer.ts';
import { isNetworkFailure } from '../../src/sts/map-error.ts';
import { UsageError } from '../../src/errors.ts';

const ROLE = 'arn:aws:iam::123456789012:role/Admin';

test('assumeRoleInput: only what is given goes into the request; the MFA pair only with a code', () => {
  const cases: Array<[string, Parameters<typeof assumeRoleInput>[0], string | undefined, Record<string, unknown>]> = [
    ['bare', { roleArn: ROLE, sessionName: 's1' }, undefined, { RoleArn: ROLE, RoleSessionName: 's1' }],
    ['empty lists left out', { roleArn: ROLE, sessionName: 's1', policyArns: [], tags: [], transitiveTagKeys: [] }, undefined, { RoleArn: ROLE, RoleSessionName: 's1' }],
    ['serial without a code: no MFA pair', { roleArn: ROLE, sessionName: 's1', mfaSerial: 'arn:aws:iam::123456789012:mfa/a' }, undefined, { RoleArn: ROLE, RoleSessionName: 's1' }],
    ['serial with a code', { roleArn: ROLE, sessionName: 's1', mfaSerial: 'arn:aws:iam::123456789012:mfa/a' }, '123456', { RoleArn: ROLE, RoleSessionName: 's1', SerialNumber: 'arn:aws:iam::123456789012:mfa/a', TokenCode: '123456' }],
    [
      'everything',
      { roleArn: ROLE, sessionName: 's1', durationSeconds: 900, externalId: 'x-1', policy: '{}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], tags: [{ Key: 'k', Value: 'v' }], transitiveTagKeys: ['k'], sourceIdentity: 'alice' },
      undefined,
      { RoleArn: ROLE, RoleSessionName: 's1', DurationSeconds: 900, ExternalId: 'x-1', Policy: '{}', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], Tags: [{ Key: 'k', Value: 'v' }], TransitiveTagKeys: ['k'], SourceIdentity: 'alice' },
    ],
  ];
  for (const [name, request, code, expected] of cases) assert.deepEqual(assumeRoleInput(request, code), expected, name);
});

test('webIdentityInput: the token, and a duration and session policy only when given', () => {
  assert.deepEqual(webIdentityInput({ roleArn: ROLE, sessionName: 'ci', token: 't' }), { RoleArn: ROLE, RoleSessionName: 'ci', WebIdentityToken: 't' });
  assert.deepEqual(webIdentityInput({ roleArn: ROLE, sessionName: 'ci', token: 't', durationSeconds: 3600, policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }), {
    RoleArn: ROLE, RoleSessionName: 'ci', WebIdentityToken: 't', DurationSeconds: 3600, PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  });
});

test('defaultSessionName: stsx-<user>-<unix seconds>, cleaned to [\\w+=,.@-] and at most 64 characters', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const secs = Math.floor(now.getTime() / 1000);
  const cases: Array<[string, string]> = [
    ['alice', `stsx-alice-${secs}`],
    ['DOMAIN\\bob smith', `stsx-DOMAIN-bob-smith-${secs}`],
    ['', `stsx-user-${secs}`],
  ];
  for (const [user, expected] of cases) assert.equal(defaultSessionName(user, now), expected);
  const long = defaultSessionName('x'.repeat(200), now);
  assert.equal(long.length, 64);
  assert.match(long, /^stsx-x+-\d+$/);
});

test('checkChainLimit: a chained role session of more than an hour is refused before any call; unknown or unchained passes', () => {
  assert.throws(() => checkChainLimit(true, 3601), (e: unknown) => e instanceof UsageError && /role chaining/.test(e.message));
  for (const [chained, seconds] of [[true, 3600], [false, 43200], ['unknown', 43200]] as const) checkChainLimit(chained, seconds);
});

test('the AssumeRole cache key takes every request field: a field the key builder does not name still changes it', () => {
  const base = { kind: 'assume-role' as const, source: 'AKIA', region: 'eu-west-1', endpointInputs: {} as Parameters<typeof cacheKey>[0]['endpointInputs'] };
  const request = requestOf({ roleArn: ROLE, sessionName: 's', durationSeconds: 3600, externalId: 'x-1' });
  assert.equal(cacheKey({ ...base, ...request }), cacheKey({ ...base, ...request }));
  assert.notEqual(cacheKey({ ...base, ...request }), cacheKey({ ...base, ...request, externalId: 'x-2' }));
  assert.notEqual(cacheKey({ ...base, ...request }), cacheKey({ ...base, ...request, someNewParameter: 'on' }));
  assert.equal(cacheKey({ ...base, ...request }), cacheKey({ ...base, ...request, someNewParameter: undefined }));
});

test('durationText and elapsedText: hours and minutes, written once', () => {
  const lengths: Array<[number, string, Parameters<typeof durationText>[1]?]> = [
    [0, '0s'], [30, '30s'], [60, '1m'], [2520, '42m'], [3600, '1h'], [5400, '1h30m'], [43200, '12h'],
    [3600, '1h00m', { padMinutes: true }], [3900, '1h05m', { padMinutes: true }], [90, '1m30s', { exact: true }], [900, '15m', { exact: true }],
  ];
  for (const [seconds, expected, options] of lengths) assert.equal(durationText(seconds, options), expected, `${seconds} ${JSON.stringify(options)}`);
  const elapsed: Array<[number, string]> = [[1000, '1 s'], [119_000, '119 s'], [600_000, '10 min'], [3_600_000, '1 h'], [5_400_000, '1 h 30 min'], [7_200_000, '2 h'], [-7_200_000, '2 h']];
  for (const [ms, expected] of elapsed) assert.equal(elapsedText(ms), expected, String(ms));
});

test('an expired STS answer says how long ago in the same words as expired exported credentials (1 h 30 min, not 90 min)', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  assert.throws(
    () => checkNotExpired(new Date(now.getTime() - 90 * 60_000), now, undefined, 'sts.example', 'AssumeRole'),
    (e: unknown) => e instanceof Error && /expired at 2026-12-07T10:30:00Z, 1 h 30 min ago by this machine's clock/.test(e.message),
  );
});

test('isNetworkFailure: the one list of failures to reach an endpoint', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['DNS', Object.assign(new Error('x'), { code: 'ENOTFOUND' }), true],
    ['refused, in the cause', Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }), true],
    ['timed out', Object.assign(new Error('x'), { name: 'TimeoutError' }), true],
    ['aborted', Object.assign(new Error('x'), { name: 'AbortError' }), true],
    ['ETIMEOUT', Object.assign(new Error('x'), { code: 'ETIMEOUT' }), true],
    ['access denied', Object.assign(new Error('x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }), false],
    ['a file error', Object.assign(new Error('x'), { code: 'ENOENT' }), false],
    ['nothing', undefined, false],
  ];
  for (const [name, error, expected] of cases) assert.equal(isNetworkFailure(error), expected, name);
});
