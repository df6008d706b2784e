// The credential server of `stsx exec --server` in-process, with a fake clock and a counting
// refresh: when it refreshes, that parallel requests share one refresh, what a failed refresh does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerAnswer, isLoopbackHost, refreshThresholdSeconds, startCredentialServer, type ServedCredentials } from '../../src/exec/credential-server.ts';

function creds(n: number, expiration: Date): ServedCredentials {
  return { accessKeyId: `ASIA${n}`, secretAccessKey: `s${n}`, sessionToken: `t${n}`, expiration };
}

async function fetchKey(url: string, token: string): Promise<{ status: number; key: string | undefined }> {
  const res = await fetch(url, { headers: { Authorization: token } });
  const body = (await res.json()) as { AccessKeyId?: string };
  return { status: res.status, key: body.AccessKeyId };
}

test('refreshThresholdSeconds: the minimum TTL, but never later than half the lifetime', () => {
  assert.equal(refreshThresholdSeconds(3600, 300), 300);
  assert.equal(refreshThresholdSeconds(600, 900), 300);
  assert.equal(refreshThresholdSeconds(10, 0), 0);
  assert.equal(refreshThresholdSeconds(-5, 60), 0);
});

test('isLoopbackHost: only 127.0.0.1:<port> and localhost:<port>', () => {
  assert.ok(isLoopbackHost('127.0.0.1:4000', 4000));
  assert.ok(isLoopbackHost('localhost:4000', 4000));
  for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:4001', 'LOCALHOST:4000', 'evil.example:4000', '127.0.0.2:4000', '[::1]:4000', 'localhost.:4000']) assert.ok(!isLoopbackHost(host, 4000), String(host));
});

test('containerAnswer: the container-credentials JSON, AccountId only when known', () => {
  const exp = new Date('2030-01-02T03:04:05.678Z');
  assert.equal(containerAnswer(creds(1, exp)), '{"AccessKeyId":"ASIA1","SecretAccessKey":"s1","Token":"t1","Expiration":"2030-01-02T03:04:05Z"}');
  assert.equal(JSON.parse(containerAnswer({ ...creds(1, exp), account: '123456789012' })).AccountId, '123456789012');
});

/**
 * A server on a fake clock whose refreshes wait until released, then give an hour-long session
 * (ASIA1, ASIA2, ...); a 5-minute minimum TTL.
 */
async function heldServer(lifetimeMs: number, refreshWaitMs?: number) {
  const state = { now: new Date('2030-01-01T00:00:00Z'), refreshes: 0 };
  let released: () => void = () => undefined;
  const server = await startCredentialServer({
    initial: creds(0, new Date(state.now.getTime() + lifetimeMs)),
    minTtlSeconds: 300,
    now: () => state.now,
    ...(refreshWaitMs !== undefined ? { refreshWaitMs } : {}),
    refresh: async () => {
      state.refreshes += 1;
      await new Promise<void>((resolve) => (released = resolve));
      return creds(state.refreshes, new Date(state.now.getTime() + 3600_000));
    },
    onRefreshError: () => assert.fail('no refresh error expected'),
  });
  const later = (ms: number): void => {
    state.now = new Date(state.now.getTime() + ms);
  };
  return { server, state, later, release: () => released() };
}

test('serves the current credentials until less than the minimum TTL is left; then one refresh for many parallel requests', async () => {
  const { server, state, later, release } = await heldServer(3600_000);
  try {
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    later(3000_000); // 10 minutes left: still fine
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    assert.equal(state.refreshes, 0);
    later(301_000); // under 5 minutes left
    const pending = Array.from({ length: 10 }, () => fetchKey(server.url, server.token));
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const answers = await Promise.all(pending);
    assert.equal(state.refreshes, 1);
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.key}`)), new Set(['200 ASIA1']));
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA1' });
    assert.equal(state.refreshes, 1);
  } finally {
    await server.close();
  }
});

/** A server whose every refresh fails, on a fake clock: credentials valid for 10 minutes, a 5-minute minimum TTL. */
async function failingServer() {
  const state = { now: new Date('2030-01-01T00:00:00Z'), told: [] as boolean[], calls: 0 };
  const server = await startCredentialServer({
    initial: creds(0, new Date(state.now.getTime() + 600_000)),
    minTtlSeconds: 300,
    now: () => state.now,
    refresh: () => {
      state.calls += 1;
      return Promise.reject(new Error('STS is down'));
    },
    onRefreshError: (_error, stillValid) => state.told.push(stillValid),
  });
  const later = (ms: number): void => {
    state.now = new Date(state.now.getTime() + ms);
  };
  return { server, state, later };
}

test('a failed refresh after expiry: 500 to every request for 5 s without asking STS again (one warning, not one per request)', async () => {
  const { server, state, later } = await failingServer();
  try {
    later(700_000); // expired
    for (let i = 0; i < 5; i += 1) assert.deepEqual(await fetchKey(server.url, server.token), { status: 500, key: undefined });
    assert.equal(state.calls, 1, 'one try within 5 s, however many requests');
    assert.deepEqual(state.told, [false]);
    later(5_001);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 500, key: undefined });
    assert.equal(state.calls, 2);
    assert.deepEqual(state.told, [false, false]);
  } finally {
    await server.close();
  }
});

test('a failed refresh: the current credentials while they last (and the error is told), no retry for 5 s, then 500', async () => {
  const { server, state, later } = await failingServer();
  try {
    later(400_000);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    later(4_000);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    assert.equal(state.calls, 1, 'no second try within 5 s');
    later(1_500);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    assert.equal(state.calls, 2);
    later(300_000);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 500, key: undefined });
    assert.deepEqual(state.told, [true, true, false]);
  } finally {
    await server.close();
  }
});

test('a slow refresh (an MFA prompt, a slow STS): requests get the current, still valid credentials meanwhile, and no second refresh starts', async () => {
  const { server, state, later, release } = await heldServer(600_000, 50);
  try {
    later(400_000);
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA0' });
    assert.equal(state.refreshes, 1);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(await fetchKey(server.url, server.token), { status: 200, key: 'ASIA1' });
    assert.equal(state.refreshes, 1);
  } finally {
    await server.close();
  }
});
