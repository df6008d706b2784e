// Every resolution in one run shares one read and parse of each config file (the
// memoised load in src/steps/command-context.ts), whoever asks and however often.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeDeps } from '../support/fake-deps.ts';
import { createDiagnostics } from '../../src/diagnostics.ts';
import { resolveLocalForCommand, type CommandContext } from '../../src/steps/command-context.ts';

const CONFIG = '/home/u/.aws/config';
const CREDENTIALS = '/home/u/.aws/credentials';

async function context(reads: string[]): Promise<CommandContext> {
  const files: Record<string, string> = {
    [CONFIG]: '[profile keys]\nregion = eu-west-1\n[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = keys\n',
    [CREDENTIALS]: '[keys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
  };
  const deps = fakeDeps({
    env: { AWS_CONFIG_FILE: CONFIG, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true' },
    readFile: (file) => {
      reads.push(file);
      return Promise.resolve(files[file] ?? '');
    },
  });
  return { deps, flags: { profile: 'role', debug: false }, diag: await createDiagnostics(deps.stderr, deps.env, false) };
}

test('two resolutions in one run read each config file once', async () => {
  const reads: string[] = [];
  const ctx = await context(reads);
  const [first, second] = await Promise.all([resolveLocalForCommand(ctx), resolveLocalForCommand(ctx)]);
  const third = await resolveLocalForCommand(ctx);
  assert.deepEqual([first.profile.name, second.profile.name, third.profile.name], ['role', 'role', 'role']);
  assert.equal(third.files, first.files, 'the same parsed files');
  assert.deepEqual(reads.sort(), [CONFIG, CREDENTIALS]);
});

test('another run (other deps) reads the files again', async () => {
  const reads: string[] = [];
  await resolveLocalForCommand(await context(reads));
  await resolveLocalForCommand(await context(reads));
  assert.equal(reads.length, 4);
});
