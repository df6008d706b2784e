// `stsx decode` output: the verdict is not buried under the JSON. Text is the
// summary alone (verdict first); --full adds the decoded document with the summary printed last,
// where the eye lands; --output json is the document only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';

let sts: StsServer;
let env: Record<string, string>;
const ENCODED = 'Zm9vYmFyYmF6-_' + 'y'.repeat(200);
const DECODED = { allowed: false, explicitDeny: true, matchedStatements: { items: [{ statementId: 'NoEc2', effect: 'DENY', actions: { items: [{ value: 'ec2:*' }] }, resources: { items: [{ value: '*' }] } }] }, failures: { items: [] }, context: { action: 'ec2:RunInstances', resource: '*' } };

before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
  const user = sts.addUser({ userName: 'decode-out' });
  sts.setDecodedMessage(ENCODED, JSON.stringify(DECODED));
  env = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_REGION: 'eu-west-1' }).env;
});
after(async () => {
  await sts?.close();
});

test('decode: the summary alone, verdict on the first line, no JSON', async () => {
  const r = await runStsx(['decode', '--endpoint-url', sts.url, ENCODED], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Result {5}DENIED by an explicit Deny statement\n/);
  assert.doesNotMatch(r.stdout, /^[{}]/m);
  assert.match(r.stderr, /--full/);
});

test('decode --full: the decoded document, then the summary last', async () => {
  const r = await runStsx(['decode', '--full', '--endpoint-url', sts.url, ENCODED], { env });
  assert.equal(r.code, 0, r.stderr);
  const end = r.stdout.lastIndexOf('\n}\n');
  assert.ok(end > 0, r.stdout);
  assert.deepEqual(JSON.parse(r.stdout.slice(0, end + 3)), DECODED);
  assert.match(r.stdout.slice(end + 3), /^\nResult {5}DENIED by an explicit Deny statement\n[\s\S]*Matched statements:\n {2}DENY "NoEc2"/);
});

test('decode --output json: the document only', async () => {
  const r = await runStsx(['decode', '--output', 'json', '--endpoint-url', sts.url, ENCODED], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), DECODED);
});
