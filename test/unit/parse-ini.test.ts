// The ported parser must read every file exactly as the SDK's own loader does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { configFileView, lazySections, lintIni, parseIni, type IniProblem } from '../../src/config/parse-ini.ts';
import type { IniSections } from '../../src/config/config-files.ts';

/** Every section the lazy view answers, as one plain object (names() and get() together). */
function asObject(sections: IniSections): Record<string, unknown> {
  return Object.fromEntries(sections.names().map((name) => [name, sections.get(name)]));
}

/** The lazy views of a file must equal the SDK's, section by section, asked one by one and listed. */
function assertLazyMatches(text: string, sdk: { configFile: unknown; credentialsFile: unknown }, message?: string): void {
  const sdkJson = JSON.parse(JSON.stringify(sdk)) as { configFile: Record<string, unknown>; credentialsFile: Record<string, unknown> };
  // Asked for by name first (as a command does), before names() parses the rest.
  const config = lazySections(text, true);
  const credentials = lazySections(text, false);
  const json = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  for (const name of Object.keys(sdkJson.configFile)) assert.deepEqual(json(config.get(name)), sdkJson.configFile[name], message);
  // Names the file may or may not have: the same answer, undefined included, before any listing.
  for (const name of ['default', 'a', 'b', 'c', 'q', '"q"', 'weird name', 'a b', 'services.s', 'sso-session.x', 'profile.a', 'profile.default', 's', 'x', 'nope', '']) {
    assert.deepEqual(json(config.get(name)), sdkJson.configFile[name], `${message ?? ''} config ${name}`);
    assert.deepEqual(json(credentials.get(name)), sdkJson.credentialsFile[name], `${message ?? ''} credentials ${name}`);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(asObject(config))), sdkJson.configFile, message);
  assert.deepEqual(JSON.parse(JSON.stringify(asObject(lazySections(text, false)))), sdkJson.credentialsFile, message);
}

const corpus: Record<string, string> = {
  basic: '[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\n',
  comments: '# top\n[default] # trailing\nregion = eu-west-1 ; inline\nkey=value#not-a-comment\n; whole line\n[profile x]\n  region=us-east-2  \n',
  nested: '[default]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n  other = x\ns3 =\n  endpoint_url = http://127.0.0.1:9000\nafter = top-level\n',
  quoted: '[profile "with space"]\nregion = ap-south-1\n[profile \'single\']\nregion = ap-south-2\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n',
  odd: '\uFEFF[default]\r\nregion = us-west-1\r\n[profile a b c]\nregion = x\n[not-a-prefix name]\nk = v\n[profile]\nk = v\n=novalue\nnoequals\n[profile dup]\nk = 1\n[profile dup]\nk = 2\nj = 3\n',
  // One name in the config file's view, two sections: `profile default` wins; otherwise the later one.
  collide: '[sso-session x]\na = 1\n[profile sso-session.x]\nb = 2\n[sso-session x]\nc = 3\n[default]\ne = 5\n[profile default]\nd = 4\n[default]\nf = 6\n[profile services.s]\ng = 7\n[services s]\nh = 8\n',
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
    assertLazyMatches(text, sdk);
  });
}

test('parse-ini refuses __proto__ profiles like the SDK', () => {
  assert.throws(() => parseIni('[__proto__]\nx = 1\n'), /invalid profile name/);
  assert.throws(() => lazySections('[a]\nk = v\n[profile __proto__]\nx = 1\n', true), /invalid profile name/);
});

// Random files from the shapes that matter (blanks of every kind, comments, CRs, nested keys,
// quoted and odd headers, `=` in odd places): the one-pass scanner must agree with the SDK on all.
test('parse-ini matches the SDK\'s loader on 600 random files', async () => {
  const pieces = ['[default]', '[profile a]', '[profile b] # c', '  [profile c]', '[services s]', '[sso-session x]', '[profile "q"]', '[weird name]', '[profile a b]', '[b]',
    '[profile default]', '[a #b]', '[b]\u00a0', '[profile a] \u3000', '[b]\u2028', '[a;b]', '[profile services s]', '\r[profile a]', '[profile a]#x', '\u2028[b]', '[profile sso-session x]',
    'region = eu-west-1', 'k=v', 'k = v ; c', 'k = a#b', 'k = x\t#c', '  nested = 1', '\tnested=2', 'sts =', 's3 =', '  endpoint_url = http://x', '\u00a0k = v', 'k = v\r',
    'k\u00a0= v', 'k =\u00a0v', 'k\v=\fv', 'k \u3000= \u2028v', 'k\t=\tv', 'k \u00a0 = \u00a0 v',
    // Plain printable ASCII, which parseLines reads without the SDK's long way.
    '[profile p]   ', '[ profile p ]', '[]', '[', '[a = b', '[x]y', 'k  =  v  ', 'k==v', 'a b = c d', 'k =', 'k= ', ' [profile p]', 'x = [y]', 'k = v\r\nj = w',
    // Two keys, one name in the config file's view: configFileView's rule, applied during the parse.
    '[profile sso-session.x]', '[profile services.s]', '[profile default]', '[default]',
    '# comment', '; comment', '', '   ', '=x', 'noequals', 'key =   ', 'a = b = c', '\uFEFFk = v', 'role_arn = arn:aws:iam::123456789012:role/R'];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stsx-ini-fuzz-'));
  for (let i = 0; i < 600; i += 1) {
    const lines: string[] = [];
    for (let n = 1 + next(14); n > 0; n -= 1) lines.push(pieces[next(pieces.length)] ?? '');
    const text = lines.join(next(4) === 0 ? '\r\n' : '\n');
    const file = path.join(dir, `f${i}`);
    writeFileSync(file, text);
    const sdk = await loadSharedConfigFiles({ configFilepath: file, filepath: file, ignoreCache: true });
    assert.deepEqual(JSON.parse(JSON.stringify(configFileView(parseIni(text)))), JSON.parse(JSON.stringify(sdk.configFile)), JSON.stringify(text));
    assert.deepEqual(JSON.parse(JSON.stringify(parseIni(text))), JSON.parse(JSON.stringify(sdk.credentialsFile)), JSON.stringify(text));
    assertLazyMatches(text, sdk, JSON.stringify(text));
  }
});

