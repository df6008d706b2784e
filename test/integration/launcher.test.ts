// The launcher (bin/stsx.js) as users meet it: on a Node that is too old it says so in one line;
// the compile cache is used only in a directory the credential cache would trust; --debug stack
// traces name the TypeScript sources through the bundle's source maps; -v is --version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { spawnCollect } from '../support/spawn-collect.ts';
import { errorLines, ROOT, runStsx, sandbox, STSX } from '../support/run-cli.ts';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { oldNode } from '../support/old-node.ts';
import { ENGINES, nodeSupported } from '../../bin/node-support.js';
import { TARGETS } from '../../scripts/binaries/targets.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'us-west-2' });
});
after(async () => {
  await sts?.close();
});

test('package.json engines says what the launcher checks', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(pkg.engines.node, ENGINES);
  assert.ok(nodeSupported(process.versions.node), `the tests run on a supported Node, not ${process.version}`);
  for (const v of ['18.20.0', '20.20.2', '22.20.0', '23.11.0', '24.4.1']) assert.equal(nodeSupported(v), false, v);
  for (const v of ['22.21.0', 'v22.30.1', '24.5.0', '24.21.0', '26.0.0']) assert.equal(nodeSupported(v), true, v);
});

test('on a Node that is too old every command prints one line and the ways out (a current Node, the single binary), exit 2, no stack', async () => {
  const { node, version } = oldNode();
  const box = sandbox();
  for (const args of [['--version'], ['-v'], ['whoami'], ['assume', '--role-arn', 'arn:aws:iam::111122223333:role/r']]) {
    const r = await spawnCollect(node, [STSX, ...args], { env: box.env, cwd: ROOT, input: '', timeoutMs: 20000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 3, r.stderr);
    assert.equal(lines[0], `stsx: this is Node.js ${version} (${node}); stsx needs Node.js 22.21+ or 24.5+`);
    assert.match(lines[1] ?? '', /^ {2}hint: install a current Node\.js .*nvm install 24.*,$/);
    // The other way out, with the command that gets it (the binary is built, not downloaded).
    assert.equal(lines[2], `  or use the single binary, which needs no Node.js: in a clone of stsx, \`npm run build:binaries -- --targets ${process.platform}-${process.arch}\` writes dist-bin/stsx-${process.platform}-${process.arch}`);
  }
});

test('the launcher names the targets build:binaries makes', () => {
  const launcher = readFileSync(path.join(ROOT, 'bin', 'stsx.js'), 'utf8');
  const named = /\[('[a-z0-9-]+'(?:, )?)+\]\.includes\(target\)/.exec(launcher)?.[0] ?? '';
  assert.deepEqual([...named.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]).sort(), TARGETS.map((t) => t.name).sort());
});

test('-v prints the version like --version', async () => {
  const box = sandbox();
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['-v', '--version', '-V']) {
    const r = await runStsx([flag], { env: box.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${pkg.version}\n`);
    assert.equal(r.stderr, '');
  }
});

const cacheFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : []);

test('the compile cache is used only in a cache directory owned by this user with a private mode', async () => {
  // Ours, but group- and world-readable: set to 700 (as the credential cache does), then used.
  const mine = sandbox();
  const dir = path.join(mine.home, '.cache', 'stsx');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const ok = await runStsx(['--help'], { env: mine.env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.ok(cacheFiles(path.join(dir, 'compile-cache')).length > 0, 'the compile cache was written in our own directory');

  // Someone else's: neither read nor written. As root the directory is chowned to another uid;
  // otherwise it is a symlink to a directory root owns (the ownership check follows links, as the
  // credential cache's does).
  const theirs = sandbox();
  const cacheHome = path.join(theirs.home, '.cache');
  const other = path.join(cacheHome, 'stsx');
  mkdirSync(cacheHome, { recursive: true });
  if (process.getuid?.() === 0) {
    mkdirSync(path.join(other, 'compile-cache'), { recursive: true, mode: 0o700 });
    chownSync(other, 54321, 54321);
    chownSync(path.join(other, 'compile-cache'), 54321, 54321);
  } else {
    symlinkSync('/usr', other);
  }
  const refused = await runStsx(['--help'], { env: theirs.env });
  assert.equal(refused.code, 0, refused.stderr);
  assert.deepEqual(cacheFiles(path.join(other, 'compile-cache')), []);
  assert.notEqual(statSync(other).uid, process.getuid?.());

  // A compile-cache subdirectory that is not ours, inside a directory that is, is refused too.
  const planted = sandbox();
  const plantedDir = path.join(planted.home, '.cache', 'stsx', 'compile-cache');
  mkdirSync(plantedDir, { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(plantedDir), 0o700);
  if (process.getuid?.() === 0) {
    chownSync(plantedDir, 54321, 54321);
  } else {
    rmSync(plantedDir, { recursive: true });
    symlinkSync('/usr', plantedDir);
  }
  const r = await runStsx(['--help'], { env: planted.env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(cacheFiles(plantedDir).filter((f) => /^v\d+\./.test(f)), []);
});

test('--debug stack traces name the TypeScript sources', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'maps' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/maps', trustedPrincipalArns: [u.arn] });
  // A 200 answer without credentials is not an STS answer (exit 5); its --debug stack goes through the maps.
  sts.fault({ status: 200, action: 'AssumeRole', body: '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>' });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url });
  const args = ['assume', '--role-arn', 'arn:aws:iam::111122223333:role/maps', '--no-cache'];
  try {
    const plain = await runStsx(args, { env: box.env });
    assert.equal(plain.code, 5, plain.stderr);
    assert.doesNotMatch(plain.stderr, /\n\s+at /);
    assert.ok(errorLines(plain.stderr).length <= 2, plain.stderr);
    const debug = await runStsx([...args, '--debug'], { env: box.env });
    assert.equal(debug.code, 5, debug.stderr);
    assert.match(debug.stderr, /\n\s+at .*src\/sts\/[\w-]+\.ts:\d+:\d+/);
  } finally {
    sts.clearFaults();
  }
});

test('help shows no "(default: [])" for repeatable options', async () => {
  const box = sandbox();
  for (const args of [['assume', '--help'], ['session-token', '--help']]) {
    const r = await runStsx(args, { env: box.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /repeatable/);
    assert.doesNotMatch(r.stdout, /default: \[\]/);
  }
});
