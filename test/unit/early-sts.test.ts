// src/early-sts.ts runs a plain `stsx whoami` (and a plain `assume` the cache did not answer,
// whose options are plainAssumeOptions: early-cache-hit.test.ts) before the argument parser: for
// the argv it takes, the options must be exactly those cli.ts (commander) hands runWhoami;
// everything else is left to cli.ts (undefined), which decides it, errors included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commanderOptions } from '../support/commander-options.ts';
import { plainSts } from '../../src/early-sts.ts';
import { plainAssumeOptions } from '../../src/early-cache-hit.ts';

const TAKEN: string[][] = [
  [],
  ['--endpoint-url', 'http://127.0.0.1:4566'],
  ['--profile', 'dev', '--region', 'eu-west-3'],
  ['--profile=dev', '--output=json'],
  ['--query', 'Arn'],
  ['--output', 'json', '--query', 'UserId'],
  ['--access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--output', 'text'],
  ['prod'],
  ['prod', '--output', 'json', '--region', 'us-west-2'],
];

for (const args of TAKEN) {
  test(`whoami ${args.join(' ')}: the same options as commander`, async () => {
    const ours = plainSts('whoami', args);
    assert.ok(ours, 'taken');
    assert.equal(ours.command, 'whoami');
    assert.deepEqual({ ...ours.options }, await commanderOptions(['whoami', ...args]));
  });
}

const LEFT: string[][] = [
  ['--debug'],
  ['--help'],
  ['-h'],
  ['--query', 'arn'], // commander's choices are exact: it refuses this, in its words
  ['--output', 'yaml'],
  ['--output='],
  ['--profile'],
  ['--profile', '--debug'],
  ['--profile', 'a', '--profile', 'b'],
  ['prod', '--profile', 'prod'], // both: cli.ts decides (same is fine, different is an error)
  ['prod', '--profile', 'dev'],
  ['prod', 'extra'],
  ['--token-code', '123456'],
  ['--prompt', 'terminal'],
  ['--timeout', '5'],
  ['--fallback-region', 'eu-west-1'],
  ['--unknown'],
  ['-'],
];

for (const args of LEFT) {
  test(`whoami ${args.join(' ')}: left to cli.ts`, () => {
    assert.equal(plainSts('whoami', args), undefined);
  });
}

test('assume: the plain form is the early cache hit\'s, and what it leaves is left here too', () => {
  const args = ['--role-arn', 'arn:aws:iam::123456789012:role/Admin', '--format', 'bash'];
  assert.deepEqual(plainSts('assume', args), { command: 'assume', options: plainAssumeOptions(args) });
  assert.equal(plainSts('assume', ['--no-cache']), undefined);
  assert.equal(plainSts('assume', ['admin']), undefined);
});
