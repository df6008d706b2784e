// The did-you-mean of profile keys: one edit from a known key (Damerau-Levenshtein, adjacent
// swaps), or `-` for `_`, or another case; known keys and sub-section keys are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_PROFILE_KEYS, misspeltKeys, suggestKey } from '../../src/config/known-keys.ts';

test('near misses get the known key', () => {
  const cases: Array<[string, string]> = [
    ['role-arn', 'role_arn'], ['rolearn', 'role_arn'], ['role_ran', 'role_arn'], ['role_arnn', 'role_arn'], ['rol_arn', 'role_arn'],
    ['Role_Arn', 'role_arn'], ['source-profile', 'source_profile'], ['mfa-serial', 'mfa_serial'], ['regoin', 'region'], ['duration-seconds', 'duration_seconds'],
  ];
  for (const [key, known] of cases) assert.equal(suggestKey(key), known, key);
});

test('known keys, far keys and sub-section keys get nothing', () => {
  for (const key of ['role_arn', 'region', 'my_custom_key', 'role_arn_x1', 's3.endpoint_url', 'x']) assert.equal(suggestKey(key), undefined, key);
  for (const key of KNOWN_PROFILE_KEYS) assert.equal(suggestKey(key), undefined, key);
});

test('a section: each misspelt key with its known key', () => {
  assert.deepEqual(misspeltKeys({ 'role-arn': 'a', source_profile: 'b', 'mfa-serial': 'c' }), [{ key: 'role-arn', known: 'role_arn' }, { key: 'mfa-serial', known: 'mfa_serial' }]);
});
