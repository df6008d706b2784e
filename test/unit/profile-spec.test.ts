// The AWS SDKs' shared test cases for reading the config and credentials files (vendored from
// smithy-rs, test/fixtures/profile-spec/README.md), every one against stsx's reader: the profiles
// both files give together (credentials-file settings win), the sso-sessions, or the refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IniError, parseProfileFile } from '../../src/config/parse-ini.ts';
import { loadConfigFiles } from '../../src/config/config-files.ts';
import { readProfile, listProfiles } from '../../src/config/profile.ts';
import { ConfigError } from '../../src/errors.ts';

interface SpecCase {
  name: string;
  input: { configFile?: string; credentialsFile?: string };
  output: { errorContaining: string } | { config: { profiles: Record<string, Record<string, string>>; sso_sessions?: Record<string, Record<string, string>> } };
}

const spec = JSON.parse(readFileSync(new URL('../fixtures/profile-spec/profile-parser-tests.json', import.meta.url), 'utf8')) as { tests: SpecCase[] };

test('the vendored cross-SDK file holds its 64 cases', () => {
  assert.equal(spec.tests.length, 64);
});

for (const [index, c] of spec.tests.entries()) {
  test(`cross-SDK profile case ${index + 1}: ${c.name}`, async () => {
    const config = c.input.configFile ?? '';
    const credentials = c.input.credentialsFile ?? '';
    if ('errorContaining' in c.output) {
      const wanted = c.output.errorContaining;
      // The parser's reason is the spec's wording; the file as a whole is refused with a ConfigError naming file and line.
      const refused = (text: string, kind: 'config' | 'credentials'): IniError | undefined => {
        try {
          parseProfileFile(text, kind);
          return undefined;
        } catch (error) {
          assert.ok(error instanceof IniError, String(error));
          return error;
        }
      };
      const error = refused(config, 'config') ?? refused(credentials, 'credentials');
      assert.ok(error, 'expected the file to be refused');
      assert.ok(error.message.includes(wanted), `${error.message} does not contain ${wanted}`);
      const files: Record<string, string> = { '/c': config, '/k': credentials };
      await assert.rejects(loadConfigFiles({ config: '/c', credentials: '/k' }, (f) => Promise.resolve(files[f] ?? '')), (e: unknown) => e instanceof ConfigError && new RegExp(`^(.*\\s)?/[ck]:${error.line}\\b`).test(e.message));
      return;
    }
    const files: Record<string, string> = { '/c': config, '/k': credentials };
    const loaded = await loadConfigFiles({ config: '/c', credentials: '/k' }, (f) => Promise.resolve(files[f] ?? ''));
    const profiles: Record<string, Record<string, string | undefined>> = {};
    for (const name of listProfiles(loaded)) profiles[name] = { ...readProfile(loaded, name).settings };
    assert.deepEqual(profiles, c.output.config.profiles);
    const sessions: Record<string, Record<string, string | undefined>> = {};
    for (const [name, section] of parseProfileFile(config, 'config').ssoSessions) sessions[name] = { ...section };
    assert.deepEqual(sessions, c.output.config.sso_sessions ?? sessions);
    if (c.output.config.sso_sessions) assert.deepEqual(sessions, c.output.config.sso_sessions);
  });
}
