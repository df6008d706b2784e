// sts/dns-lookup.ts: the hosts file first, then nameservers that can be abandoned: a nameserver
// that never answers is an ETIMEOUT after the time given, and nothing is left pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { hostsEntries, resolveHost } from '../../src/sts/dns-lookup.ts';

const HOSTS = `# comment
127.0.0.1 localhost
10.0.0.5   sts.ap-northeast-1.amazonaws.com  sts  # a VPC endpoint
fd00::5 sts.ap-northeast-1.amazonaws.com
bogus sts.eu-west-1.amazonaws.com
`;

test('hosts file: every address of the name, case-insensitive, comments and bogus lines ignored', () => {
  assert.deepEqual(hostsEntries(HOSTS, 'STS.ap-northeast-1.amazonaws.com.'), [{ address: '10.0.0.5', family: 4 }, { address: 'fd00::5', family: 6 }]);
  assert.deepEqual(hostsEntries(HOSTS, 'sts.eu-west-1.amazonaws.com'), []);
  assert.deepEqual(hostsEntries(HOSTS, 'comment'), []);
});

test('the hosts file answers before any nameserver, per family', async () => {
  assert.deepEqual(await resolveHost('sts.ap-northeast-1.amazonaws.com', 6, 1000, { hostsText: HOSTS, servers: ['127.0.0.1:9'] }), [{ address: 'fd00::5', family: 6 }]);
});

test('a nameserver that never answers: ETIMEOUT after the time given, and the process is free to end', async () => {
  const silent = dgram.createSocket('udp4');
  let queries = 0;
  silent.on('message', () => (queries += 1));
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  const port = silent.address().port;
  const started = Date.now();
  try {
    await assert.rejects(resolveHost('sts.eu-west-1.amazonaws.com', 0, 800, { hostsText: '', servers: [`127.0.0.1:${port}`] }), (e: NodeJS.ErrnoException) => e.code === 'ETIMEOUT');
    const ms = Date.now() - started;
    assert.ok(ms >= 700 && ms < 1800, `took ${ms} ms`);
    assert.ok(queries > 0);
  } finally {
    silent.close();
  }
});

test('a nameserver that is not there (refused): a DNS failure at once, never a getaddrinfo that could hang', async () => {
  const started = Date.now();
  await assert.rejects(resolveHost('sts.eu-west-1.amazonaws.com', 0, 2000, { hostsText: '', servers: ['127.0.0.1:9'] }), (e: NodeJS.ErrnoException) => e.code === 'EAI_AGAIN' && /ECONNREFUSED/.test(e.message));
  assert.ok(Date.now() - started < 1500);
});
