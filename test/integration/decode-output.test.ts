// `stsx decode` output: the verdict is not buried under the JSON. Text is the
// summary alone (verdict first); --full adds the decoded document with the summary printed last,
// where the eye lands; --output json is the document only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';
import { hasControlCharacters } from '../../src/text/terminal-text.ts';

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


test('decode --output json: a decoded message that is not JSON is written as one JSON string, its controls escaped', async () => {
  const hostile = 'Zm9vYmFyYmF6-_' + 'h'.repeat(200);
  const raw = 'not json \u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m \u202e evil \u2066 \u0085 end';
  sts.setDecodedMessage(hostile, raw);
  const r = await runStsx(['decode', '--output', 'json', '--endpoint-url', sts.url, hostile], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), raw, 'stdout is JSON: the message as one string');
  assert.ok(!hasControlCharacters(r.stdout.replace(/\n$/, '')), 'no character on stdout a terminal would obey or reorder by');
  assert.match(r.stderr, /not JSON; writing it as one JSON string/);
});

test('decode --output json and whoami --output json escape C1 and bidi controls inside JSON strings', async () => {
  const hostile = 'Zm9vYmFyYmF6-_' + 'b'.repeat(200);
  const doc = { allowed: false, context: { action: 's3:GetObject', resource: 'arn:aws:s3:::b\u202eexe.txt\u2066\u0085\u009b2J\u2028\u061c' } };
  sts.setDecodedMessage(hostile, JSON.stringify(doc));
  const r = await runStsx(['decode', '--output', 'json', '--endpoint-url', sts.url, hostile], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), doc);
  assert.doesNotMatch(r.stdout, /[\u0080-\u009f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  assert.match(r.stdout, /\\u202e/);

  sts.answer('GetCallerIdentity', (xml) => xml.replace(/<Arn>([^<]*)<\/Arn>/, (_m, arn: string) => `<Arn>${arn}\u202e\u2066\u0085</Arn>`));
  try {
    const w = await runStsx(['whoami', '--output', 'json', '--endpoint-url', sts.url], { env });
    assert.equal(w.code, 0, w.stderr);
    assert.match((JSON.parse(w.stdout) as { Arn: string }).Arn, /\u202e\u2066\u0085$/);
    assert.doesNotMatch(w.stdout, /[\u0080-\u009f\u202e\u2066]/);
  } finally {
    sts.answer('GetCallerIdentity', (xml) => xml);
  }
});

test('decode against an endpoint that does not implement the call: HTTP 500 with what the server said, escaped, redacted, bounded', async () => {
  const secret = env.AWS_SECRET_ACCESS_KEY ?? '';
  const page = `<!doctype html><html><head><title>500 Internal Server Error</title><style>p{}</style></head><body><h1>NotImplementedError</h1><p>The decode_authorization_message action has not been implemented \u001b[2J (key ${secret})</p>${'<p>filler</p>'.repeat(500)}</body></html>`;
  sts.fault({ status: 500, body: page, headers: { 'Content-Type': 'text/html' }, action: 'DecodeAuthorizationMessage' });
  try {
    const r = await runStsx(['decode', '--endpoint-url', sts.url, ENCODED], { env });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    const line = r.stderr.split('\n')[0] ?? '';
    assert.match(line, /^stsx: STS \(DecodeAuthorizationMessage at 127\.0\.0\.1:\d+\) answered HTTP 500 after \d attempts; it said: 500 Internal Server Error NotImplementedError The decode_authorization_message action has not been implemented \\e\[2J \(key \*\*\*\*\) filler filler/);
    assert.ok(line.length < 400, `bounded: ${line.length} characters`);
    assert.ok(!r.stderr.includes(secret));
    assert.ok(!r.stderr.includes('\u001b'));
  } finally {
    sts.clearFaults();
  }
});
