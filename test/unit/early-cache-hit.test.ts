// src/early-cache-hit.ts takes a plain `stsx assume` before the argument parser: for the argv it
// takes, the options must be exactly those cli.ts (commander) hands runAssume; everything else is
// left to cli.ts (undefined).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commanderOptions } from '../support/commander-options.ts';
import { plainAssumeOptions } from '../../src/early-cache-hit.ts';

const ROLE = 'arn:aws:iam::123456789012:role/Admin';
const TAKEN: string[][] = [
  [],
  ['--role-arn', ROLE],
  ['--role-arn', ROLE, '--role-session-name', 'bench', '--format', 'bash', '--endpoint-url', 'http://127.0.0.1:4566'],
  ['--profile', 'dev'],
  ['--profile=dev', '--region=eu-west-3'],
  ['--shell', 'PWSH'],
  ['--format', 'env', '--shell', 'fish'],
  ['--format=process'],
  ['--role-arn', ROLE, '--duration', '1h', '--external-id', 'x=y', '--min-ttl', '10m'],
];

for (const args of TAKEN) {
  test(`assume ${args.join(' ')}: the same options as commander`, async () => {
    const ours = plainAssumeOptions(args);
    assert.ok(ours, 'taken');
    assert.deepEqual({ ...ours }, await commanderOptions(['assume', ...args]));
  });
}

const LEFT: string[][] = [
  ['--debug'],
  ['--help'],
  ['-h'],
  ['--no-cache'],
  ['--refresh'],
  ['--profile'],
  ['--profile', ''],
  ['--profile='],
  ['--profile', '--debug'],
  ['--profile', 'a', '--profile', 'b'],
  ['--role-arn', ROLE, '--role-arn', ROLE],
  ['--format', 'no-such-shell'],
  ['--write-profile', 'x'],
  ['--web-identity'],
  ['--policy', '-'],
  ['--token-code', '123456'],
  ['--mfa-serial', 'arn:aws:iam::123456789012:mfa/a'],
  ['--allowed-account-id', '123456789012'],
  ['--tag', 'a=b'],
  ['--fallback-region', 'eu-west-1'],
  ['--timeout', '5'],
  ['--prof', 'dev'],
  ['--', '--profile', 'dev'],
  ['extra'],
  ['-p', 'dev'],
];

for (const args of LEFT) {
  test(`assume ${args.join(' ')}: left to the argument parser`, () => {
    assert.equal(plainAssumeOptions(args), undefined);
  });
}
