// `npm run test:binary`: builds the single executables and runs the CLI's integration
// tests against the linux-x64 one, spawned directly with no `node` on its PATH (STSX_TEST_BINARY,
// test/support/run-cli.ts), then runs test/binary/: every built file's format, and the executable's code caches.
// Flags: --no-build (test what dist-bin/ holds), --targets as for build-binaries (default: all).
//
// The CLI's integration tests are the files in test/integration/ that start stsx through
// test/support/run-cli.ts, except these, which test the npm package's own way of starting:
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './binaries/bundle.ts';
import { HOST_TARGET, TARGETS } from './binaries/targets.ts';

export const NOT_FOR_THE_BINARY = new Map<string, string>([
  ['startup-loads.test.ts', 'checks which dist/ files bin/stsx.js loads, through a Node --import hook; the binary has neither'],
  ['launcher.test.ts', 'tests bin/stsx.js on old and current Node releases, its compile cache and source maps; the binary carries its own Node'],
  ['install.test.ts', 'packs and installs the npm package'],
  ['with-node.test.ts', 'tests the npm scripts\' Node provisioning'],
  ['ci-run-tests.test.ts', 'tests the CI test wrapper, not the CLI'],
  ['sandbox-cleanup.test.ts', 'tests the test sandbox, not the CLI'],
]);

const args = process.argv.slice(2);
const targets = args.includes('--targets') ? (args[args.indexOf('--targets') + 1] ?? '') : TARGETS.map((t) => t.name).join(',');
const log = (line: string): void => void process.stderr.write(`test:binary: ${line}\n`);

function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<number> {
  if (!args.includes('--no-build')) {
    const built = await run([path.join(ROOT, 'scripts', 'build-binaries.ts'), '--targets', targets]);
    if (built !== 0) return built;
  }
  const host = TARGETS.find((t) => t.name === HOST_TARGET);
  if (!host) throw new Error(`no ${HOST_TARGET} target`);
  const dir = path.join(ROOT, 'test', 'integration');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort();
  const cli = files.filter((f) => readFileSync(path.join(dir, f), 'utf8').includes('support/run-cli.ts'));
  for (const f of cli.filter((x) => NOT_FOR_THE_BINARY.has(x))) log(`not run against the binary: ${f}: ${NOT_FOR_THE_BINARY.get(f) ?? ''}`);
  const chosen = cli.filter((f) => !NOT_FOR_THE_BINARY.has(f));
  log(`running against dist-bin/${host.file}: ${chosen.join(', ')}`);
  const env = { ...process.env, STSX_TEST_BINARY: path.join(ROOT, 'dist-bin', host.file) };
  const binaryTests = readdirSync(path.join(ROOT, 'test', 'binary')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(ROOT, 'test', 'binary', f));
  const tests = await run(['--test', '--test-concurrency=2', ...chosen.map((f) => path.join(dir, f)), ...binaryTests], env);
  return tests;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(`test:binary: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
