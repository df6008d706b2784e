// The real probes of `stsx endpoint --check` against servers on 127.0.0.1 only: TCP, TLS with a
// test CA (verified and not), a CONNECT proxy (tunnel, 407), and the unsigned POST direct and
// through the proxy as Node's agents do it. Nothing leaves loopback.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { nodeProbes } from '../../src/endpoint-check/probes.ts';
import { createTestCa, issueServerCert } from '../support/test-ca.ts';

const NAME = 'sts.test.example';
const STS_403 = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message></Error><RequestId>r-1</RequestId></ErrorResponse>';

const ca = createTestCa();
const cert = issueServerCert(ca, [NAME]);
const bodies: string[] = [];
const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  let body = '';
  req.setEncoding('utf8').on('data', (d: string) => (body += d));
  req.on('end', () => {
    bodies.push(`${req.method ?? ''} ${body}`);
    res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-RequestId': 'r-1' }).end(STS_403);
  });
};
const tlsServer = https.createServer({ key: cert.key, cert: cert.cert }, answer);
const plainServer = http.createServer(answer);

// A CONNECT proxy that sends every tunnel to the TLS server (it "resolves" names itself), and
// wants Proxy-Authorization when `requireAuth` is set.
const connects: string[] = [];
let requireAuth = false;
const proxy = http.createServer((_req, res) => res.writeHead(405).end());
proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
  connects.push(`${req.url ?? ''} ${req.headers['proxy-authorization'] ?? '-'}`);
  if (requireAuth && req.headers['proxy-authorization'] !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) {
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
    return;
  }
  const upstream = net.connect((tlsServer.address() as AddressInfo).port, '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});

const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const [tlsPort, plainPort, proxyPort] = await Promise.all([listen(tlsServer), listen(plainServer), listen(proxy)]);
after(() => {
  for (const server of [tlsServer, plainServer, proxy]) {
    server.close();
    (server as http.Server).closeAllConnections();
  }
});

test('lookup: localhost resolves to loopback', async () => {
  const found = await nodeProbes.lookup('localhost', 3000);
  assert.ok(found.some((a) => a.address === '127.0.0.1' || a.address === '::1'), JSON.stringify(found));
});

test('connect: an open port connects; a closed one is ECONNREFUSED', async () => {
  await nodeProbes.connect('127.0.0.1', tlsPort, 3000);
  const closed = net.createServer();
  const port = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(nodeProbes.connect('127.0.0.1', port, 3000), { code: 'ECONNREFUSED' });
});

test('TLS: an unknown CA is reported, not thrown; the certificate is summarised', async () => {
  const answer = await nodeProbes.tlsConnect({ address: '127.0.0.1', port: tlsPort, servername: NAME, timeoutMs: 3000 });
  assert.equal(answer.authorized, false);
  assert.equal(answer.authorizationError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.equal(answer.certificate?.subject, `CN=${NAME}`);
  assert.equal(answer.certificate?.issuer, 'CN=stsx test CA');
  assert.equal(answer.certificate?.altNames, `DNS:${NAME}`);
});

test('TLS: TLS to a plain HTTP port fails with an SSL error code', async () => {
  await assert.rejects(nodeProbes.tlsConnect({ address: '127.0.0.1', port: plainPort, servername: NAME, timeoutMs: 3000 }), (e: { code?: string }) => /SSL|EPROTO/.test(e.code ?? ''));
});

test('POST over plain HTTP: status, content type, request id and body', async () => {
  const r = await nodeProbes.httpPost(`http://127.0.0.1:${plainPort}/`, 'Action=GetCallerIdentity&Version=2011-06-15', 3000, undefined);
  assert.equal(r.status, 403);
  assert.equal(r.contentType, 'text/xml');
  assert.equal(r.requestId, 'r-1');
  assert.match(r.body, /<Code>MissingAuthenticationToken<\/Code>/);
  assert.equal(bodies.at(-1), 'POST Action=GetCallerIdentity&Version=2011-06-15');
});

// From here on Node trusts the test CA, as NODE_EXTRA_CA_CERTS makes it trust a private CA.
test('with the CA trusted: verified handshake, wrong name caught, tunnel and proxied POST work', async (t) => {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(ca.certFile, 'utf8')]);

  await t.test('verified handshake', async () => {
    const answer = await nodeProbes.tlsConnect({ address: '127.0.0.1', port: tlsPort, servername: NAME, timeoutMs: 3000 });
    assert.equal(answer.authorized, true, answer.authorizationError);
    assert.match(answer.protocol ?? '', /^TLSv1\.[23]$/);
  });

  await t.test('wrong host name', async () => {
    const answer = await nodeProbes.tlsConnect({ address: '127.0.0.1', port: tlsPort, servername: 'sts.other.example', timeoutMs: 3000 });
    assert.equal(answer.authorized, false);
    assert.equal(answer.authorizationError, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  await t.test('through a CONNECT tunnel, with proxy credentials from the URL', async () => {
    requireAuth = true;
    const target = { address: '127.0.0.1', port: proxyPort, servername: NAME, timeoutMs: 3000 };
    const answer = await nodeProbes.tlsConnect({ ...target, tunnel: { proxyUrl: `http://bob:pw@127.0.0.1:${proxyPort}`, target: `${NAME}:443` } });
    assert.equal(answer.authorized, true, answer.authorizationError);
    assert.equal(connects.at(-1), `${NAME}:443 Basic ${Buffer.from('bob:pw').toString('base64')}`);
    await assert.rejects(nodeProbes.tlsConnect({ ...target, tunnel: { proxyUrl: `http://127.0.0.1:${proxyPort}`, target: `${NAME}:443` } }), { code: 'PROXY_407' });
    requireAuth = false;
  });

  await t.test('POST through the proxy, as stsx client agents do (proxyEnv)', async () => {
    const before = connects.length;
    const r = await nodeProbes.httpPost(`https://${NAME}/`, 'Action=GetCallerIdentity&Version=2011-06-15', 3000, { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` });
    assert.equal(r.status, 403);
    assert.match(r.body, /MissingAuthenticationToken/);
    assert.equal(connects.length, before + 1);
    assert.match(connects.at(-1) ?? '', new RegExp(`^${NAME.replace(/\./g, '\\.')}:443 `));
  });
});
