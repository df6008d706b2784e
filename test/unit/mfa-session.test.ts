// The one rule for how an MFA role meets its MFA requirement (an MFA session from an IAM user's
// long-term keys, else the code with the AssumeRole), and the command's MFA answers (--token-code
// used once; after it, the terminal once per issue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mfaAnswers, mfaRoute } from '../../src/steps/mfa-session.ts';
import type { CommandContext } from '../../src/steps/command-context.ts';
import type { CredentialSource } from '../../src/credentials/source.ts';
import { fakeDeps } from '../support/fake-deps.ts';

const SERIAL = 'arn:aws:iam::111122223333:mfa/me';

test('mfaRoute: an MFA session only from long-term keys (profile or environment); any session source sends the code with AssumeRole', () => {
  const keys: CredentialSource = { kind: 'keys', profile: 'base', file: undefined, accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's' };
  assert.deepEqual(mfaRoute({ mfaSerial: undefined, source: keys }), { kind: 'none' });
  assert.deepEqual(mfaRoute({ mfaSerial: SERIAL, source: keys }), { kind: 'session', serial: SERIAL });
  assert.deepEqual(mfaRoute({ mfaSerial: SERIAL, source: { kind: 'environment', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's' } }), { kind: 'session', serial: SERIAL });
  const sessions: CredentialSource[] = [
    { ...keys, sessionToken: 't' },
    { kind: 'environment', accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't' },
    { kind: 'role-chain', profile: 'p', hop: { roleArn: 'arn:aws:iam::111122223333:role/r' }, source: keys },
    { kind: 'sso', profile: 'p' },
    { kind: 'process', profile: 'p', commandLine: 'x' },
    { kind: 'instance-role' },
  ];
  for (const source of sessions) {
    const route = mfaRoute({ mfaSerial: SERIAL, source });
    assert.equal(route.kind, 'direct', source.kind);
    assert.match(route.kind === 'direct' ? route.note : '', /cannot make an MFA session \(GetSessionToken needs an IAM user's long-term keys\): every refresh asks for the MFA code for arn:aws:iam::111122223333:mfa\/me again$/);
  }
});

function context(prompts: string[], answer: string): CommandContext {
  const deps = fakeDeps({
    stdin: { isTTY: true, async *[Symbol.asyncIterator]() {} },
    openTerminal: () => Promise.resolve({
      write: () => undefined,
      readHidden: (prompt: string) => {
        prompts.push(prompt);
        return Promise.resolve(answer);
      },
      close: () => undefined,
    }),
  });
  const diag = { note: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, colour: (t: string) => t } as unknown as CommandContext['diag'];
  return { deps, flags: { debug: false }, diag };
}

test('mfaAnswers: --token-code answers the first issue only (twice within it), then the terminal is asked once per issue', async () => {
  const prompts: string[] = [];
  const answers = mfaAnswers(context(prompts, '222222'), '111111');
  const first = answers();
  assert.equal(await first(SERIAL), '111111');
  assert.equal(await first(SERIAL), '111111', 'a chain that needs the device twice in one issue');
  assert.deepEqual(prompts, []);
  const second = answers();
  assert.equal(await second(SERIAL), '222222');
  assert.equal(await second(SERIAL), '222222');
  const third = answers();
  assert.equal(await third(SERIAL), '222222');
  assert.deepEqual(prompts, [`Enter MFA code for ${SERIAL}: `, `Enter MFA code for ${SERIAL}: `], 'one prompt per later issue, never the old code');
});

test('mfaAnswers: an issue that needs no code leaves --token-code for the next one', async () => {
  const prompts: string[] = [];
  const answers = mfaAnswers(context(prompts, '222222'), '111111');
  answers();
  assert.equal(await answers()(SERIAL), '111111');
  assert.deepEqual(prompts, []);
});
