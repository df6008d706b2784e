// The SDK providers that read the config files themselves (fromSSO, fromIni for console login)
// read them through @smithy/core/config: once stsx hands it its reading (config/sdk-view.ts), they
// see the profiles stsx sees, on the lines where the JS SDK's own parser reads differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSsoSessionData, parseKnownFiles } from '@smithy/core/config';
import { loadConfigFiles } from '../../src/config/config-files.ts';
import { listProfiles, readProfile } from '../../src/config/profile.ts';
import { shareFilesWithSdk } from '../../src/config/sdk-view.ts';
import { subPropertiesOf } from '../../src/config/parse-ini.ts';

const CONFIG = [
  '[profile a]', 'region = eu-west-1',
  '[profile b]; the SSO one', 'sso_session = corp', 'SSO_ACCOUNT_ID = 111122223333', 'sso_role_name = Dev',
  '[profile \tspaced \t]', 'region = us-east-2', 's3 =', '  endpoint_url = http://s3', 'note = first', '  -continued',
  '[profile x.y]',
  '[sso-session corp]# the company', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-west-1',
  '',
].join('\n');
const CREDENTIALS = '[base]\nAWS_ACCESS_KEY_ID = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x # not a comment for the AWS CLI\n[profile ignored]\nk = v\n';

test('after shareFilesWithSdk, the SDK\'s own file reading gives stsx\'s profiles and sso-sessions', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-sdk-view-'));
  const paths = { config: path.join(dir, 'config'), credentials: path.join(dir, 'credentials') };
  writeFileSync(paths.config, CONFIG);
  writeFileSync(paths.credentials, CREDENTIALS);
  const init = { configFilepath: paths.config, filepath: paths.credentials, ignoreCache: true };

  // The JS SDK's own reading differs: profile b is not there, its SSO settings are a's.
  const before = await parseKnownFiles(init);
  assert.equal(before.b, undefined);
  assert.equal(before.a?.sso_role_name, 'Dev');

  const files = await loadConfigFiles(paths, (f) => import('node:fs/promises').then((fs) => fs.readFile(f, 'utf8')));
  await shareFilesWithSdk(files);
  const after = await parseKnownFiles(init);
  // stsx's reading, with sub-properties in the JS SDK's shape (`s3.endpoint_url`) and a continued value's first line.
  const expected: Record<string, Record<string, string>> = {};
  for (const name of listProfiles(files)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(readProfile(files, name).settings)) {
      if (v === undefined) continue;
      if (v.startsWith('\n')) for (const [sub, sv] of subPropertiesOf(v)) out[`${k}.${sub}`] = sv;
      else out[k] = v.split('\n')[0] ?? '';
    }
    expected[name] = out;
  }
  const sdkProfiles = Object.fromEntries(Object.entries(after).filter(([k]) => !k.startsWith('sso-session.') && !k.startsWith('services.')));
  // The SDK has no entry for a profile without settings; stsx has it, empty.
  assert.deepEqual({ ...sdkProfiles, 'x.y': sdkProfiles['x.y'] ?? {} }, expected);
  assert.deepEqual(after.b, { sso_session: 'corp', sso_account_id: '111122223333', sso_role_name: 'Dev' });
  assert.deepEqual(after.base?.aws_access_key_id, 'AKIAIOSFODNN7EXAMPLE');
  assert.deepEqual(await loadSsoSessionData(init), { corp: { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1' } });
});
