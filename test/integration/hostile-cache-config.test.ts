// The standing hostile-input suite for configuration and the credential cache: the built CLI,
// spawned against the project's own STS server, with tampered cache directories (FIFO, corrupt
// entry, symlink, huge file, escape sequences) and fuzzed config files (deep chains, missing
// sections, empty and prototype-member names, a relative HOME, a password in the endpoint URL).
// Every run is bounded in time: a hang fails the test instead of stalling the suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';
import { userWorld } from '../support/world.ts';

/** Each run must finish well within this; a FIFO or a 5,000-profile chain once made it hang. */
const BOUND_MS = 30_000;
const posix = process.platform !== 'win32';
const ROLE = 'arn:aws:iam::111122223333:role/hostile';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

function user(name: string, extra: Record<string, string> = {}): { env: Record<string, string>; home: string; cacheDir: string; box: ReturnType<typeof sandbox> } {
  const w = userWorld(sts, { name, role: { arn: ROLE }, env: extra });
  return { env: w.env, home: w.home, cacheDir: w.cacheDir, box: w };
}

const run = (args: string[], env: Record<string, string>, cwd?: string) => runStsx(args, { env, timeoutMs: BOUND_MS, ...(cwd ? { cwd } : {}) });
const assumeCalls = (): number => sts.requests.filter((q) => q.action === 'AssumeRole').length;