/** The AWS CLI's checks line by line, as stsx ran them before lintIni skipped to the lines that matter: the reference. */
function lintByLine(text: string): [IniProblem, number] | undefined {
  let inSection = false;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const whole = line.trim();
    if (whole === '' || whole.startsWith('#') || whole.startsWith(';')) continue;
    if (whole.startsWith('[')) {
      if (!/^\[[^[\]]+\]\s*([#;].*)?$/.test(whole)) return ['header', index + 1];
      inSection = true;
    } else if (!(inSection && /^\s/.test(index === 0 ? line.replace(/^\uFEFF/, '') : line))) {
      if (!inSection) return ['before-section', index + 1];
      if (whole.indexOf('=') <= 0) return ['no-equals', index + 1];
    }
  }
  return undefined;
}

// lintIni reads only the lines up to the first header one by one, then jumps between the lines
// that could be bad: on 3,000 random files it must report the same first bad line as the reference.
test('lintIni reports the first bad line as a line-by-line check does', () => {
  const good = ['[default]', '[profile a]', '  [profile c] ; c', '[b]#x', '\u00a0[b]', 'k = v', 'k=v', '  nested = 1', '\tx', '\u00a0noequals', '\u2028', '\r', 'a\r=b',
    '# c', '; c', '', '   ', '\uFEFFk = v', '\uFEFF', '\uFEFF[default]', 'k = v\r', '\u3000x'];
  const bad = ['=x', 'noequals', 'x\r', '[bad', '[a]b', '[]', '  [x', '[a[b]]', 'no\u2028equals', '\r\r', 'k\u2028=v'];
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n; // the high bits: the low ones of this generator repeat quickly
  };
  let failures = 0;
  for (let i = 0; i < 3000; i += 1) {
    // Most files start a section early, so that the lines after it (where lintIni jumps) are many.
    const lines: string[] = next(4) === 0 ? [] : ['# top', '[profile first]'].slice(next(2));
    for (let n = 1 + next(20); n > 0; n -= 1) lines.push(next(12) === 0 ? (bad[next(bad.length)] ?? '') : (good[next(good.length)] ?? ''));
    const text = lines.join(next(4) === 0 ? '\r\n' : '\n') + (next(2) === 0 ? '\n' : '');
    let got: [IniProblem, number] | undefined;
    try {
      lintIni(text, (problem, line) => {
        got = [problem, line];
        throw new Error('bad line');
      });
    } catch {
      // got says which
    }
    const expected = lintByLine(text);
    if (expected) failures += 1;
    assert.deepEqual(got, expected, JSON.stringify(text));
  }
  // The random files exercise both outcomes.
  assert.ok(failures > 500 && failures < 2500, `${failures} of 3000 files failed the lint`);
});

// Past 64 names asked one by one, the lazy view parses everything at once: the answers must not change.
test('lazy sections give the same answers asked one by one, past the switch to one pass, and after names()', () => {
  const lines = ['[default]', 'region = a', '[profile default]', 'region = b', '[services s]', 'sts =', '  endpoint_url = http://x'];
  for (let i = 0; i < 100; i += 1) lines.push(`[profile p${i}]`, `role_arn = r${i}`, i % 7 === 0 ? `[profile "p${i}"]\nregion = q${i}` : '');
  const text = lines.join('\n');
  const view = configFileView(parseIni(text));
  const lazy = lazySections(text, true);
  for (const name of ['default', 'services.s', 'nope', 'profile.p1', ...Array.from({ length: 100 }, (_, i) => `p${i}`)]) assert.deepEqual(lazy.get(name), view[name], name);
  assert.deepEqual(asObject(lazy), { ...view });
  assert.equal(lazy.get('p1'), lazy.get('p1'));
  const credentials = lazySections(text, false);
  assert.equal(credentials.get('p1'), undefined);
  assert.deepEqual({ ...credentials.get('profile.p7') }, { role_arn: 'r7', region: 'q7' });
});

// Hostile input: a lookup checks each line once, however many places on it look like a name's end.
test('lazy sections look up names in bounded time on a line of 300,000 `]`', () => {
  const text = `[profile a]\nk = ${']'.repeat(300_000)}\n[profile b]\nk = v\n`;
  const started = performance.now();
  const sections = lazySections(text, true);
  for (const name of ['', 'profile.', 'b', 'a']) sections.get(name);
  assert.deepEqual({ ...sections.get('b') }, { k: 'v' });
  assert.ok(performance.now() - started < 5000, `took ${(performance.now() - started).toFixed(0)} ms`);
});
