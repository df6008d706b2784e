// `npm run bench`: how fast and how big stsx is next to a bare `node -e 0` and the AWS CLI.
// Every command runs against the project's STS emulator on loopback, so no AWS account or network
// noise is involved; scripts/bench-measure.py times each run (perf_counter around posix_spawn +
// wait4) and reads its peak memory from wait4's rusage. Flags: --runs N (default 15, after one
// discarded warm-up per row), --json (raw results on stdout instead of the table), --only WORDS
// (comma-separated: only the rows whose name has one of them, with the floors; the targets of rows
// left out read NaN). Every row reports wall time and CPU time (user + system, from rusage), each
// also as the milliseconds above the floor's.
//
// Order: rows run one after another in blocks (one bench-measure.py call per row), not
// interleaved, so each row's warm-up fills exactly its own caches (page cache, Node's compile
// cache in the temp XDG_CACHE_HOME, Python's bytecode for aws). To catch a machine that got
// busier or quieter meanwhile, the floor is measured first and again last: the floor used for the
// ratios is the median of both blocks, and a drift over 15% is reported.
//
// When dist-bin/stsx-linux-x64 exists (`npm run build:binaries`), or --binary PATH names one, the
// single executable gets the same rows beside `node bin/stsx.js`, and its size is reported.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { common } from './build-options.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const stsx = path.join(root, 'bin', 'stsx.js');
const AWS_V2 = '/usr/bin/aws'; // the `aws` on PATH may be a pyenv shim for CLI v1
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

