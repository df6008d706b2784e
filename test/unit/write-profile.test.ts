import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from 'ini';
import { checkProfileName, encodeSection, removeProfile, spliceProfile } from '../../src/config/write-profile.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const creds = { accessKeyId: 'ASIAEXAMPLE123', secretAccessKey: 'se/cr+et', sessionToken: 'FwoGZXIvYXdzEBYa+/tok==', expiration: new Date('2030-01-02T03:04:05Z') };
const F = '/home/u/.aws/credentials';

const ORIGINAL = `# my keys, keep this comment
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

; a comment before work
[work]  ; trailing
aws_access_key_id=ASIAOLD
aws_secret_access_key=old
aws_session_token=oldtoken
x_stsx_expiration=2020-01-01T00:00:00.000Z

# belongs to [other]
[other]
region = eu-west-1
`;

test('a section is encoded with ini; base64 padding stays verbatim, as the AWS CLI and SDKs read it', () => {
  const text = encodeSection('dev', creds, '\n');
  assert.equal(text, '[dev]\naws_access_key_id = ASIAEXAMPLE123\naws_secret_access_key = se/cr+et\naws_session_token = FwoGZXIvYXdzEBYa+/tok==\nx_stsx_expiration = 2030-01-02T03:04:05.000Z\n');
  assert.throws(() => encodeSection('dev', { ...creds, sessionToken: 'a\n[default]' }, '\n'), /cannot be written to a credentials file safely/);
  assert.throws(() => encodeSection('dev', { ...creds, secretAccessKey: 'x ; y' }, '\n'), /cannot be written/);
});

test('replacing [work] keeps every other line byte for byte', () => {
  const out = spliceProfile(ORIGINAL, F, 'work', creds, false);
  const expected = ORIGINAL.replace(/\[work\][^\n]*\n(?:[^\n]+\n)+/, encodeSection('work', creds, '\n'));
  assert.equal(out, expected);
  assert.ok(out.includes('; a comment before work\n[work]\naws_access_key_id = ASIAEXAMPLE123\n'));
  assert.ok(out.endsWith('x_stsx_expiration = 2030-01-02T03:04:05.000Z\n\n# belongs to [other]\n[other]\nregion = eu-west-1\n'));
  const parsed = decode(out) as Record<string, Record<string, string>>;
  assert.equal(parsed.work?.aws_access_key_id, 'ASIAEXAMPLE123');
});

test('a new section is appended after one blank line; removing it restores the file exactly', () => {
  const out = spliceProfile(ORIGINAL, F, 'new', creds, false);
  assert.equal(out, `${ORIGINAL}\n${encodeSection('new', creds, '\n')}`);
  assert.equal(removeProfile(out, F, 'new', false), ORIGINAL);
  assert.equal(spliceProfile('', F, 'new', creds, false), encodeSection('new', creds, '\n'));
  assert.equal(spliceProfile('[a]\nx=1', F, 'new', creds, false), `[a]\nx=1\n\n${encodeSection('new', creds, '\n')}`);
});

test('CRLF files get CRLF sections', () => {
  const crlf = ORIGINAL.replaceAll('\n', '\r\n');
  const out = spliceProfile(crlf, F, 'work', creds, false);
  assert.ok(!/[^\r]\n/.test(out), 'every newline is CRLF');
  assert.ok(out.startsWith('# my keys, keep this comment\r\n[default]\r\n'));
});

test('long-term keys, or settings stsx did not write, are refused unless --force', () => {
  assert.throws(() => spliceProfile(ORIGINAL, F, 'default', creds, false), (e: unknown) => e instanceof ConfigError && /profile \[default\] in \/home\/u\/\.aws\/credentials holds long-term keys; stsx does not overwrite it/.test(e.message) && /--force/.test(e.hint ?? ''));
  assert.throws(() => spliceProfile('[k]\naws_access_key_id = ASIAX\naws_secret_access_key = s\n', F, 'k', creds, false), /holds long-term keys/);
  assert.throws(() => spliceProfile(ORIGINAL, F, 'other', creds, false), /holds settings stsx did not write \(region\)/);
  assert.ok(spliceProfile(ORIGINAL, F, 'default', creds, true).includes('[default]\naws_access_key_id = ASIAEXAMPLE123\n'));
  // Temporary credentials another tool wrote may be replaced.
  assert.ok(spliceProfile('[t]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\n', F, 't', creds, false).startsWith('[t]\naws_access_key_id = ASIAEXAMPLE123'));
  assert.throws(() => removeProfile(ORIGINAL, F, 'default', false), /holds long-term keys; stsx does not remove it/);
  assert.throws(() => removeProfile(ORIGINAL, F, 'other', false), /was not written by stsx/);
  assert.equal(removeProfile(ORIGINAL, F, 'missing', false), undefined);
  assert.equal(removeProfile(ORIGINAL, F, 'work', false), ORIGINAL.replace(/\[work\][^\n]*\n(?:[^\n]+\n)+/, ''));
});

test('hostile profile names are refused: brackets, newlines, __proto__, empty, huge', () => {
  for (const bad of ['a]b', 'a\n[default]', '__proto__', '', ' x', 'x'.repeat(129), 'a b', 'a=b', '[x]', 'a;b', 'a#b', '\u001b[31m']) {
    assert.throws(() => checkProfileName(bad), (e: unknown) => e instanceof UsageError && !e.message.includes('\n') && !e.message.includes('\u001b'), JSON.stringify(bad));
  }
  for (const good of ['dev', 'prod-admin', 'team/app', 'a.b@c', 'default', '123']) assert.equal(checkProfileName(good), good);
});
