// credentials/process-provider.ts with a scripted process: the output contract, the chain marker,
// the exit status with the last stderr lines, the size cap and the timeout with a kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAIN_VAR, checkChain, parseProcessOutput, runCredentialProcess, stderrTail } from '../../src/credentials/process-provider.ts';
import { StsxError } from '../../src/errors.ts';
import { FAKE_NOW } from '../support/fake-deps.ts';
import { scripted, type Script } from '../support/fake-process.ts';


const SOURCE = { profile: 'proc', commandLine: '/bin/creds --user alice' };
const GOOD = JSON.stringify({ Version: 1, AccessKeyId: 'ASIAPROC0000000001', SecretAccessKey: 's', SessionToken: 't', Expiration: '2030-01-01T00:00:00Z' });

function run(script: Script, env: Record<string, string> = {}, timeoutMs = 1000): { result: Promise<unknown>; fake: ReturnType<typeof scripted> } {
  const fake = scripted(script);
  return { result: runCredentialProcess(SOURCE, { env, start: fake.start, timeoutMs, now: () => FAKE_NOW }), fake };
}

test('a good answer, and the chain marker passed on with this profile added', async () => {
  const { result, fake } = run({ stdout: GOOD, exit: 0 }, { [CHAIN_VAR]: 'outer', PATH: '/bin' });
  assert.deepEqual(await result, { accessKeyId: 'ASIAPROC0000000001', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') });
  assert.equal(fake.started.length, 1);
  assert.equal(fake.started[0]?.line, '/bin/creds --user alice');
  assert.equal(fake.started[0]?.env[CHAIN_VAR], 'outer,proc');
  assert.equal(fake.started[0]?.env.PATH, '/bin');
});

test('a profile already in the chain is refused at once, naming the profile and its line, and nothing is started', async () => {
  const { result, fake } = run({ stdout: GOOD, exit: 0 }, { [CHAIN_VAR]: 'proc' });
  await assert.rejects(result, (e: unknown) => e instanceof StsxError && e.exitCode === 3 && /profile "proc" runs stsx again through its own credential_process \(credential_process = \/bin\/creds --user alice\)/.test(e.message));
  assert.equal(fake.started.length, 0);
  assert.doesNotThrow(() => checkChain(SOURCE, { [CHAIN_VAR]: 'other,proc2' }));
});

test('a failing process: its exit status and the last five stderr lines, secrets masked, control characters escaped', async () => {
  const stderr = ['one', 'two', 'secret_access_key: abcdEFGH1234', 'AKIAIOSFODNN7EXAMPLE is bad', 'four\u001b[31m', 'token expired, run login', ''].join('\n');
  const { result } = run({ stderr, exit: 1 });
  await assert.rejects(result, (e: unknown) => {
    assert.ok(e instanceof StsxError);
    assert.equal(e.exitCode, 4);
    assert.equal(e.message, 'the credential_process of profile "proc" exited with status 1: two | secret_access_key: **** | AKIA**** is bad | four\\x1b[31m | token expired, run login');
    return true;
  });
  const silent = run({ exit: 2 });
  await assert.rejects(silent.result, /exited with status 2 and printed nothing on stderr/);
});

test('a hung process is killed at the time limit and named, with the real duration', async () => {
  const { result, fake } = run({}, {}, 200);
  const started = Date.now();
  await assert.rejects(result, /^Error: the credential_process of profile "proc" did not finish within 0\.[23] s; it was stopped$/);
  assert.ok(Date.now() - started < 1000);
  assert.equal(fake.killed(), 1);
});

test('more than 64 KiB of stdout is cut off and the process killed', async () => {
  const { result, fake } = run({ stdout: 'x'.repeat(70 * 1024) });
  await assert.rejects(result, /wrote more than 64 KiB/);
  assert.equal(fake.killed(), 1);
});

const contract: [string, string, RegExp][] = [
  ['not JSON', 'hello', /did not print JSON/],
  ['Version 2', JSON.stringify({ Version: 2, AccessKeyId: 'A', SecretAccessKey: 'B' }), /did not return "Version": 1/],
  ['Version as a string', JSON.stringify({ Version: '1', AccessKeyId: 'A', SecretAccessKey: 'B' }), /did not return "Version": 1/],
  ['no secret', JSON.stringify({ Version: 1, AccessKeyId: 'A' }), /returned no AccessKeyId or SecretAccessKey/],
  ['expired', JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: 'B', Expiration: '2020-01-01T00:00:00Z' }), /returned credentials that expired at 2020-01-01T00:00:00Z/],
  ['a bad date', JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: 'B', Expiration: 'soon' }), /Expiration that is not a date/],
  ['null', 'null', /did not return "Version": 1/],
];
for (const [name, text, message] of contract) {
  test(`the output contract refuses ${name}`, () => {
    assert.throws(() => parseProcessOutput(text, 'the credential_process of profile "p"', FAKE_NOW), (e: unknown) => e instanceof StsxError && e.exitCode === 4 && message.test(e.message));
  });
}

test('the output contract: SessionToken and Expiration are optional', () => {
  assert.deepEqual(parseProcessOutput(JSON.stringify({ Version: 1, AccessKeyId: 'A', SecretAccessKey: 'B' }), 'x', FAKE_NOW), { accessKeyId: 'A', secretAccessKey: 'B' });
});

test('stderrTail keeps the last five non-empty lines', () => {
  assert.equal(stderrTail('1\n2\n\n3\n4\n5\n6\n'), '2 | 3 | 4 | 5 | 6');
  assert.equal(stderrTail(''), '');
});

test('the command line in messages has its secrets masked and control characters escaped', async () => {
  const fake = scripted({ exit: 1 });
  const source = { profile: 'p', commandLine: 'get-creds --password=hunter2hunter2 --key AKIAIOSFODNN7EXAMPLE\u0007' };
  await assert.rejects(runCredentialProcess(source, { env: {}, start: fake.start, timeoutMs: 1000, now: () => FAKE_NOW }), (e: unknown) => {
    assert.ok(e instanceof StsxError);
    assert.equal(e.hint, 'run it by hand to see why: get-creds --password=**** --key AKIA****\\x07');
    return true;
  });
});
