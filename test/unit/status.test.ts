// `stsx status` as tables: the expiration variable, the state from environment and cache, the
// prompt segment, and the profile member cache entries gained for `stsx profiles`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpirationVariable, readStatus, STATUS_EXIT } from '../../src/status/read-status.ts';
import { shortDuration, statusJson, statusPrompt, statusText } from '../../src/status/render-status.ts';
import { MAX_PROFILE_NAME, parseEntry, serializeEntry } from '../../src/cache/cache-entry.ts';
import { entry, KEY_A, NOW, SECRET, TOKEN } from '../fixtures/cache/entries.ts';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const listed = (minutes: number, overrides = {}) => [{ ...entry(minutes, overrides), key: KEY_A }];

test('AWS_CREDENTIAL_EXPIRATION: ISO 8601 with a zone is a time; anything else is not', () => {
  const cases: Array<[string, string | undefined]> = [
    ['2026-11-22T10:42:00Z', '2026-11-22T10:42:00.000Z'],
    ['2026-11-22T10:42:00+00:00', '2026-11-22T10:42:00.000Z'],
    ['2026-11-22T11:42:00+01:00', '2026-11-22T10:42:00.000Z'],
    ['2026-11-22T10:42:00.123Z', '2026-11-22T10:42:00.123Z'],
    ['', undefined],
    ['soon', undefined],
    ['2026-11-22T10:42:00', undefined],
    ['2026-13-45T99:99:99Z', undefined],
    ['1764000000', undefined],
    [`2026-11-22T10:42:00Z${' '.repeat(100)}`, undefined],
    ['2026-11-22T10:42:00Z\n', undefined],
  ];
  for (const [value, iso] of cases) assert.equal(parseExpirationVariable(value)?.toISOString(), iso, JSON.stringify(value));
});

test('readStatus: none, valid, expired, unknown keys, half a key pair, garbage expiration', async () => {
  const none = await readStatus({}, NOW, () => assert.fail('the cache is not read without keys'));
  assert.equal(none.state, 'none');
  assert.equal(STATUS_EXIT[none.state], 1);

  const env = { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };
  const known = await readStatus({ ...env, AWS_CREDENTIAL_EXPIRATION: '2026-11-22T10:42:00Z' }, NOW, async () => listed(60));
  assert.equal(known.state, 'valid');
  assert.equal(known.entry?.roleArn, 'arn:aws:iam::123456789012:role/demo');
  assert.equal(known.remainingSeconds, 42 * 60);
  assert.equal(known.expirationFrom, 'AWS_CREDENTIAL_EXPIRATION');
  assert.equal(known.accessKeyId, 'ASIA****MPLE');

  const fromCache = await readStatus({ ...env, AWS_CREDENTIAL_EXPIRATION: 'garbage' }, NOW, async () => listed(30));
  assert.equal(fromCache.expirationFrom, 'cache');
  assert.equal(fromCache.remainingSeconds, 30 * 60);
  assert.deepEqual(fromCache.problems, ['AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time; ignored']);

  const expired = await readStatus(env, NOW, async () => listed(-5));
  assert.equal(expired.state, 'expired');
  assert.equal(STATUS_EXIT[expired.state], 3);

  const unknown = await readStatus({ AWS_ACCESS_KEY_ID: 'AKIAOTHER00000000000' }, NOW, async () => listed(60));
  assert.equal(unknown.state, 'valid');
  assert.equal(unknown.entry, undefined);
  assert.equal(unknown.remainingSeconds, undefined);
  assert.match(unknown.problems[0] ?? '', /AWS_SECRET_ACCESS_KEY is not set/);
});

test('shortDuration: short enough for a prompt', () => {
  const cases: Array<[number, string]> = [[-5, '0s'], [0, '0s'], [59, '59s'], [60, '1m'], [2520, '42m'], [3599, '59m'], [3600, '1h00m'], [3900, '1h05m'], [43200, '12h00m']];
  for (const [seconds, text] of cases) assert.equal(shortDuration(seconds), text, String(seconds));
});

test('statusPrompt: role@account and time left, session tokens, unknown keys, nothing for none, escaped', async () => {
  const env = { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET };
  const prompt = async (e: Record<string, string>, entries: ReturnType<typeof listed>) => statusPrompt(await readStatus(e, NOW, async () => entries));
  assert.equal(await prompt(env, listed(42)), 'demo@123456789012 42m\n');
  assert.equal(await prompt(env, listed(-1)), 'demo@123456789012 expired\n');
  // Without the assumed-role ARN, the role ARN's name and account.
  assert.equal(await prompt(env, listed(90, { assumedRoleArn: undefined, account: undefined, roleArn: 'arn:aws:iam::999999999999:role/path/Ops' })), 'Ops@999999999999 1h30m\n');
  assert.equal(await prompt(env, listed(600, { kind: 'session-token', roleArn: undefined, assumedRoleArn: undefined, account: undefined, sessionName: undefined, profile: 'alice' })), 'session@alice 10h00m\n');
  assert.equal(await prompt(env, listed(600, { kind: 'session-token', roleArn: undefined, assumedRoleArn: undefined, account: undefined, sessionName: undefined, profile: 'a\u001b[2Kb' })), 'session@a\\e[2Kb 10h00m\n');
  assert.equal(await prompt({ AWS_ACCESS_KEY_ID: 'AKIAOTHER00000000000', AWS_SECRET_ACCESS_KEY: 'x' }, []), 'unknown\n');
  assert.equal(await prompt({}, listed(42)), '');
});

test('statusText and statusJson never carry the secret key, the token or the whole key id', async () => {
  const status = await readStatus({ AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN }, NOW, async () => listed(42, { profile: 'dev' }));
  for (const text of [statusText(status, NOW), statusJson(status), statusPrompt(status)]) {
    assert.ok(!text.includes(SECRET) && !text.includes(TOKEN) && !text.includes(KEY), text);
  }
  assert.match(statusText(status, NOW), /^source\s+stsx assume --profile dev, by https:\/\/sts\.eu-west-1\.amazonaws\.com\/ at 2026-11-22T10:00:00Z$/m);
  assert.deepEqual((JSON.parse(statusJson(status)) as { source: unknown }).source, { command: 'assume', profile: 'dev', endpoint: 'https://sts.eu-west-1.amazonaws.com/', region: 'eu-west-1', mfa: false, createdAt: '2026-11-22T10:00:00Z' });
});

test('cache entries: the profile survives a round trip; too long is left out on write, malformed is refused on read', () => {
  const round = (profile: string | undefined) => {
    const parsed = parseEntry(serializeEntry(entry(30, { profile })));
    assert.ok(parsed.ok);
    return parsed.entry.profile;
  };
  assert.equal(round('dev'), 'dev');
  assert.equal(round('constructor'), 'constructor');
  assert.equal(round('__proto__'), '__proto__');
  assert.equal(round('x\u001by'), 'x\u001by');
  assert.equal(round(undefined), undefined);
  assert.equal(round('p'.repeat(MAX_PROFILE_NAME)), 'p'.repeat(MAX_PROFILE_NAME));
  assert.equal(round('p'.repeat(MAX_PROFILE_NAME + 1)), undefined);
  const base = JSON.parse(serializeEntry(entry(30))) as Record<string, unknown>;
  for (const profile of [42, '', 'p'.repeat(MAX_PROFILE_NAME + 1), ['dev'], { name: 'dev' }]) {
    assert.deepEqual(parseEntry(JSON.stringify({ ...base, profile })), { ok: false, problem: 'an optional member is malformed' }, JSON.stringify(profile));
  }
});
