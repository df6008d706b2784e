// The ported parser must read every file exactly as the SDK's own loader does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { configFileView, parseIni } from '../../src/config/parse-ini.ts';

const corpus: Record<string, string> = {
  basic: '[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\n',
  comments: '# top\n[default] # trailing\nregion = eu-west-1 ; inline\nkey=value#not-a-comment\n; whole line\n[profile x]\n  region=us-east-2  \n',
  nested: '[default]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n  other = x\ns3 =\n  endpoint_url = http://127.0.0.1:9000\nafter = top-level\n',
  quoted: '[profile "with space"]\nregion = ap-south-1\n[profile \'single\']\nregion = ap-south-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n',
  odd: '\uFEFF[default]\r\nregion = us-west-1\r\n[profile a b c]\nregion = x\n[not-a-prefix name]\nk = v\n[profile]\nk = v\n=novalue\nnoequals\n[profile dup]\nk = 1\n[profile dup]\nk = 2\nj = 3\n',
  credentials: '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = abc/def+ghi=\n[other]\naws_session_token = tok==\n',
};

for (const [name, text] of Object.entries(corpus)) {
  test(`parse-ini matches the SDK's loader: ${name}`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-ini-'));
    const file = path.join(dir, 'f');
    writeFileSync(file, text);
    const sdk = await loadSharedConfigFiles({ configFilepath: file, filepath: file, ignoreCache: true });
    assert.deepEqual(JSON.parse(JSON.stringify(configFileView(parseIni(text)))), JSON.parse(JSON.stringify(sdk.configFile)));
    assert.deepEqual(JSON.parse(JSON.stringify(parseIni(text))), JSON.parse(JSON.stringify(sdk.credentialsFile)));
  });
}

test('parse-ini refuses __proto__ profiles like the SDK', () => {
  assert.throws(() => parseIni('[__proto__]\nx = 1\n'), /invalid profile name/);
});
