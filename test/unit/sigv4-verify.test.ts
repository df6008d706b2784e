// Pure unit tests of the emulator's building blocks: SigV4 golden vectors (sts.md D),
// XML escaping (A.3) and account ids in access key ids (I).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  parseAuthorization, sha256Hex, skewMessage, verifySignature, type SigV4Request,
} from '../support/sigv4-verify.ts';
import { errorXml, successXml, xmlEscape, xmlText, xmlUnescape } from '../support/sts-xml.ts';
import { accountFromAccessKeyId, hasEmbeddedAccount, makeAccessKeyId } from '../support/access-key-id.ts';
import { NodeSha256 } from '../support/sts-testkit.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const DATE = '20150830T123600Z';
const HOST = 'sts.us-east-1.amazonaws.com';

function vector(headers: Record<string, string>, signature: string): { req: SigV4Request; auth: string } {
  const signed = Object.keys(headers).sort().join(';');
  return {
    req: { method: 'POST', path: '/', query: '', headers, body: Buffer.from(BODY) },
    auth: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=${signed}, Signature=${signature}`,
  };
}

const JS = vector({
  'content-length': '43',
  'content-type': 'application/x-www-form-urlencoded',
  host: HOST,
  'x-amz-content-sha256': 'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843',
  'x-amz-date': DATE,
}, '0e0ff4adbd1bc2b3fdaa64e540378526d0dab825b47e45354a322013a4429392');

const BOTO = vector({
  'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  host: HOST,
  'x-amz-date': DATE,
}, '52a8540fea00e731072179f763577cbe2a45eac2c5d32fb4d785f3eefac88165');

function check(v: { req: SigV4Request; auth: string }, mutate?: (s: string) => string): ReturnType<typeof verifySignature> {
  const auth = parseAuthorization(mutate ? mutate(v.auth) : v.auth);
  assert.ok(!('error' in auth));
  return verifySignature(v.req, auth, SECRET, DATE);
}

// flips the last hex digit of the signature
const oneOff = (s: string): string => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');

describe('sigv4-verify golden vectors (sts.md D)', () => {
  it('body hash matches the documented value', () => {
    assert.equal(sha256Hex(BODY), 'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843');
  });

  it('verifies the JS @smithy/signature-v4 vector and its canonical request', () => {
    const r = check(JS);
    assert.equal(r.ok, true);
    assert.equal(r.canonicalRequest, [
      'POST', '/', '', 'content-length:43', 'content-type:application/x-www-form-urlencoded', `host:${HOST}`,
      'x-amz-content-sha256:ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843', `x-amz-date:${DATE}`, '',
      'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
      'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843',
    ].join('\n'));
    assert.equal(sha256Hex(r.canonicalRequest), '815417cff470bd1fc2e1f22090a8359e9b71bbe48292ae3e3143a8cecebe227d');
  });

  it('verifies the botocore SigV4Auth vector', () => {
    const r = check(BOTO);
    assert.equal(r.ok, true);
    assert.equal(sha256Hex(r.canonicalRequest), '74f85d64795bc5f30af8b92378344f5c25c0d305498fca44ea38f6a5a1d5860f');
  });

  it('rejects a signature that is one character off, and a changed body', () => {
    assert.equal(check(JS, oneOff).ok, false);
    assert.equal(check(BOTO, oneOff).ok, false);
    const tampered = { ...BOTO, req: { ...BOTO.req, body: Buffer.from(BODY.replace('Identity', 'Identitz')) } };
    assert.equal(check(tampered).ok, false);
  });

  it('agrees with @smithy/signature-v4 on a path prefix, a query and a session token', async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: 'tok+/=' },
      region: 'eu-west-1', service: 'sts', sha256: NodeSha256,
    });
    const signed = await signer.sign({
      method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 8080, path: '/base/x/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15', Odd: 'a b*c' },
      headers: { host: '127.0.0.1:8080' },
    });
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const auth = parseAuthorization(headers.authorization ?? '');
    assert.ok(!('error' in auth));
    const req: SigV4Request = { method: 'GET', path: '/base/x/', query: 'Odd=a%20b%2Ac&Version=2011-06-15&Action=GetCallerIdentity', headers, body: Buffer.alloc(0) };
    assert.equal(verifySignature(req, auth, SECRET, headers['x-amz-date'] ?? '').ok, true);
  });

  it('words clock skew like real STS', () => {
    const now = new Date('2016-06-10T01:45:08Z');
    assert.equal(skewMessage('20160609T184512Z', new Date('2016-06-09T18:45:12Z'), now),
      'Signature expired: 20160609T184512Z is now earlier than 20160610T013008Z (20160610T014508Z - 15 min.)');
    assert.match(skewMessage('20160610T030000Z', new Date('2016-06-10T03:00:00Z'), now) ?? '', /^Signature not yet current: /);
    assert.equal(skewMessage(DATE, now, now), undefined);
  });

  it('reports malformed Authorization headers', () => {
    assert.ok('error' in parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sts/aws4_request'));
    assert.ok('error' in parseAuthorization('AWS AKID:sig'));
  });
});

describe('sts-xml', () => {
  it('escapes and unescapes all markup characters', () => {
    const text = `a&b<c>d"e'f`;
    assert.equal(xmlEscape(text), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
    assert.equal(xmlUnescape(xmlEscape(text)), text);
  });

  it('renders success and error documents in the A.3/A.4 layout', () => {
    const ok = successXml('GetAccessKeyInfo', { Account: '111122223333', Skipped: undefined }, 'rid');
    assert.match(ok, /^<GetAccessKeyInfoResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\n {2}<GetAccessKeyInfoResult>\n {4}<Account>111122223333<\/Account>/);
    assert.ok(!ok.includes('Skipped'));
    assert.equal(xmlText(ok, 'RequestId'), 'rid');
    const err = errorXml(503, 'ServiceUnavailable', 'x < y', 'rid2');
    assert.equal(xmlText(err, 'Type'), 'Receiver');
    assert.equal(xmlText(err, 'Message'), 'x < y');
    assert.match(err, /<\/Error>\n {2}<RequestId>rid2<\/RequestId>\n<\/ErrorResponse>/);
    assert.equal(xmlText(errorXml(403, 'AccessDenied', 'no', 'r'), 'Type'), 'Sender');
  });
});

describe('access key ids (sts.md I)', () => {
  it('decodes the published examples', () => {
    assert.equal(accountFromAccessKeyId('ASIAY34FZKBOKMUTVV7A'), '609629065308');
    assert.equal(accountFromAccessKeyId('ASIAQNZGKIQY56JQ7WML'), '029608264753');
    assert.equal(hasEmbeddedAccount('ASIAY34FZKBOKMUTVV7A'), true);
    assert.equal(hasEmbeddedAccount('AKIAIOSFODNN7EXAMPLE'), false);
  });

  it('generates the documented key and round-trips random ones', () => {
    assert.equal(makeAccessKeyId('ASIA', '123456789012', 0x5a5a5a5a5n), 'ASIARZPUZDIKAWS2LJNF');
    for (const account of ['000000000001', '029608264753', '999999999999']) {
      const key = makeAccessKeyId('AKIA', account);
      assert.match(key, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(accountFromAccessKeyId(key), account);
    }
  });
});