/** Runs `assume` once so the cache holds exactly one entry, and returns its file. */
async function cachedEntry(env: Record<string, string>, cacheDir: string): Promise<string> {
  const r = await run(['assume', '--role-arn', ROLE, '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(cacheDir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1);
  return path.join(cacheDir, files[0] ?? '');
}

// What a tampered entry does to the CLI as a whole: the next assume is a miss that calls STS once
// and writes a proper entry back, `cache list` shows nothing of it (no escape character reaches
// the terminal) and `cache clear` removes it. Which tamperings are misses (a FIFO, symlinks, a
// huge file, every malformed member) is the cache's own rule, tested once, table by table, in
// test/unit/cache-store.test.ts.
const tamper = (file: string): void => writeFileSync(file, readFileSync(file, 'utf8').replace(/"region":"[^"]*"/, '"region":"eu-central-1\\u001b]0;pwned\\u0007"'));

test('cache tampering through the CLI: an entry whose region carries an escape sequence is a quick miss, replaced; cache list and clear cope', { skip: !posix, timeout: 4 * BOUND_MS }, async () => {
  const { env, cacheDir } = user('tamper-escape');
  const file = await cachedEntry(env, cacheDir);
  tamper(file);
  const calls = assumeCalls();
  const r = await run(['assume', '--role-arn', ROLE, '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(assumeCalls(), calls + 1, 'a bad entry is a miss');
  assert.ok(lstatSync(file).isFile(), 'replaced by a regular file');
  assert.doesNotMatch(r.stderr, /unexpected error|hint: this is a bug/);
  const again = await run(['assume', '--role-arn', ROLE, '--format', 'json'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(assumeCalls(), calls + 1, 'the replacement is a hit');
  const good = readFileSync(file);
  const tamperAgain = (): void => {
    if (!existsSync(file)) writeFileSync(file, good, { mode: 0o600 });
    tamper(file);
  };

  tamperAgain();
  const list = await run(['cache', 'list', '--output', 'json'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout), []);
  assert.ok(!(list.stdout + list.stderr).includes('\u001b'), 'no escape character reaches the terminal');
  tamperAgain();
  const clear = await run(['cache', 'clear'], env);
  assert.equal(clear.code, 0, clear.stderr);
  assert.equal(existsSync(file), false);
});

test('a password in --endpoint-url reaches neither --debug, the cache entry nor cache list', async () => {
  const { env, cacheDir } = user('userinfo');
  const withPassword = sts.url.replace('://', '://bob:hunter2-secret@');
  const r = await run(['assume', '--role-arn', ROLE, '--endpoint-url', withPassword, '--debug', '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /hunter2/);
  assert.match(r.stderr, /user name and password in --endpoint-url/);
  const entries = readdirSync(cacheDir).filter((f) => f.endsWith('.json'));
  assert.equal(entries.length, 1);
  for (const f of entries) assert.doesNotMatch(readFileSync(path.join(cacheDir, f), 'utf8'), /hunter2|bob/);
  for (const output of ['json', 'text']) {
    const list = await run(['cache', 'list', '--output', output], env);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout + list.stderr, /hunter2|bob/);
  }
  // The same run again is a cache hit: the password never made the key differ from... itself.
  const calls = assumeCalls();
  const hit = await run(['assume', '--role-arn', ROLE, '--endpoint-url', withPassword, '--format', 'json'], env);
  assert.equal(hit.code, 0, hit.stderr);
  assert.equal(assumeCalls(), calls);
  // Not a URL at all: the error masks it.
  const bad = await run(['assume', '--role-arn', ROLE, '--endpoint-url', 'bob:hunter2-secret@'], env);
  assert.equal(bad.code, 2);
  assert.doesNotMatch(bad.stderr, /hunter2/);
});

/** p0 has the user's keys; p1..pN each assume a role from the one before. */
function chain(n: number, keys: { id: string; secret: string }): string {
  const parts = [`[profile p0]\naws_access_key_id = ${keys.id}\naws_secret_access_key = ${keys.secret}\nregion = eu-central-1\n`];
  for (let i = 1; i <= n; i++) parts.push(`[profile p${i}]\nrole_arn = ${ROLE}\nsource_profile = p${i - 1}\n`);
  return parts.join('\n');
}

for (const command of [['assume'], ['whoami'], ['endpoint'], ['session-token']]) {
  test(`config fuzz: a 5,000-profile source_profile chain is a quick exit 3 for ${command.join(' ')}`, { timeout: 2 * BOUND_MS }, async () => {
    const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
    box.writeConfig(chain(5000, { id: 'AKIAEXAMPLEEXAMPLE01', secret: 'secret' }));
    const r = await run([...command, '--profile', 'p5000'], box.env);
    assert.equal(r.code, 3, r.stderr);
    const lines = errorLines(r.stderr);
    assert.match(lines[0] ?? '', /^stsx: the source_profile chain from profile "p5000" is longer than 10 hops; stopped at profile "p4990"$/);
    assert.doesNotMatch(r.stderr, /Exception|RangeError|at .*\.js:\d+/);
    assert.equal(r.stdout, '');
  });
}

const configCases: { name: string; config: string; args: string[]; env?: Record<string, string>; code: number; message: RegExp }[] = [
  { name: 'a missing sso-session section', config: '[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = eu-west-1\n', args: ['whoami', '--profile', 's'], code: 3, message: /^stsx: profile "s" names sso_session "corp", but there is no \[sso-session corp\] section in / },
  { name: '--profile ""', config: '[default]\nregion = eu-west-1\n', args: ['whoami', '--profile', ''], code: 2, message: /^stsx: --profile is empty$/ },
  { name: '--profile toString', config: '[default]\nregion = eu-west-1\n', args: ['whoami', '--profile', 'toString'], code: 3, message: /^stsx: profile "toString" \(from --profile\) is not in / },
  { name: 'AWS_PROFILE=constructor', config: '[default]\nregion = eu-west-1\n', args: ['endpoint'], env: { AWS_PROFILE: 'constructor' }, code: 3, message: /^stsx: profile "constructor" \(from \$AWS_PROFILE\) is not in / },
  { name: 'source_profile = hasOwnProperty', config: '[profile x]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = hasOwnProperty\n', args: ['assume', '--profile', 'x'], code: 3, message: /source_profile "hasOwnProperty", which is not in / },
  { name: '--profile __proto__ that the files lack', config: '[default]\nregion = eu-west-1\n', args: ['endpoint', '--profile', '__proto__'], code: 3, message: /^stsx: profile "__proto__" \(from --profile\) is not in / },
];

for (const c of configCases) {
  test(`config fuzz: ${c.name} is one clear line and exit ${c.code}`, { timeout: BOUND_MS * 2 }, async () => {
    const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url, ...(c.env ?? {}) });
    box.writeConfig(c.config);
    const r = await run(c.args, box.env);
    assert.equal(r.code, c.code, r.stderr);
    const lines = errorLines(r.stderr);
    assert.match(lines[0] ?? '', c.message);
    assert.ok(lines.length <= 2 && (lines[1] === undefined || lines[1].startsWith('  hint: ')), r.stderr);
    assert.equal(r.stdout, '');
  });
}

test('config fuzz: settings named after Object.prototype members are ordinary settings', async () => {
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig('[profile x]\n__proto__ = y\nconstructor = z\ntoString = w\nregion = eu-west-2\n');
  const r = await run(['endpoint', '--profile', 'x', '--output', 'json'], box.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /eu-west-2/);
});

test('a relative HOME is exit 3, and nothing is written under the current directory', { skip: !posix }, async () => {
  const { env } = user('relative-home');
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'stsx-cwd-'));
  const relative: Record<string, string> = { ...env, HOME: 'home' };
  delete relative.XDG_CACHE_HOME;
  // Config files named absolutely (as sandbox does): the cache is what needs HOME.
  for (const args of [['assume', '--role-arn', ROLE], ['cache', 'list'], ['cache', 'clear']]) {
    const r = await run(args, relative, cwd);
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: the home directory "home" is not an absolute path, so stsx cannot place the credential cache$/);
    assert.equal(r.stdout, '');
  }
  // And without AWS_CONFIG_FILE, the config files need it too.
  const noFiles = { ...relative };
  delete noFiles.AWS_CONFIG_FILE;
  const r = await run(['whoami'], noFiles, cwd);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot place the AWS config files/);
  assert.deepEqual(readdirSync(cwd), []);
});

// A config or credentials file that is a FIFO nobody writes to: every command used to wait on it
// for ever. It gets a few seconds (src/files/fs-async.ts), then one line and exit 3; a pipe that
// does deliver (`AWS_CONFIG_FILE=<(...)`) still works.
test('a FIFO with no writer as a config or credentials file: exit 3 within seconds, nothing on stdout; a pipe that writes is read', { skip: !posix, timeout: 4 * BOUND_MS }, async () => {
  const { env, box } = user('fifo-config');
  const fifo = path.join(box.home, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const cases: Array<[string[], Record<string, string>]> = [
    [['profiles'], { ...env, AWS_CONFIG_FILE: fifo }],
    [['whoami'], { ...env, AWS_CONFIG_FILE: fifo }],
    [['assume', '--role-arn', ROLE, '--format', 'json'], { ...env, AWS_SHARED_CREDENTIALS_FILE: fifo }],
  ];
  await Promise.all(cases.map(async ([args, caseEnv]) => {
    const started = Date.now();
    const r = await run(args, caseEnv);
    assert.ok(Date.now() - started < 15_000, `${args.join(' ')} took ${Date.now() - started} ms`);
    assert.equal(r.code, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: cannot read .*fifo: nothing to read within 5 s, and it is a FIFO \(does anything write to it\?\)$/);
  }));
  // Completion never prints an error at a TAB: no names, exit 0, in the same time.
  const started = Date.now();
  const tab = await run(['__complete', 'profiles'], { ...env, AWS_CONFIG_FILE: fifo });
  assert.ok(Date.now() - started < 15_000);
  assert.deepEqual([tab.code, tab.stdout, tab.stderr], [0, '', '']);
  // A writer that never stops (`<(yes)`): bounded in size and time, not read until memory runs out.
  const endless = spawn('sh', ['-c', `yes '# filler' > '${fifo}'`], { stdio: 'ignore' });
  const flood = await run(['profiles'], { ...env, AWS_CONFIG_FILE: fifo });
  endless.kill();
  assert.equal(flood.code, 3, flood.stderr);
  assert.equal(flood.stdout, '');
  assert.match(errorLines(flood.stderr)[0] ?? '', /^stsx: cannot read .*fifo: (more than 64 MB from a FIFO|not read to its end within 5 s, and it is a FIFO)/);
  // The same FIFO with a writer: read as a config file.
  const writer = spawn('sh', ['-c', `printf '[profile piped]\\nregion = eu-west-3\\n' > '${fifo}'`], { stdio: 'ignore' });
  const piped = await run(['profiles', '--output', 'json'], { ...env, AWS_CONFIG_FILE: fifo });
  writer.kill();
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual((JSON.parse(piped.stdout) as Array<{ name: string; region: string }>).map((p) => [p.name, p.region]), [['piped', 'eu-west-3']]);
});
