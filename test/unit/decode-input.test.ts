import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEncodedMessage } from '../../src/input/encoded-message.ts';
import { fullAction, parseDecodedMessage, summarizeDecodedMessage, verdict } from '../../src/output/decoded-message.ts';
import { UsageError } from '../../src/errors.ts';

const BLOB = 'K1zLx9-8Ymp_abcdefGHIJKLmnop0123456789+/=ABCDEFabcdef';

const cases: [string, string][] = [
  ['the bare blob', BLOB],
  ['the bare blob with surrounding whitespace', `\n  ${BLOB}  \n`],
  ['an AWS CLI error', `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ${BLOB}\n`],
  ['a Java SDK exception with text after', `You are not authorized to perform this operation. Encoded authorization failure message: ${BLOB} (Service: AmazonEC2; Status Code: 403; Error Code: UnauthorizedOperation)`],
  ['a blob wrapped by the terminal', `Encoded authorization failure message: ${BLOB.slice(0, 20)}\n${BLOB.slice(20, 40)}\n${BLOB.slice(40)}\n\nnext line of prose`],
  ['lower-case marker without colon', `encoded authorization failure message ${BLOB}`],
];
for (const [name, input] of cases) {
  test(`finds the encoded message in ${name}`, () => assert.equal(extractEncodedMessage(input), BLOB));
}

test('rejects text without a message, and oversize messages', () => {
  assert.throws(() => extractEncodedMessage('hello world, nothing here'), UsageError);
  assert.throws(() => extractEncodedMessage('Encoded authorization failure message:   '), /no encoded text after it/);
  assert.throws(() => extractEncodedMessage('A'.repeat(10241)), /at most 10240/);
});

const EXAMPLE = {
  allowed: false,
  explicitDeny: true,
  matchedStatements: { items: [{ statementId: 'VisualEditor0', effect: 'DENY', principals: { items: [{ value: 'AROA123456789EXAMPLE' }] }, principalGroups: { items: [] }, actions: { items: [{ value: 'ec2:RunInstances' }] }, resources: { items: [{ value: '*' }] }, conditions: { items: [] } }] },
  failures: { items: [] },
  context: {
    principal: { id: 'AROA123456789EXAMPLE:Ana', arn: 'arn:aws:sts::111122223333:assumed-role/Developer/Ana' },
    action: 'RunInstances',
    resource: 'arn:aws:ec2:us-east-1:111122223333:instance/*',
    conditions: { items: [{ key: 'aws:Service', values: { items: [{ value: 'ec2' }] } }, { key: 'aws:Region', values: { items: [{ value: 'us-east-1' }] } }] },
  },
};

test('summary of a decoded message: verdict, action, resource, principal, statements, context', () => {
  const parsed = parseDecodedMessage(JSON.stringify(EXAMPLE));
  assert.ok(parsed);
  assert.equal(verdict(parsed), 'DENIED by an explicit Deny statement');
  assert.equal(fullAction(parsed), 'ec2:RunInstances');
  const text = summarizeDecodedMessage(parsed);
  assert.match(text, /^Result {5}DENIED by an explicit Deny statement$/m);
  assert.match(text, /^Action {5}ec2:RunInstances$/m);
  assert.match(text, /^Resource {3}arn:aws:ec2:us-east-1:111122223333:instance\/\*$/m);
  assert.match(text, /^Principal {2}arn:aws:sts::111122223333:assumed-role\/Developer\/Ana \(AROA123456789EXAMPLE:Ana\)$/m);
  assert.match(text, /^ {2}DENY "VisualEditor0": actions ec2:RunInstances; resources \*$/m);
  assert.match(text, /^ {2}aws:Region {2}= us-east-1$/m);
});

test('implicit deny and allow verdicts, including the legacy string booleans', () => {
  assert.equal(verdict({ allowed: false, explicitDeny: false }), 'DENIED: no policy statement allows this request (implicit deny)');
  assert.equal(verdict({ allowed: 'false', explicitDeny: 'false' }), 'DENIED: no policy statement allows this request (implicit deny)');
  assert.equal(verdict({ allowed: true }), 'ALLOWED');
  assert.equal(parseDecodedMessage('not json'), undefined);
});
