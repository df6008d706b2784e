import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from 'ini';
import { checkProfileName, encodeSection, removeProfile, removeRegion, spliceProfile, spliceRegion } from '../../src/config/write-profile.ts';
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
  const expected = ORIGINAL.replace(/\[work\][^\n]*\n(?:[^\n]+\n)+/, encodeSection('work', creds, '\n').replace('[work]', '[work]  ; trailing'));
  assert.equal(out, expected);
  assert.ok(out.includes('; a comment before work\n[work]  ; trailing\naws_access_key_id = ASIAEXAMPLE123\n'));
  assert.ok(out.endsWith('x_stsx_expiration = 2030-01-02T03:04:05.000Z\n\n# belongs to [other]\n[other]\nregion = eu-west-1\n'));
  const parsed = decode(out.replace('  ; trailing', '')) as Record<string, Record<string, string>>;
  assert.equal(parsed.work?.aws_access_key_id, 'ASIAEXAMPLE123');
});

test('a new section is appended after one blank line; removing it restores the file exactly', () => {
  const out = spliceProfile(ORIGINAL, F, 'new', creds, false);
  assert.equal(out, `${ORIGINAL}\n${encodeSection('new', creds, '\n')}`);
  assert.equal(removeProfile(out, F, 'new', false), ORIGINAL);
  assert.equal(spliceProfile('', F, 'new', creds, false), encodeSection('new', creds, '\n'));
  // No final newline: the file still has none after the write, and none after the unset.
  const noEol = spliceProfile('[a]\nx=1', F, 'new', creds, false);
  assert.equal(noEol, `[a]\nx=1\n\n${encodeSection('new', creds, '\n').slice(0, -1)}`);
  assert.equal(removeProfile(noEol, F, 'new', false), '[a]\nx=1');
  assert.equal(removeProfile(spliceProfile(noEol, F, 'new', creds, false), F, 'new', false), '[a]\nx=1', 'a second write keeps it too');
  // A trailing blank line (or two), CRLF, a comment at the end: all come back as they were.
  for (const original of ['[a]\nx=1\n\n', '[a]\nx=1\n\n\n', '[a]\r\nx=1\r\n\r\n', '[a]\nx=1\n# the end\n', '\n', '[a]\r\nx=1']) {
    const written = spliceProfile(original, F, 'new', creds, false);
    assert.equal(removeProfile(written, F, 'new', false), original, JSON.stringify(original));
  }
});

test('a line stsx cannot classify (`name: value`, which the AWS CLI reads) stops write and unset unless --force', () => {
  const colon = '[prod]\naws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
  assert.throws(() => removeProfile(colon, F, 'prod', false), (e: unknown) => e instanceof ConfigError && e.message === `profile [prod] in ${F} holds line 2, which is not a \`name = value\` setting stsx can tell from its own; stsx does not remove it` && !e.message.includes('AKIA'));
  assert.throws(() => spliceProfile(colon, F, 'prod', creds, false), /holds line 2, .*; stsx does not overwrite it/);
  // Even in a section stsx wrote: the colon line would be read by the AWS CLI, not by the SDKs.
  const marked = `${encodeSection('prod', creds, '\n')}aws_access_key_id: AKIAIOSFODNN7EXAMPLE\n`;
  assert.throws(() => removeProfile(marked, F, 'prod', false), /holds line 6/);
  // An indented line under one of stsx's settings would be read as part of its value.
  assert.throws(() => removeProfile(`${encodeSection('prod', creds, '\n')}  more\n`, F, 'prod', false), /holds line 6/);
  assert.equal(removeProfile(colon, F, 'prod', true), '');
  // Upper-case names are the same names to the SDKs: long-term keys.
  assert.throws(() => removeProfile('[p]\nAWS_ACCESS_KEY_ID = AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY = x\n', F, 'p', false), /holds long-term keys/);
});

test('settings and comments a user added to a section stsx wrote survive the next write and the unset', () => {
  const first = spliceProfile('', F, 'dev', creds, false);
  const edited = first.replace('[dev]\n', '[dev]\n# my note\nregion = eu-west-1\n') + 'mfa_serial = arn:aws:iam::111122223333:mfa/me\n';
  const next = { ...creds, accessKeyId: 'ASIANEXT', expiration: new Date('2031-01-01T00:00:00Z') };
  const rewritten = spliceProfile(edited, F, 'dev', next, false);
  assert.equal(rewritten, `[dev]\n# my note\nregion = eu-west-1\n${encodeSection('dev', next, '\n').slice('[dev]\n'.length)}mfa_serial = arn:aws:iam::111122223333:mfa/me\n`);
  assert.equal(removeProfile(rewritten, F, 'dev', false), '[dev]\n# my note\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n');
  // With only stsx's lines (and blank lines) left, the section goes whole.
  assert.equal(removeProfile(`[a]\nx=1\n\n${first}\n[b]\ny=2\n`, F, 'dev', false), '[a]\nx=1\n\n[b]\ny=2\n');
  // A second [dev] of the same name loses stsx's lines too; its own settings stay.
  const twice = `${first}\n[dev]\naws_session_token = old\nx_stsx_expiration = 2020-01-01T00:00:00.000Z\nregion = x\n`;
  assert.equal(spliceProfile(twice, F, 'dev', next, false), `${encodeSection('dev', next, '\n')}\n[dev]\nregion = x\n`);
});

test('the region goes to [profile NAME] of the config file with a twin that marks it as stsx\'s; a region of the user\'s is left alone', () => {
  const original = '[default]\nregion = us-east-1\n';
  const written = spliceRegion(original, 'dev', 'eu-central-1');
  assert.equal(written, `${original}\n[profile dev]\nregion = eu-central-1\nx_stsx_region = eu-central-1\n`);
  assert.equal(spliceRegion(written, 'dev', 'eu-west-1'), `${original}\n[profile dev]\nregion = eu-west-1\nx_stsx_region = eu-west-1\n`);
  assert.equal(removeRegion(written, 'dev'), original);
  assert.equal(removeRegion(original, 'dev'), undefined);
  assert.equal(spliceRegion(original, 'default', 'eu-west-1'), original, 'the user\'s own region wins');
  const own = '[profile dev]\noutput = json\n';
  const added = spliceRegion(own, 'dev', 'eu-west-1');
  assert.equal(added, '[profile dev]\nregion = eu-west-1\nx_stsx_region = eu-west-1\noutput = json\n');
  assert.equal(removeRegion(added, 'dev'), own);
  // A region the user changed afterwards is theirs: unset takes only the twin.
  assert.equal(removeRegion(added.replace('region = eu-west-1', 'region = us-west-2'), 'dev'), '[profile dev]\nregion = us-west-2\noutput = json\n');
  assert.equal(spliceRegion(added.replace('region = eu-west-1', 'region = us-west-2'), 'dev', 'eu-west-1'), added.replace('region = eu-west-1', 'region = us-west-2'));
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
  // The JS SDK reads the files into a plain object, where these names are Object.prototype's.
  for (const inherited of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
    assert.throws(() => checkProfileName(inherited), (e: unknown) => e instanceof UsageError && e.message === `--write-profile ${inherited} is a name the AWS SDK for JavaScript cannot read back (every JavaScript object has a ${inherited})`);
  }
});
