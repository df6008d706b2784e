import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePrincipal, identityJson, identityText, principalSummary } from '../../src/output/identity.ts';

const principals: [string, string][] = [
  ['arn:aws:iam::123456789012:user/Alice', 'IAM user Alice'],
  ['arn:aws:iam::123456789012:user/division/team/Bob', 'IAM user Bob (path /division/team/)'],
  ['arn:aws:sts::111122223333:assumed-role/Developer/Ana', 'assumed role Developer, session Ana'],
  ['arn:aws-cn:sts::111122223333:assumed-role/Test-Switch-Role/i-0123456789abcdef0', 'assumed role Test-Switch-Role, session i-0123456789abcdef0'],
  ['arn:aws:sts::123456789012:federated-user/Carol', 'federated user Carol'],
  ['arn:aws:iam::123456789012:root', 'account root user (avoid using root credentials)'],
  ['something odd', 'something odd'],
];
for (const [arn, expected] of principals) {
  test(`principal kind of ${arn}`, () => assert.equal(principalSummary(describePrincipal(arn)), expected));
}

test('JSON is the AWS CLI shape and order; text has one row per field', () => {
  const id = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/Alice', userId: 'AIDAEXAMPLE' };
  assert.equal(identityJson(id), '{\n    "UserId": "AIDAEXAMPLE",\n    "Account": "123456789012",\n    "Arn": "arn:aws:iam::123456789012:user/Alice"\n}\n');
  assert.equal(identityText(id).split('\n').filter(Boolean).length, 4);
});
