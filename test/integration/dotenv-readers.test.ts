// The dotenv format read back by the programs that load .env files: zsh, bash and dash with
// `set -a; . file`, Node's own `--env-file`, and python-dotenv. Every value the format does not
// refuse must arrive exactly, in every one of them. (docker `--env-file` keeps quotes literally;
// that limit is documented in src/output/credentials/dotenv.ts and not tested here.)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialEnv, renderCredentials, type CredentialOutput } from '../../src/output/credentials/render.ts';
import { HOSTILE_VALUES } from '../fixtures/shells/hostile-values.ts';

const dir = mkdtempSync(join(tmpdir(), 'stsx-dotenv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Values whose bare form some reader changes: zsh expands `=cmd` at the start of a word and
// after a `:` in an assignment (`=ls` becomes /usr/bin/ls).
const EXTRA: readonly { name: string; value: string }[] = [
  { name: 'leading =', value: '=ls' },
  { name: 'only =', value: '=' },
  { name: '= after a colon', value: 'a:=ls' },
  { name: 'base64 padding', value: 'FwoGZXIvYXdzEJr//+abc==' },
  { name: 'ISO time', value: '2030-01-01T00:00:00Z' },
];
const VALUES = [...HOSTILE_VALUES.filter((h) => !h.refusedBy.includes('dotenv')), ...EXTRA];

interface Reader {
  name: string;
  /** Loads `file` and prints the environment as NUL-separated NAME=value (or JSON). */
  run(file: string): { status: number | null; stdout: Buffer; stderr: Buffer; error?: Error | undefined };
  parse(stdout: Buffer): Map<string, string>;
}

const nulEnv = (stdout: Buffer): Map<string, string> => {
  const vars = new Map<string, string>();
  for (const entry of stdout.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (entry.startsWith('AWS_') && eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return vars;
};
const jsonEnv = (stdout: Buffer): Map<string, string> =>
  new Map(Object.entries(JSON.parse(stdout.toString('utf8')) as Record<string, string | null>).filter((e): e is [string, string] => e[0].startsWith('AWS_') && e[1] !== null));
const cleanEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', HOME: dir };
// Generous: python3 starts slowly on a loaded machine, and a timeout would read as a failure.
const spawn = (bin: string, args: string[]) => spawnSync(bin, args, { env: cleanEnv, cwd: dir, encoding: 'buffer', timeout: 60_000 });

const READERS: Reader[] = [
  { name: 'zsh set -a', run: (f) => spawn('zsh', ['-f', '-c', `set -a; . '${f}'; exec env -0`]), parse: nulEnv },
  { name: 'bash set -a', run: (f) => spawn('bash', ['--norc', '--noprofile', '-c', `set -a; . '${f}'; exec env -0`]), parse: nulEnv },
  { name: 'dash set -a', run: (f) => spawn('dash', ['-c', `set -a; . '${f}'; exec env -0`]), parse: nulEnv },
  { name: 'node --env-file', run: (f) => spawn(process.execPath, [`--env-file=${f}`, '-e', 'process.stdout.write(JSON.stringify(process.env))']), parse: jsonEnv },
  { name: 'python-dotenv', run: (f) => pythonRead(f), parse: jsonEnv },
];

// python3 starts slowly: one run reads every file, and each test takes its own result.
let pythonResults: Map<string, ReturnType<Reader['run']>> | undefined;
function pythonRead(file: string): ReturnType<Reader['run']> {
  if (!pythonResults) {
    const files = CASES.map((c) => c.file);
    const all = spawn('python3', ['-c', 'import dotenv, json, sys; sys.stdout.write(json.dumps([dotenv.dotenv_values(f) for f in sys.argv[1:]]))', ...files]);
    const parsed = all.status === 0 ? (JSON.parse(all.stdout.toString('utf8')) as unknown[]) : [];
    pythonResults = new Map(files.map((f, i) => [f, { ...all, stdout: Buffer.from(JSON.stringify(parsed[i] ?? {})) }]));
  }
  const result = pythonResults.get(file);
  assert.ok(result, `no python-dotenv result for ${file}`);
  return result;
}

// python-dotenv is a pip package, not part of CI's required set: without it, only that reader is
// skipped, and the skip says why.
const hasPythonDotenv = spawnSync('python3', ['-c', 'import dotenv'], { timeout: 60_000 }).status === 0;

// Every file is written up front, so python-dotenv can read them all in one run.
const CASES = VALUES.map(({ name, value }, i) => {
  const out: CredentialOutput = {
    credentials: { accessKeyId: value, secretAccessKey: `x${value}x`, sessionToken: `${value}${value}`, expiration: new Date('2030-01-01T00:00:00Z') },
    region: value,
  };
  const file = join(dir, `env-${i}`);
  writeFileSync(file, renderCredentials('dotenv', out).stdout);
  return { name, out, file };
});

for (const reader of READERS) {
  // Missing is a failure naming how to get it, never a skip.
  const missing = reader.name === 'python-dotenv' && !hasPythonDotenv ? 'python3 cannot import dotenv: pip install python-dotenv' : undefined;
  for (const { name, out, file } of CASES) {
    test(`dotenv read by ${reader.name}: ${name}`, () => {
      if (missing) throw new Error(missing);
      const result = reader.run(file);
      assert.ifError(result.error);
      assert.equal(result.status, 0, result.stderr.toString('utf8'));
      const want = new Map(credentialEnv(out).flatMap(({ name: k, value: v }) => (v === null ? [] : [[k, v] as const])));
      assert.deepEqual(reader.parse(result.stdout), want);
    });
  }
}
