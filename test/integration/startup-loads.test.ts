// --help, --version, unset, cache commands and a cache hit must not load the AWS SDK. This checks
// what was loaded (module URLs mapped through esbuild's metafile to the source modules in each
// chunk), not how long it took.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, sandbox, STSX } from '../support/run-cli.ts';

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

/** Runs stsx with the load recorder; returns the source modules (node_modules packages) it loaded. */
async function loadedPackages(args: string[], env: Record<string, string>): Promise<{ code: number | null; packages: Set<string>; stderr: string }> {
  const log = path.join(env.HOME ?? '/tmp', `loads-${Date.now()}-${Math.random()}.txt`);
  const hook = path.join(ROOT, 'test/fixtures/startup/record-loads.mjs');
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', hook, STSX, ...args], { env: { ...env, STSX_LOAD_LOG: log }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist/meta.json'), 'utf8')) as Meta;
  const packages = new Set<string>();
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const inputs = meta.outputs[rel]?.inputs ?? (rel.includes('node_modules/') ? { [rel]: {} } : {});
    for (const input of Object.keys(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (m?.[1]) packages.add(m[1]);
    }
  }
  assert.ok(urls.length > 0, 'the recorder saw the modules load');
  return { code, packages, stderr };
}

const sdk = (packages: Set<string>): string[] => [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'));

for (const args of [['--help'], ['--version'], ['assume', '--help'], ['unset', '--format', 'bash'], ['cache', 'list'], ['profiles']]) {
  test(`stsx ${args.join(' ')} loads no AWS SDK module`, async () => {
    const r = await loadedPackages(args, sandbox().env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sdk(r.packages), []);
  });
}

test('stsx status --prompt loads neither the AWS SDK nor the argument parser (it runs in every shell prompt)', async () => {
  const r = await loadedPackages(['status', '--prompt'], sandbox({ AWS_ACCESS_KEY_ID: 'ASIASTATUSPROMPT0000', AWS_SECRET_ACCESS_KEY: 'x' }).env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([...r.packages], []);
});

test('a cache hit of assume loads no AWS SDK module and no argument parser (src/early-cache-hit.ts); the miss before it does', async () => {
  const u = sts.addUser({ userName: 'startup' });
  sts.addRole({ arn: 'arn:aws:iam::123456789012:role/fast', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  // Real config files, so parsing them is part of what a hit does.
  box.writeConfig('[default]\nregion = eu-west-1\n[profile other]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n');
  box.writeCredentials('[unused]\naws_access_key_id = AKIAUNUSED0000000000\naws_secret_access_key = unused\n');
  const env = box.env;
  const args = ['assume', '--role-arn', 'arn:aws:iam::123456789012:role/fast', '--role-session-name', 'fast', '--format', 'bash'];
  const miss = await loadedPackages(args, env);
  assert.equal(miss.code, 0, miss.stderr);
  assert.ok(sdk(miss.packages).includes('@aws-sdk/client-sts'), 'the recorder does see the SDK when it loads');
  const hit = await loadedPackages(args, env);
  assert.equal(hit.code, 0, hit.stderr);
  assert.match(hit.stderr, /using cached/);
  assert.deepEqual(sdk(hit.packages), []);
  assert.ok(!hit.packages.has('commander'), `a plain hit is answered before the argument parser: ${[...hit.packages].join(', ')}`);
  // A flag that is not plain (--timeout) takes the CLI: the recorder does see commander then.
  const cli = await loadedPackages([...args, '--timeout', '15'], env);
  assert.equal(cli.code, 0, cli.stderr);
  assert.ok(cli.packages.has('commander'), 'the recorder does see commander when it loads');
});

/** Runs stsx with the load recorder; returns its output and the files it loaded (relative to the repository). */
async function loadedFiles(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; files: string[] }> {
  const log = path.join(env.HOME ?? '/tmp', `files-${Date.now()}-${Math.random()}.txt`);
  const hook = path.join(ROOT, 'test/fixtures/startup/record-loads.mjs');
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', hook, STSX, ...args], { env: { ...env, STSX_LOAD_LOG: log }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const files = [...new Set(urls.filter((u) => u.startsWith('file:')).map((u) => path.relative(ROOT, fileURLToPath(u)).split(path.sep).join('/')))];
  return { ...r, files };
}

// A prompt runs `stsx status --prompt` at every command line and a TAB after --profile runs
// `stsx __complete profiles`; `stsx profiles` lists thousands: the launcher answers them from dist/quick.js, one file with neither
// the argument parser nor the SDK, and the answer is the one the full CLI (cli.ts) gives.
test('status --prompt, __complete profiles and a plain profiles listing load one bundle file (dist/quick.js), and answer as the full CLI does', async () => {
  const u = sts.addUser({ userName: 'quick' });
  sts.addRole({ arn: 'arn:aws:iam::123456789012:role/Quick', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig('[default]\nregion = eu-west-1\n[profile quick]\nrole_arn = arn:aws:iam::123456789012:role/Quick\nsource_profile = keys\n[profile z-last]\nregion = us-east-1\n[sso-session corp]\nsso_region = eu-west-1\n');
  box.writeCredentials(`[keys]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  const assumed = await loadedFiles(['assume', '--profile', 'quick', '--format', 'json'], box.env);
  assert.equal(assumed.code, 0, assumed.stderr);
  const creds = JSON.parse(assumed.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  const exported = { ...box.env, AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken, AWS_CREDENTIAL_EXPIRATION: creds.Expiration };
  const bundle = (files: string[]): string[] => files.filter((f) => f.startsWith('dist/'));

  const cases: Array<{ quick: string[]; full: string[]; env: Record<string, string> }> = [
    // --debug is not a quick command: the same question through cli.ts.
    { quick: ['status', '--prompt'], full: ['status', '--prompt', '--debug'], env: exported },
    { quick: ['status', '--prompt'], full: ['status', '--prompt', '--debug'], env: { ...box.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } },
    { quick: ['status'], full: ['status', '--debug'], env: exported },
    // Words after `profiles` are ignored by the command, but make it a full-CLI run.
    { quick: ['__complete', 'profiles'], full: ['__complete', 'profiles', 'ignored'], env: box.env },
    { quick: ['profiles'], full: ['profiles', '--debug'], env: box.env },
    { quick: ['profiles', '--output', 'json'], full: ['profiles', '--output', 'json', '--debug'], env: box.env },
    { quick: ['profiles', '--output=text'], full: ['profiles', '--output=text', '--debug'], env: box.env },
  ];
  for (const c of cases) {
    const quick = await loadedFiles(c.quick, c.env);
    const full = await loadedFiles(c.full, c.env);
    assert.deepEqual(bundle(quick.files), ['dist/quick.js'], `stsx ${c.quick.join(' ')} loaded ${quick.files.join(', ')}`);
    assert.ok(bundle(full.files).includes('dist/stsx.js'), `stsx ${c.full.join(' ')} went through the full CLI`);
    assert.equal(quick.stdout, full.stdout, `stsx ${c.quick.join(' ')}`);
    assert.equal(quick.code, full.code, `stsx ${c.quick.join(' ')}: ${quick.stderr}`);
    assert.equal(quick.stderr, '');
  }
  const prompt = await loadedFiles(['status', '--prompt'], exported);
  assert.match(prompt.stdout, /^Quick@123456789012 \d+m\n$/);
  const names = await loadedFiles(['__complete', 'profiles'], box.env);
  assert.equal(names.stdout, 'default\nkeys\nquick\nz-last\n');
  // Anything but the plain forms goes through cli.ts, which words the refusal.
  for (const argv of [['profiles', '--output', 'yaml'], ['profiles', '--output'], ['profiles', 'extra'], ['profiles', '--help']]) {
    const r = await loadedFiles(argv, box.env);
    assert.ok(bundle(r.files).includes('dist/stsx.js'), `stsx ${argv.join(' ')} went through the full CLI`);
    assert.equal(r.code, argv.includes('--help') ? 0 : 2, `stsx ${argv.join(' ')}: ${r.stderr}`);
  }
  // A listing with errors: the quick answer warns on stderr in the words of the full CLI.
  box.writeConfig('[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = loop-b\n[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = loop-a\n');
  const broken = await loadedFiles(['profiles'], box.env);
  const brokenFull = await loadedFiles(['profiles', '--debug'], box.env);
  assert.deepEqual(bundle(broken.files), ['dist/quick.js']);
  assert.equal(broken.code, 0, broken.stderr);
  assert.equal(broken.stdout, brokenFull.stdout);
  assert.equal(broken.stderr, 'stsx: warning: 2 profiles have errors (kind "error" in the list)\n');
  assert.equal(brokenFull.stderr.split('\n').filter((l) => !l.startsWith('stsx: debug:')).join('\n'), broken.stderr);
  // An empty listing: nothing on stdout, the note on stderr.
  box.writeConfig('');
  box.writeCredentials('');
  const empty = await loadedFiles(['profiles'], box.env);
  assert.equal(empty.stdout, '');
  assert.match(empty.stderr, /^stsx: no profiles in .+\n$/);

  // dist/quick.js holds no package: neither commander nor any of the SDK.
  const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist/meta.json'), 'utf8')) as Meta;
  const inputs = Object.keys(meta.outputs['dist/quick.js']?.inputs ?? {});
  assert.ok(inputs.includes('src/quick-main.ts'), inputs.join(', '));
  assert.deepEqual(inputs.filter((i) => i.includes('node_modules/')), []);
});

// A cache hit is answered from one bundle file (dist/hit.js), not the CLI's entry and its chunks;
// a miss falls through to the CLI, which answers it as before (and, the hit once tried, goes
// straight to the parser: the cache is not read twice).
test('a cache hit of assume loads one bundle file (dist/hit.js); a plain miss dist/sts.js after it, not the CLI', async () => {
  const u = sts.addUser({ userName: 'hitfile' });
  sts.addRole({ arn: 'arn:aws:iam::123456789012:role/hitfile', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const args = ['assume', '--role-arn', 'arn:aws:iam::123456789012:role/hitfile', '--format', 'json'];
  const bundle = (files: string[]): string[] => files.filter((f) => f.startsWith('dist/'));
  const miss = await loadedFiles(args, box.env);
  assert.equal(miss.code, 0, miss.stderr);
  assert.deepEqual(bundle(miss.files), ['dist/hit.js', 'dist/sts.js']);
  const asked = (): number => sts.requests.filter((r) => r.action === 'AssumeRole' && r.body.includes('hitfile')).length;
  assert.equal(asked(), 1);
  const hit = await loadedFiles(args, box.env);
  assert.equal(hit.code, 0, hit.stderr);
  assert.match(hit.stderr, /using cached/);
  assert.deepEqual(bundle(hit.files), ['dist/hit.js']);
  assert.equal(hit.stdout, miss.stdout);
  // --debug is not a plain hit: the CLI answers it, from the same entry.
  const debug = await loadedFiles([...args, '--debug'], box.env);
  assert.equal(debug.code, 0, debug.stderr);
  assert.ok(bundle(debug.files).includes('dist/stsx.js'));
  assert.ok(!bundle(debug.files).includes('dist/sts.js'), 'a command line that is not plain goes from dist/hit.js to the CLI');
  assert.equal(debug.stdout, hit.stdout);
  assert.equal(asked(), 1, 'both answered from the cache');

  // dist/hit.js holds none of the AWS SDK: a lazy import of it is a stand-in that means "a miss".
  const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist/meta.json'), 'utf8')) as Meta;
  const inputs = Object.keys(meta.outputs['dist/hit.js']?.inputs ?? {});
  assert.ok(inputs.includes('src/early-cache-hit.ts'), inputs.join(', '));
  assert.deepEqual(inputs.filter((i) => /node_modules\/(@aws-sdk|@smithy|commander)\//.test(i)), []);
});

// whoami's plain forms run from dist/sts.js (src/sts-main.ts): one file with the AWS SDK, no
// argument parser, none of the CLI's chunks; the same command lines with a flag that is not plain
// (--connect-timeout) take the CLI, and both must answer alike, byte for byte, failures included.
test('a plain whoami loads one bundle file (dist/sts.js) and answers as the CLI does, failures included', async (t) => {
  const u = sts.addUser({ userName: 'plainwho' });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig('[profile prod]\nregion = eu-west-1\n[profile broken]\nsource_profile = nowhere\nrole_arn = arn:aws:iam::123456789012:role/x\n');
  box.writeCredentials(`[prod]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  const bundle = (files: string[]): string[] => files.filter((f) => f.startsWith('dist/'));
  const hang = await silentServer();
  t.after(() => hang.close());
  const cases: Array<{ args: string[]; env?: Record<string, string>; code: number }> = [
    { args: ['whoami'], code: 0 },
    { args: ['whoami', '--output', 'json'], code: 0 },
    { args: ['whoami', '--query=Arn'], code: 0 },
    { args: ['whoami', 'prod', '--output=json', '--query', 'Account'], code: 0 },
    { args: ['whoami', '--access-key-id', u.accessKeyId], code: 0 },
    { args: ['whoami', '--profile', 'nosuch'], code: 3 },
    { args: ['whoami', 'broken'], code: 3 },
    { args: ['whoami', '--access-key-id', 'AKIA-not-a-key'], code: 2 },
    { args: ['whoami'], env: { AWS_SECRET_ACCESS_KEY: 'wrong-secret' }, code: 4 },
    { args: ['whoami', '--endpoint-url', 'http://127.0.0.1:1'], code: 5 },
    // An endpoint that accepts and never answers: ended by STSX_TIMEOUT, as the CLI ends it.
    { args: ['whoami', '--endpoint-url', hang.url], env: { STSX_TIMEOUT: '2' }, code: 5 },
    // Control characters and a __proto__ profile: refused in the CLI's words, nothing on stdout.
    { args: ['whoami', '--profile', 'a\u001b[31mb'], code: 3 },
    { args: ['whoami', '__proto__'], code: 3 },
  ];
  for (const c of cases) {
    const env = { ...box.env, ...c.env };
    const plain = await loadedFiles(c.args, env);
    const full = await loadedFiles([...c.args, '--connect-timeout', '3'], env);
    const what = `stsx ${c.args.join(' ')}`;
    assert.deepEqual(bundle(plain.files), ['dist/sts.js'], `${what} loaded ${plain.files.join(', ')}`);
    assert.ok(bundle(full.files).includes('dist/stsx.js'), `${what} --connect-timeout 3 went through the CLI`);
    assert.equal(plain.code, c.code, `${what}: ${plain.stderr}`);
    assert.equal(plain.code, full.code, what);
    assert.equal(plain.stdout, full.stdout, what);
    assert.equal(plain.stderr, full.stderr, what);
    if (c.code !== 0) assert.equal(plain.stdout, '', what);
    assert.ok(!plain.stderr.includes('\u001b'), `${what}: no control character reaches the terminal`);
    if (c.env?.AWS_SECRET_ACCESS_KEY) assert.ok(!plain.stderr.includes(c.env.AWS_SECRET_ACCESS_KEY), 'the secret is never echoed');
  }
  const me = await loadedFiles(['whoami', '--query', 'Arn'], box.env);
  assert.equal(me.stdout, `${u.arn}\n`);
  // Not plain: dist/sts.js says so having read nothing, and the CLI answers (the cost is one file).
  const debug = await loadedFiles(['whoami', '--debug'], box.env);
  assert.equal(debug.code, 0, debug.stderr);
  assert.deepEqual(bundle(debug.files).slice(0, 2), ['dist/sts.js', 'dist/stsx.js']);
  assert.match(debug.stderr, /stsx: debug:/);
});

// The first asynchronous file call starts libuv's thread pool (four threads, which a busy machine
// makes the hit wait for): a cache hit reads its few small files synchronously (src/files/fs-async.ts).
// And it writes to a pipe's descriptors directly: process.stdout on a pipe is a socket (node:net
// and the stream modules), set up for two lines (src/hit-main.ts).
test('a cache hit on pipes starts no thread pool and no stream: the threads of `node -e 0`, neither net nor stream loaded; whoami loads no child_process, dgram, zlib', { skip: process.platform !== 'linux' }, async () => {
  const u = sts.addUser({ userName: 'threads' });
  sts.addRole({ arn: 'arn:aws:iam::123456789012:role/threads', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig('[default]\nregion = eu-west-1\n');
  const hook = path.join(ROOT, 'test/fixtures/startup/record-process.mjs');
  const recorded = async (argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string; threads: number; builtins: string[] }> => {
    const log = path.join(box.home, `process-${Math.random()}.json`);
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', hook, ...argv], { env: { ...box.env, STSX_PROCESS_LOG: log }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    return { ...r, ...(JSON.parse(readFileSync(log, 'utf8')) as { threads: number; builtins: string[] }) };
  };
  const args = [STSX, 'assume', '--role-arn', 'arn:aws:iam::123456789012:role/threads', '--format', 'bash'];
  const miss = await recorded(args);
  assert.equal(miss.code, 0, miss.stderr);
  const floor = await recorded(['-e', '0']);
  const hit = await recorded(args);
  assert.equal(hit.code, 0, hit.stderr);
  assert.match(hit.stderr, /using cached/);
  assert.equal(hit.stdout, miss.stdout);
  assert.ok(miss.threads > floor.threads, `the recorder sees the pool: a miss has ${String(miss.threads)} threads, node -e 0 ${String(floor.threads)}`);
  assert.ok(miss.builtins.includes('net'), `the recorder sees the stream: ${miss.builtins.join(' ')}`);
  assert.equal(hit.threads, floor.threads);
  assert.deepEqual(hit.builtins.filter((m) => m === 'net' || m === 'stream' || m === 'fs/promises'), [], hit.builtins.join(' '));
  // Built-ins imported at the top of modules but used by few calls load on their first call
  // (scripts/build.ts): whoami sends one request and starts no program, compresses nothing.
  const whoami = await recorded([STSX, 'whoami']);
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.ok(whoami.builtins.includes('http'), whoami.builtins.join(' '));
  assert.deepEqual(whoami.builtins.filter((m) => ['child_process', 'dgram', 'zlib', 'fs/promises'].includes(m)), [], whoami.builtins.join(' '));
  // Over http:// (this loopback endpoint), neither TLS nor node:https, and not node:util (only
  // help text needs it); over https:// the same command does load them (test below).
  assert.ok(sts.url.startsWith('http://'));
  assert.deepEqual(whoami.builtins.filter((m) => ['https', 'tls', 'util', 'worker_threads'].includes(m)), [], whoami.builtins.join(' '));
  const tlsWhoami = await recorded([STSX, 'whoami', '--endpoint-url', 'https://127.0.0.1:1', '--timeout', '2']);
  assert.notEqual(tlsWhoami.code, 0);
  assert.ok(tlsWhoami.builtins.includes('tls') && tlsWhoami.builtins.includes('https'), `an https:// endpoint loads TLS when it connects: ${tlsWhoami.builtins.join(' ')}`);
});

/** A server that takes connections and never answers (a firewall that swallows the request). */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