const args = process.argv.slice(2);
const FLOOR_IN_TURN = 'node -e 0 (in turn with the next five)';
const runsArg = args.includes('--runs') ? args[args.indexOf('--runs') + 1] : '15';
const runs = Number(runsArg);
const asJson = args.includes('--json');
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : undefined;
const binaryArg = args.includes('--binary') ? args[args.indexOf('--binary') + 1] : undefined;
const builtBinary = path.join(root, 'dist-bin', 'stsx-linux-x64');
const binary = binaryArg ? path.resolve(binaryArg) : existsSync(builtBinary) ? builtBinary : undefined;
if (binary && !existsSync(binary)) {
  console.error(`bench: --binary ${binary} does not exist (npm run build:binaries)`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs needs a positive integer, got ${String(runsArg)}`);
  process.exit(2);
}

interface Collected { code: number | null; stdout: string; stderr: string }
function collect(cmd: string, argv: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Collected> {
  // Asynchronous on purpose: nothing here may block the event loop while children run.
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * `env`: variables added to (or replacing) the shared environment for this row only. `group`:
 * rows next to each other with the same group are measured in turn (A B A B ...), not one block
 * after the other: a target that is a ratio between them then compares the same seconds.
 */
interface Row { name: string; argv: string[]; stdoutHas?: string[]; stderrHas?: string[]; env?: Record<string, string>; group?: string }
interface Measured extends Row { wallMs: number[]; cpuMs: number[]; maxRssKb: number[]; warmup: Array<{ wallMs: number; cpuMs: number; maxRssKb: number }> }
interface MeasureResult { wallMs: number[]; cpuMs: number[]; maxRssKb: number[]; warmup: Measured['warmup'] }
interface MeasureOutput extends Partial<MeasureResult> { ok: boolean; error?: string; run?: number; spec?: number; stdout?: string; stderr?: string; results?: MeasureResult[] }

async function measure(row: Row, env: Record<string, string>): Promise<Measured> {
  const [measured] = await measureInTurn([row], env);
  if (!measured) throw new Error(`"${row.name}" was not measured`);
  return measured;
}

/** The rows taken in turn, one run of each after the other (a single row: its runs in a block). */
async function measureInTurn(group: Row[], env: Record<string, string>): Promise<Measured[]> {
  if (!asJson) process.stderr.write(`bench: ${group.map((r) => r.name).join(' | ')} (${runs + 1} runs${group.length > 1 ? ' each, in turn' : ''})\n`);
  const specOf = (row: Row): object => ({ argv: row.argv, env: { ...env, ...row.env }, stdoutHas: row.stdoutHas ?? [], stderrHas: row.stderrHas ?? [] });
  const spec = group.length === 1 && group[0] ? { ...specOf(group[0]), runs, warmup: 1 } : { interleave: group.map(specOf), runs, warmup: 1 };
  const r = await collect('python3', [path.join(root, 'scripts', 'bench-measure.py')], { input: JSON.stringify(spec) });
  const names = group.map((row) => row.name).join(', ');
  let out: MeasureOutput;
  try {
    out = JSON.parse(r.stdout) as MeasureOutput;
  } catch {
    throw new Error(`bench-measure.py crashed on "${names}" (exit ${String(r.code)}):\n${r.stderr}`);
  }
  if (!out.ok) {
    const row = group[out.spec ?? 0];
    const run = out.run === 0 ? 'the warm-up run' : `run ${String(out.run)}`;
    throw new Error(`"${row?.name ?? names}" failed on ${run}: ${String(out.error)}\n$ ${row?.argv.join(' ') ?? ''}\n` +
      `--- stdout ---\n${out.stdout ?? ''}\n--- stderr ---\n${out.stderr ?? ''}`);
  }
  const results: MeasureResult[] = out.results ?? [{ wallMs: out.wallMs ?? [], cpuMs: out.cpuMs ?? [], maxRssKb: out.maxRssKb ?? [], warmup: out.warmup ?? [] }];
  return group.map((row, i) => ({ ...row, ...(results[i] ?? { wallMs: [], cpuMs: [], maxRssKb: [], warmup: [] }) }));
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
function median(xs: number[]): number {
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
const p90 = (xs: number[]): number => sorted(xs)[Math.ceil(0.9 * xs.length) - 1] ?? NaN; // nearest rank
const mb = (kb: number): number => (kb * 1024) / 1e6; // ru_maxrss is KiB; report MB = 10^6 bytes
const peakMb = (m: Measured): number => mb(Math.max(...m.maxRssKb));

const SDK_ALONE = 'AWS SDK alone: GetCallerIdentity';
/**
 * scripts/bench-sdk-floor.ts built as one file with dist/'s settings, and a launcher that enables
 * Node's compile cache as bin/stsx.js does: the SDK's own cost of whoami, with nothing of stsx.
 */
async function sdkAlone(dir: string): Promise<string> {
  const out = path.join(dir, 'sdk-alone');
  await build({ ...common, entryPoints: { 'sdk-floor': path.join(root, 'scripts', 'bench-sdk-floor.ts') }, outdir: out, splitting: false, sourcemap: false, metafile: false, legalComments: 'none' });
  const launcher = path.join(out, 'launch.mjs');
  writeFileSync(launcher, `import module from 'node:module';\nmodule.enableCompileCache(${JSON.stringify(path.join(dir, 'sdk-alone-cache'))});\nawait import('./sdk-floor.js');\n`);
  return launcher;
}

interface Seed { url: string; users: Array<{ accessKeyId: string; secretAccessKey: string; arn: string }>; roles: string[] }
// The STS server lives in its own process so its CPU time never lands in this one or in a child.
async function startServer(): Promise<{ seed: Seed; stop: () => void }> {
  const child = spawn(node, [path.join(root, 'test', 'support', 'sts-server.ts'), '--port', '0', '--seed-demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => { rl.close(); resolve(l); });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the STS server exited early (code ${String(code)})`)));
  });
  return { seed: JSON.parse(line) as Seed, stop: () => void child.kill('SIGTERM') };
}

/**
 * Profiles `p${first}`..`p${count - 1}` in 6 lines each, after a `keys` profile with the
 * emulator's user's keys: p0 runs a credential_process, the others are roles on it, every other
 * one chained through its neighbour; the last is the emulator's role through `source_profile =
 * keys`, so `whoami --profile` and `assume --profile` reach STS with it. `first` = count - 1 gives
 * the same last profile in a 10-line file.
 */
