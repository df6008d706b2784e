// checkWhoamiOptions as a table: each refusal names the flag (exit 2) and never echoes a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWhoamiOptions, type WhoamiOptions } from '../../src/commands/whoami.ts';
import { StsxError } from '../../src/errors.ts';

const SECRET = 'SECRETwJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';

const refusals: [string, WhoamiOptions, RegExp][] = [
  ['--output yaml', { output: 'yaml' }, /--output must be text or json, not "yaml"/],
  ['--query Foo', { query: 'Foo' }, /--query must be one of Account, Arn, UserId, not "Foo"/],
  ['--access-key-id with a secret-looking value', { accessKeyId: SECRET }, /--access-key-id must be an access key id starting with AKIA or ASIA/],
  ['--access-key-id with --query Arn', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', query: 'Arn' }, /--access-key-id answers only --query Account/],
];
for (const [name, options, message] of refusals) {
  test(`whoami refuses ${name} (exit 2)`, () => {
    assert.throws(
      () => checkWhoamiOptions(options),
      (e: unknown) => e instanceof StsxError && e.exitCode === 2 && message.test(e.message) && !e.message.includes(SECRET) && !(e.hint ?? '').includes(SECRET),
    );
  });
}

test('whoami options: defaults and case-insensitive --query', () => {
  assert.deepEqual(checkWhoamiOptions({}), { output: 'text', query: undefined, accessKeyId: undefined });
  assert.deepEqual(checkWhoamiOptions({ query: 'account', accessKeyId: 'ASIAIOSFODNN7EXAMPLE' }), { output: 'text', query: 'Account', accessKeyId: 'ASIAIOSFODNN7EXAMPLE' });
});
