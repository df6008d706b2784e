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

// Random files from the shapes that matter (blanks of every kind, comments, CRs, nested keys,
// quoted and odd headers, `=` in odd places): the one-pass scanner must agree with the SDK on all.
test('parse-ini matches the SDK\'s loader on 200 random files', async () => {
  const pieces = ['[default]', '[profile a]', '[profile b] # c', '  [profile c]', '[services s]', '[sso-session x]', '[profile "q"]', '[weird name]', '[profile a b]', '[b]',
    'region = eu-west-1', 'k=v', 'k = v ; c', 'k = a#b', 'k = x\t#c', '  nested = 1', '\tnested=2', 'sts =', 's3 =', '  endpoint_url = http://x', '\u00a0k = v', 'k = v\r',
    'k\u00a0= v', 'k =\u00a0v', 'k\v=\fv', 'k \u3000= \u2028v', 'k\t=\tv', 'k \u00a0 = \u00a0 v',
    '# comment', '; comment', '', '   ', '=x', 'noequals', 'key =   ', 'a = b = c', '\uFEFFk = v', 'role_arn = arn:aws:iam::123456789012:role/R'];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-ini-fuzz-'));
  for (let i = 0; i < 200; i += 1) {
    const lines: string[] = [];
    for (let n = 1 + next(14); n > 0; n -= 1) lines.push(pieces[next(pieces.length)] ?? '');
    const text = lines.join(next(4) === 0 ? '\r\n' : '\n');
    const file = path.join(dir, `f${i}`);
    writeFileSync(file, text);
    const sdk = await loadSharedConfigFiles({ configFilepath: file, filepath: file, ignoreCache: true });
    assert.deepEqual(JSON.parse(JSON.stringify(configFileView(parseIni(text)))), JSON.parse(JSON.stringify(sdk.configFile)), JSON.stringify(text));
    assert.deepEqual(JSON.parse(JSON.stringify(parseIni(text))), JSON.parse(JSON.stringify(sdk.credentialsFile)), JSON.stringify(text));
  }
});