function generatedConfig(count: number, lastRole: string, keys: { accessKeyId: string; secretAccessKey: string }, first = 0): string {
  const lines: string[] = ['[profile keys]', `aws_access_key_id = ${keys.accessKeyId}`, `aws_secret_access_key = ${keys.secretAccessKey}`, ''];
  for (let i = first; i < count; i += 1) {
    const [credentials, source] =
      i === 0 ? ['credential_process = /bin/false', 'output = json']
      : i === count - 1 ? [`role_arn = ${lastRole}`, 'source_profile = keys']
      : [`role_arn = arn:aws:iam::${String(100000000000 + i)}:role/Role${i}`, `source_profile = ${i % 2 === 1 ? 'p0' : `p${i - 1}`}`];
    const mfa = i === count - 1 ? 'role_session_name = bench-profile' : 'mfa_serial = arn:aws:iam::100000000000:mfa/bench';
    lines.push(`[profile p${i}]`, credentials, source, 'region = eu-west-1', mfa, '');
  }
  return lines.join('\n');
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGB: Math.round(os.totalmem() / 1e8) / 10,
    kernel: os.release(), node: process.version, date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const server = await startServer();
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-bench-'));
  try {
    const { url, users, roles } = server.seed;
    const user = users[0];
    const role = roles[0];
    if (!user || !role) throw new Error('the STS server seeded no user or role');
    // A clean, isolated environment: nothing from ~/.aws, the npm run env or a real cache leaks in.
    const env: Record<string, string> = {
      PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'),
      AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
      AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', LANG: 'C.UTF-8',
    };
    const assumeHit = ['assume', '--role-arn', role, '--role-session-name', 'bench', '--format', 'bash', '--endpoint-url', url];
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    // ${VAR:?} makes bash fail when eval got nothing, since `eval ""` alone succeeds.
    const bashScript = `eval "$(${[node, stsx, ...assumeHit].map(q).join(' ')})" && printf 'token=%s\\n' "\${AWS_SESSION_TOKEN:?}"`;

    const floor: Row = { name: 'node -e 0 (floor)', argv: [node, '-e', '0'] };
    const rows: Row[] = [
      floor,
      // The rows whose targets are ratios to the floor come right after it, taken in turn with a
      // floor of their own: spliced in here below, once the cache is warm.
      { name: 'stsx --help', argv: [node, stsx, '--help'], stdoutHas: ['Usage: stsx'] },
      { name: 'stsx assume --no-cache (miss)', argv: [node, stsx, 'assume', '--role-arn', role, '--no-cache', '--format', 'bash', '--endpoint-url', url], stdoutHas: ['export AWS_SESSION_TOKEN='], stderrHas: ['stsx: assumed'] },
      { name: 'bash eval "$(stsx assume)" (hit)', argv: ['/bin/bash', '-c', bashScript], stdoutHas: ['token='], stderrHas: ['using cached'] },
    ];
    if (binary) {
      // Each binary row in turn with the same command through `node bin/stsx.js`: its target is
      // the ratio of the two.
      const pairs: Array<[string, string[], Pick<Row, 'stdoutHas' | 'stderrHas'>]> = [
        ['--version', ['--version'], { stdoutHas: [version] }],
        ['--help', ['--help'], { stdoutHas: ['Usage: stsx'] }],
        ['whoami', ['whoami', '--endpoint-url', url], { stdoutHas: [user.arn] }],
        ['assume (cache hit)', assumeHit, { stdoutHas: ['export AWS_SESSION_TOKEN='], stderrHas: ['using cached'] }],
      ];
      for (const [name, argv, expect] of pairs) {
        rows.push({ name: `node bin/stsx.js ${name} (in turn)`, argv: [node, stsx, ...argv], ...expect, group: `binary ${name}` });
        rows.push({ name: `binary ${name}`, argv: [binary, ...argv], ...expect, group: `binary ${name}` });
      }
    }
    // `stsx profiles` on a generated config of 5,000 profiles (30,000 lines): role profiles on one
    // key profile, every other one chained through its neighbour, as a large organisation's file.
    const bigConfig = path.join(home, 'config-5000');
    writeFileSync(bigConfig, generatedConfig(5000, role, user));
    // Their targets are ratios to `stsx --help`: measured in turn with it, not minutes apart.
    rows.push({ name: 'stsx --help (in turn with the next two)', argv: [node, stsx, '--help'], stdoutHas: ['Usage: stsx'], group: 'help' });
    rows.push({ name: 'stsx profiles (5,000 profiles)', argv: [node, stsx, 'profiles'], env: { AWS_CONFIG_FILE: bigConfig }, stdoutHas: ['p4999 ', 'cached until'], group: 'help' });
    // What a TAB after `--profile` runs (the completion scripts call `stsx __complete profiles`).
    rows.push({ name: 'stsx __complete profiles (5,000)', argv: [node, stsx, '__complete', 'profiles'], env: { AWS_CONFIG_FILE: bigConfig }, stdoutHas: ['\np4999\n'], group: 'help' });
    // The same commands on the same role profile, in a 10-line config and in the 30,000-line
    // one: each pair measured in turn, so their ratio is from the same seconds.
    const smallConfig = path.join(home, 'config-10-lines');
    writeFileSync(smallConfig, generatedConfig(5000, role, user, 4999));
    const configs = [['10-line config', smallConfig], ['30,000-line config', bigConfig]] as const;
    const sizedCommands: Array<{ cmd: string; argv: string[]; stdoutHas: string[]; stderrHas?: string[] }> = [
      { cmd: 'stsx whoami --profile p4999', argv: ['whoami', '--profile', 'p4999', '--endpoint-url', url], stdoutHas: [':assumed-role/'] },
      { cmd: 'stsx assume --profile p4999 (hit)', argv: ['assume', '--profile', 'p4999', '--format', 'bash', '--endpoint-url', url], stdoutHas: ['export AWS_SESSION_TOKEN='], stderrHas: ['using cached'] },
      { cmd: 'stsx --help', argv: ['--help'], stdoutHas: ['Usage: stsx'] },
    ];
    for (const c of sizedCommands) {
      for (const [size, file] of configs) rows.push({ name: `${c.cmd}, ${size}`, argv: [node, stsx, ...c.argv], env: { AWS_CONFIG_FILE: file }, stdoutHas: c.stdoutHas, ...(c.stderrHas ? { stderrHas: c.stderrHas } : {}), group: c.cmd });
    }
    const hasAws = existsSync(AWS_V2);
    if (hasAws) {
      rows.push(
        { name: 'aws sts get-caller-identity', argv: [AWS_V2, 'sts', 'get-caller-identity', '--endpoint-url', url], stdoutHas: [user.arn] },
        { name: 'aws sts assume-role', argv: [AWS_V2, 'sts', 'assume-role', '--role-arn', role, '--role-session-name', 'bench', '--endpoint-url', url], stdoutHas: ['"SessionToken"'] },
      );
    }

    // Warm the cache once, outside the measurement, so every cache-hit run (warm-up included) is a hit.
    const warm = await collect(node, [stsx, ...assumeHit], { env });
    if (warm.code !== 0) throw new Error(`warming the cache failed (exit ${String(warm.code)}):\n${warm.stderr}`);
    // The cached credentials, exported, for `status --prompt`; and one profile's cached session for `profiles`.
    const hit = await collect(node, [stsx, ...assumeHit.map((a) => (a === 'bash' ? 'json' : a))], { env });
    const exported = JSON.parse(hit.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    rows.splice(1, 0,
      { name: FLOOR_IN_TURN, argv: [node, '-e', '0'], group: 'floor' },
      { name: 'stsx --version', argv: [node, stsx, '--version'], stdoutHas: [version], group: 'floor' },
      { name: 'stsx assume (cache hit)', argv: [node, stsx, ...assumeHit], stdoutHas: ['export AWS_SESSION_TOKEN='], stderrHas: ['using cached'], group: 'floor' },
      { name: 'stsx status --prompt', argv: [node, stsx, 'status', '--prompt'], stdoutHas: [`@${role.split(':')[4] ?? ''} `], group: 'floor',
        env: { AWS_ACCESS_KEY_ID: exported.AccessKeyId, AWS_SECRET_ACCESS_KEY: exported.SecretAccessKey, AWS_SESSION_TOKEN: exported.SessionToken, AWS_CREDENTIAL_EXPIRATION: exported.Expiration } },
      { name: 'stsx whoami', argv: [node, stsx, 'whoami', '--endpoint-url', url], stdoutHas: [user.arn], group: 'floor' },
      { name: SDK_ALONE, argv: [node, await sdkAlone(home), url], stdoutHas: [user.arn], group: 'floor' },
      // A TAB after --profile in an ordinary config (the 5,000-profile one is measured against --help below).
      { name: 'stsx __complete profiles (10-line config)', argv: [node, stsx, '__complete', 'profiles'], env: { AWS_CONFIG_FILE: smallConfig }, stdoutHas: ['\np4999\n'], group: 'floor' },
    );
    for (const [size, file] of configs) {
      const profileWarm = await collect(node, [stsx, 'assume', '--profile', 'p4999', '--format', 'json', '--endpoint-url', url], { env: { ...env, AWS_CONFIG_FILE: file } });
      if (profileWarm.code !== 0) throw new Error(`caching a session for profile p4999 (${size}) failed (exit ${String(profileWarm.code)}):\n${profileWarm.stderr}`);
    }

    if (only) {
      const kept = rows.filter((r) => r === floor || r.name === FLOOR_IN_TURN || only.some((w) => r.name.includes(w)));
      rows.splice(0, rows.length, ...kept);
    }
    const measured: Measured[] = [];
    for (let i = 0; i < rows.length; ) {
      const group = [rows[i] as Row];
      while (group[0]?.group !== undefined && rows[i + group.length]?.group === group[0].group) group.push(rows[i + group.length] as Row);
      measured.push(...(await measureInTurn(group, env)));
      i += group.length;
    }
    const floorEnd = await measure({ ...floor, name: 'node -e 0 (floor, again)' }, env);
    const floorStart = measured[0];
    if (!floorStart) throw new Error('no floor measured');
    const floorMs = median([...floorStart.wallMs, ...floorEnd.wallMs]);
    const floorCpuMs = median([...floorStart.cpuMs, ...floorEnd.cpuMs]);
    const drift = median(floorEnd.wallMs) / median(floorStart.wallMs) - 1;

    const byName = (n: string): Measured | undefined => measured.find((m) => m.name === n);
    const HELP_IN_TURN = 'stsx --help (in turn with the next two)';
    const med = (n: string): number => median(byName(n)?.wallMs ?? []);
    // Targets against the floor use the floor taken in turn with them.
    const ratio = (n: string): number => med(n) / med(FLOOR_IN_TURN);
    const above = (n: string): number => med(n) - med(FLOOR_IN_TURN);
    const cpuAbove = (n: string): number => median(byName(n)?.cpuMs ?? []) - median(byName(FLOOR_IN_TURN)?.cpuMs ?? []);
    const againstFloor = (n: string, limit: number, ms?: number): { target: string; pass: boolean; detail: string } => ({
      target: `${n} <= ${String(limit)}x floor${ms === undefined ? '' : ` and <= ${String(ms)} ms above it`}`,
      pass: ratio(n) <= limit && (ms === undefined || above(n) <= ms),
      detail: `${ratio(n).toFixed(2)}x, +${above(n).toFixed(1)} ms (CPU +${cpuAbove(n).toFixed(1)} ms); floor ${med(FLOOR_IN_TURN).toFixed(1)} ms, in turn`,
    });
    const whoami = byName('stsx whoami');
    const targets: Array<{ target: string; pass: boolean | null; detail: string; info?: true }> = [
      againstFloor('stsx --version', 1.3),
      againstFloor('stsx assume (cache hit)', 1.5, 25),
      againstFloor('stsx status --prompt', 1.3),
      againstFloor('stsx __complete profiles (10-line config)', 1.3),
      { target: 'stsx profiles (5,000 profiles) <= 1.5x stsx --help', pass: med('stsx profiles (5,000 profiles)') / med(HELP_IN_TURN) <= 1.5,
        detail: `${(med('stsx profiles (5,000 profiles)') / med(HELP_IN_TURN)).toFixed(2)}x (${med('stsx profiles (5,000 profiles)').toFixed(0)} ms vs ${med(HELP_IN_TURN).toFixed(0)} ms, in turn)` },
      { target: 'stsx __complete profiles (5,000 profiles) <= 1.5x stsx --help', pass: med('stsx __complete profiles (5,000)') / med(HELP_IN_TURN) <= 1.5,
        detail: `${(med('stsx __complete profiles (5,000)') / med(HELP_IN_TURN)).toFixed(2)}x; ${med('stsx __complete profiles (5,000)').toFixed(0)} ms against the 100 ms budget of a TAB (${med('stsx __complete profiles (5,000)') < 100 ? 'under' : 'over'})` },
      ...sizedCommands.map(({ cmd }) => {
        const [small, big] = [med(`${cmd}, 10-line config`), med(`${cmd}, 30,000-line config`)];
        return { target: `${cmd} 30,000-line config <= 1.2x 10-line config`, pass: big / small <= 1.2, detail: `${(big / small).toFixed(2)}x (${big.toFixed(0)} ms vs ${small.toFixed(0)} ms)` };
      }),
      againstFloor('stsx whoami', 2.5, 90),
      // Not a target: what of whoami is the SDK's, measured in turn with it (docs/benchmarks.md).
      { target: `stsx whoami minus "${SDK_ALONE}" (stsx's own part)`, pass: null, info: true,
        detail: `SDK alone ${ratio(SDK_ALONE).toFixed(2)}x, +${above(SDK_ALONE).toFixed(1)} ms (CPU +${cpuAbove(SDK_ALONE).toFixed(1)} ms); whoami +${(med('stsx whoami') - med(SDK_ALONE)).toFixed(1)} ms above it (CPU +${(cpuAbove('stsx whoami') - cpuAbove(SDK_ALONE)).toFixed(1)} ms)` },
      hasAws
        ? { target: 'stsx whoami >= 6x faster than aws sts get-caller-identity', pass: med('aws sts get-caller-identity') / med('stsx whoami') >= 6,
          detail: `${(med('aws sts get-caller-identity') / med('stsx whoami')).toFixed(1)}x (${med('aws sts get-caller-identity').toFixed(0)} ms vs ${med('stsx whoami').toFixed(0)} ms)` }
        : { target: 'stsx whoami >= 6x faster than aws sts get-caller-identity', pass: null, detail: `skipped: ${AWS_V2} not found` },
      { target: 'stsx whoami peak memory < 90 MB', pass: whoami ? peakMb(whoami) < 90 : false, detail: whoami ? `${peakMb(whoami).toFixed(1)} MB` : 'not measured' },
      ...measured.filter((m) => m.name.startsWith('binary ')).map((m) => {
        const viaNode = byName(`node bin/stsx.js ${m.name.slice('binary '.length)} (in turn)`);
        const [b, n] = [median(m.wallMs), median(viaNode?.wallMs ?? [])];
        const [bc, nc] = [median(m.cpuMs), median(viaNode?.cpuMs ?? [])];
        return { target: `${m.name} <= 1.05x node bin/stsx.js`, pass: b / n <= 1.05,
          detail: `${(b / n).toFixed(2)}x (${b.toFixed(0)} ms vs ${n.toFixed(0)} ms, in turn; CPU ${(bc / nc).toFixed(2)}x, ${bc.toFixed(0)} vs ${nc.toFixed(0)} ms)` };
      }),
    ];
    const info = machine();

    if (asJson) {
      const rowsOut = [...measured, floorEnd].map((m) => ({
        name: m.name, argv: m.argv, medianMs: median(m.wallMs), p90Ms: p90(m.wallMs), ratioToFloor: median(m.wallMs) / floorMs, msAboveFloor: median(m.wallMs) - floorMs,
        medianCpuMs: median(m.cpuMs), cpuMsAboveFloor: median(m.cpuMs) - floorCpuMs, peakRssMB: peakMb(m), wallMs: m.wallMs, cpuMs: m.cpuMs, maxRssKb: m.maxRssKb, warmup: m.warmup,
      }));
      process.stdout.write(JSON.stringify({ machine: info, runs, warmup: 1, stsUrl: url, floorMs, floorCpuMs, floorDrift: drift, awsCli: hasAws ? AWS_V2 : null,
        binary: binary ? { file: binary, bytes: statSync(binary).size } : null, rows: rowsOut, targets }, null, 2) + '\n');
      return;
    }

    const out: string[] = [];
    out.push(`stsx ${version} benchmark: ${runs} runs per row after 1 discarded warm-up; STS emulator at ${url} (separate process)`);
    out.push(`machine: ${String(info.cpu)}, ${String(info.cores)} cores, ${String(info.memoryGB)} GB RAM, Linux ${String(info.kernel)}, Node ${String(info.node)}, ${String(info.date)}`);
    out.push('');
    const header = ['command', 'median ms', 'p90 ms', 'x floor', '+ms floor', 'CPU ms', '+CPU ms', 'peak RSS MB'];
    const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
    const lines = measured.map((m) => [m.name, median(m.wallMs).toFixed(1), p90(m.wallMs).toFixed(1), (median(m.wallMs) / floorMs).toFixed(2), signed(median(m.wallMs) - floorMs),
      median(m.cpuMs).toFixed(1), signed(median(m.cpuMs) - floorCpuMs), peakMb(m).toFixed(1)]);
    const width = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
    const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join('  ');
    out.push(fmt(header), width.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt));
    if (!hasAws) out.push(`aws CLI rows skipped: ${AWS_V2} (AWS CLI v2) not found`);
    if (binary) out.push(`"binary" = ${path.relative(root, binary)}, ${(statSync(binary).size / 1e6).toFixed(1)} MB (a single executable, no Node needed)`);
    out.push('');
    out.push(`floor = median of node -e 0 measured first and last: ${floorMs.toFixed(1)} ms (first ${median(floorStart.wallMs).toFixed(1)} ms, last ${median(floorEnd.wallMs).toFixed(1)} ms` +
      `${Math.abs(drift) > 0.15 ? `; drift ${(drift * 100).toFixed(0)}%: the machine's load changed, take the ratios with care` : ''})`);
    out.push(`+ms floor, +CPU ms: the median above the floor's (wall ${floorMs.toFixed(1)} ms, CPU ${floorCpuMs.toFixed(1)} ms); CPU = user + system time (wait4 rusage), steadier than wall time on a shared machine`);
    out.push('"stsx" = node bin/stsx.js; peak RSS = max over runs of wait4 ru_maxrss (the bash row counts its node child); MB = 10^6 bytes');
    out.push('');
    out.push('targets:');
    for (const t of targets) out.push(`  ${t.info ? 'INFO' : t.pass === null ? 'SKIP' : t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.detail}`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

// A failed command aborts with its output; a missed target does not (this is a report, not a test).
main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
