import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalLines, terminalText } from '../../src/text/terminal-text.ts';
import { formatError, AuthError } from '../../src/errors.ts';
import { createDiagnostics } from '../../src/diagnostics.ts';
import { identityField, identityText } from '../../src/output/identity.ts';
import { summarizeDecodedMessage } from '../../src/output/decoded-message.ts';

const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(9)}${String.fromCharCode(11)}-${String.fromCharCode(0x1f)}\u007f-\u009f\u202e]`);

test('terminalText escapes every control character, newlines included', () => {
  const cases: [string, string][] = [
    ['plain arn:aws:iam::123456789012:user/alice', 'plain arn:aws:iam::123456789012:user/alice'],
    ['a\u001b]52;c;ZXZpbA==\u0007b', 'a\\e]52;c;ZXZpbA==\\x07b'],
    ['\u001b[2K\rforged', '\\e[2K\\rforged'],
    ['x\nstsx: warning: forged', 'x\\nstsx: warning: forged'],
    ['tab\there', 'tab\\there'],
    ['nul\u0000del\u007fcsi\u009b', 'nul\\x00del\\x7fcsi\\x9b'],
    ['bidi\u202eevil\u2028', 'bidi\\u202eevil\\u2028'],
    ['日本語 ok', '日本語 ok'],
  ];
  for (const [input, expected] of cases) assert.equal(terminalText(input), expected, JSON.stringify(input));
});

test('terminalLines keeps line feeds and escapes the rest', () => {
  assert.equal(terminalLines('a\nb\u001b[2Kc\r'), 'a\nb\\e[2Kc\\r');
});

test('formatError escapes server text in the message and the hint', () => {
  const text = formatError(new AuthError('access denied: \u001b]52;c;AAAA\u0007 \u001b[2K\r', { hint: 'x\u001b[1m' }));
  assert.doesNotMatch(text, CONTROL);
  assert.match(text, /\\e\]52;c;AAAA\\x07/);
});

test('diagnostics escape what they are given: no forged lines, no escape sequences', async () => {
  let out = '';
  const diag = await createDiagnostics({ write: (t: string) => (out += t) }, {}, true);
  diag.note('n\u001b[2K\rx');
  diag.warn('w\nstsx: warning: forged');
  diag.debug('d\u001b]52;c;AAAA\u0007');
  diag.info('i\u0007\u009b');
  assert.equal(out.split('\n').length, 5, out);
  assert.doesNotMatch(out, CONTROL);
});

test('diagnostics keep their own colour but escape colour forged in the text', async () => {
  let out = '';
  const diag = await createDiagnostics({ write: (t: string) => (out += t), isTTY: true }, { FORCE_COLOR: '1' }, false);
  diag.info(`${diag.colour('stsx:', 'dim')} role \u001b]52;c;AAAA\u0007 \u001b[2K`);
  assert.equal(out, '\u001b[2mstsx:\u001b[22m role \\e]52;c;AAAA\\x07 \\e[2K\n');
});

test('identity text and --query fields escape control characters', () => {
  const identity = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/a\u001b]52;c;QQ==\u0007\u001b[2K\r', userId: 'AIDA\nstsx: warning: x' };
  const text = identityText(identity);
  assert.equal(text.split('\n').length, 5);
  assert.doesNotMatch(text, CONTROL);
  assert.doesNotMatch(identityField(identity, 'Arn'), CONTROL);
  assert.equal(identityField(identity, 'UserId'), 'AIDA\\nstsx: warning: x\n');
});

test('the decoded-message summary escapes control characters', () => {
  const summary = summarizeDecodedMessage({
    allowed: false,
    context: { action: 'iam:Get\u001b[2K', resource: 'r\nstsx: warning: forged', principal: { arn: 'p\u0007' }, conditions: { items: [{ key: 'k\r', values: { items: [{ value: 'v\u001b' }] } }] } },
    matchedStatements: { items: [{ effect: 'Deny\u001b', statementId: 's\n', actions: { items: [{ value: 'a\u0007' }] } }] },
  });
  assert.doesNotMatch(summary, CONTROL);
  assert.doesNotMatch(summary, /\nstsx: warning/);
});
