// Completion through the shells' own machinery: bash's completion function with COMP_WORDS and
// COMP_CWORD, fish's `complete -C`, zsh through a pseudo-terminal, nushell's completer command;
// and `stsx __complete profiles` on a 5,000-profile config, timed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, runStsx, sandbox, STSX_ARGV, type Sandbox } from '../support/run-cli.ts';
import { sq } from '../support/shell.ts';
import { findNu, NU_MISSING } from '../support/nu.ts';
import { needPrerequisite } from '../support/prerequisites.ts';

function box(): Sandbox {
  const b = sandbox({ TERM: 'dumb' });
  const bin = path.join(b.home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'stsx'), `#!/bin/sh\nexec ${STSX_ARGV.map(sq).join(' ')} "$@"\n`);
  chmodSync(path.join(bin, 'stsx'), 0o755);
  b.env['PATH'] = `${bin}:${b.env['PATH'] ?? ''}`;
  // A command on PATH and files to complete, for the command line after `exec --` and file://.
  writeFileSync(path.join(bin, 'stsx-probe-cmd'), '#!/bin/sh\n');
  chmodSync(path.join(bin, 'stsx-probe-cmd'), 0o755);
  mkdirSync(path.join(b.home, 'd'));
  for (const f of ['trace.json', 'policy.json', 'other-file']) writeFileSync(path.join(b.home, 'd', f), '{}');
  b.writeConfig('[default]\nregion = us-west-2\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = default\n[profile prod-admin]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:1\n');
  b.writeCredentials('[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n[ci-keys]\naws_access_key_id = AKIAEXAMPLE2\naws_secret_access_key = secret\n');
  return b;
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

describe('bash: the completion function with COMP_WORDS and COMP_CWORD', () => {
  const b = box();
  const complete = (...words: string[]): string[] => {
    const script = `eval "$(stsx init bash)" || exit 9; COMP_WORDS=(${words.map(sq).join(' ')}); COMP_CWORD=${words.length - 1}; _stsx; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: b.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return lines(r.stdout);
  };
  test('subcommands', () => assert.deepEqual(complete('stsx', 'ca'), ['cache']));
  test('nested subcommands', () => assert.deepEqual(complete('stsx', 'cache', ''), ['list', 'clear']));
  test('flags of the command typed', () => assert.deepEqual(complete('stsx', 'assume', '--role'), ['--role-arn', '--role-session-name']));
  test('--format values from the FORMATS table', () => assert.ok(complete('stsx', 'assume', '--format', 'n').includes('nushell')));
  test('regions', () => assert.deepEqual(complete('stsx', 'whoami', '--region', 'eu-west-'), ['eu-west-1', 'eu-west-2', 'eu-west-3']));
  test('--profile names from both files, not sso-session or services sections', () => {
    assert.deepEqual(complete('stsx', 'assume', '--profile', ''), ['ci-keys', 'default', 'dev', 'prod-admin']);
  });
  test('a value is not taken for a subcommand', () => assert.deepEqual(complete('stsx', 'whoami', '--profile', 'cache', '--out'), ['--output']));
  test('init shells', () => assert.deepEqual(complete('stsx', 'init', ''), ['bash', 'zsh', 'fish', 'powershell', 'nu']));
  test('hostile profile names are neither run nor offered; glob characters do not glob', () => {
    const h = box();
    const marker = path.join(h.home, 'pwned');
    h.writeCredentials(`[$(touch${'${IFS}'}${marker})]\nx = 1\n[\`touch${'${IFS}'}${marker}\`]\nx = 1\n[*]\nx = 1\n[a\x1b[31m]\nx = 1\n[ok@example.com]\nx = 1\n`);
    const script = `eval "$(stsx init bash)"; COMP_WORDS=(stsx assume --profile ''); COMP_CWORD=3; _stsx; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: h.env, cwd: h.home, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['default', 'dev', 'ok@example.com', 'prod-admin']);
    assert.equal(spawnSync('test', ['-e', marker]).status, 1, 'nothing ran');
  });
});

/**
 * TAB in an interactive shell on a pseudo-terminal, one line after another (Ctrl-U clears each):
 * `lines` are [typed, what the shell must then show]; what it showed is returned.
 */
async function tabs(b: Sandbox, argv: string[], setup: string, lines: Array<[string, string]>): Promise<string> {
  needPrerequisite('python3');
  const steps: [string, string][] = [['', `${setup}\r`]];
  let ready = 'READY-2';
  for (const [typed, shown] of lines) {
    steps.push([ready, `\x15${typed}\t`]);
    ready = shown;
  }
  steps.push([ready, '\x15exit\r']);
  const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), ...argv], { env: { ...b.env, PTY_DRIVE_TIMEOUT: '60' }, cwd: b.home, encoding: 'utf8' });
  const transcript = (JSON.parse(stdout) as { transcript: string }).transcript;
  return transcript.slice(transcript.indexOf('READY-2'));
}

// What each shell must complete beyond words: the = form, the command after exec's --, file://
// paths, and anything else left to the shell's own file completion (bash: complete -o default).
const LINE_CASES: Array<[string, string]> = [
  ['stsx assume --profile=prod-', '--profile=prod-admin'],
  ['stsx exec --profile dev -- stsx-probe-', 'stsx-probe-cmd'],
  ['stsx decode file://d/tr', 'file://d/trace.json'],
  ['stsx assume --policy file://d/po', 'file://d/policy.json'],
  ['stsx exec -- cat d/oth', 'd/other-file'],
];

describe('TAB in interactive bash and zsh: --flag=, exec -- COMMAND, file://, files', () => {
  test('bash', async () => {
    const b = box();
    needPrerequisite('bash');
    const shown = await tabs(b, ['bash', '--norc', '--noprofile', '-i'], `eval "$(stsx init bash)"; printf '%s-%s\\n' READY 2`, LINE_CASES);
    for (const [typed, want] of LINE_CASES) assert.ok(shown.includes(want), `${typed}: ${want} not shown in ${JSON.stringify(shown)}`);
  });
  test('zsh', async () => {
    const b = box();
    needPrerequisite('zsh');
    const shown = await tabs(b, ['zsh', '-f', '-i'], 'eval "$(stsx init zsh)"; print READY-$((1+1))', LINE_CASES);
    for (const [typed, want] of LINE_CASES) assert.ok(shown.includes(want), `${typed}: ${want} not shown in ${JSON.stringify(shown)}`);
  });
});

describe('fish: complete -C', () => {
  test('--flag=, exec -- COMMAND, file://, files', () => {
    needPrerequisite('fish');
    const b = box();
    for (const [typed, want] of LINE_CASES) {
      const r = spawnSync('fish', ['--no-config', '-c', `stsx init fish | source; or exit 9; complete -C ${sq(typed)}`], { env: b.env, cwd: b.home, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(lines(r.stdout).map((l) => l.split('\t')[0]).includes(want), `${typed}: ${r.stdout}`);
    }
  });
  test('each profile is described by its kind and role, as stsx profiles shows it', () => {
    const b = box();
    const r = spawnSync('fish', ['--no-config', '-c', `stsx init fish | source; complete -C ${sq('stsx assume --profile ')}; complete -C ${sq('stsx whoami ')}`], { env: b.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = lines(r.stdout);
    for (const want of ['dev\trole arn:aws:iam::123456789012:role/Dev', 'default\tkeys', 'ci-keys\tkeys']) assert.equal(got.filter((l) => l === want).length, 2, `${want} in ${JSON.stringify(got)}`);
  });
  const b = box();
  const complete = (line: string): string[] => {
    const r = spawnSync('fish', ['--no-config', '-c', `stsx init fish | source; or exit 9; complete -C ${sq(line)}`], { env: b.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return lines(r.stdout).map((l) => l.split('\t')[0] ?? '');
  };
  test('subcommands', () => assert.deepEqual(complete('stsx se'), ['session-token']));
  test('flags', () => assert.deepEqual(complete('stsx cache clear --'), ['--debug', '--help', '--role-arn']));
  test('--profile names', () => assert.deepEqual(complete('stsx whoami --profile d').sort(), ['default', 'dev']));
  test('regions and formats', () => {
    assert.ok(complete('stsx assume --region ap-northeast-').includes('ap-northeast-3'));
    assert.deepEqual(complete('stsx unset --format pw'), ['pwsh']);
  });
});

describe('zsh: through a pseudo-terminal', () => {
  test('TAB completes a subcommand and a profile name', async () => {
    const b = box();
    const steps: [string, string][] = [
      ['', 'eval "$(stsx init zsh)"; print READY-$((1+1))\r'],
      ['READY-2', 'stsx sess\t'],
      ['session-token', ' --profile prod-\t'],
      // Ctrl-U drops the line instead of running it.
      ['prod-admin', '\x15exit\r'],
    ];
    const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), 'zsh', '-f', '-i'], { env: { ...b.env, PTY_DRIVE_TIMEOUT: '60' }, cwd: b.home, encoding: 'utf8' });
    // Without the terminal's escape sequences: what the line shows.
    const transcript = (JSON.parse(stdout) as { transcript: string }).transcript;
    // Typed were `sess` and `prod-`: zsh wrote the rest.
    const typed = transcript.slice(transcript.indexOf('READY-2'));
    assert.match(typed, /session-token/, transcript);
    assert.match(typed, /prod-admin/, transcript);
  });
});

describe('nushell: the completer command of stsx init nu', () => {
  const nu = findNu();
  before(() => assert.ok(nu, NU_MISSING));
  test('subcommands, flags and profiles', () => {
    const b = box();
    const file = path.join(b.home, 'stsx.nu');
    writeFileSync(file, spawnSync(STSX_ARGV[0] ?? '', [...STSX_ARGV.slice(1), 'init', 'nu'], { env: b.env, encoding: 'utf8' }).stdout);
    const r = spawnSync(nu ?? 'nu', ['-n', '--no-std-lib', '-c', `source ${JSON.stringify(file)}; nu-complete stsx [stsx cache ""] | to json -r | print; nu-complete stsx [stsx assume --profile p] | to json -r | print`], { env: b.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['["list","clear"]', '["prod-admin"]']);
  });
  test('TAB: flags (stsx whoami --pro), --flag=, exec -- COMMAND, file://, and nushell\'s own files', async () => {
    const b = box();
    const file = path.join(b.home, 'stsx.nu');
    writeFileSync(file, spawnSync(STSX_ARGV[0] ?? '', [...STSX_ARGV.slice(1), 'init', 'nu'], { env: b.env, encoding: 'utf8' }).stdout);
    const cases: Array<[string, string]> = [['stsx whoami --prof', 'stsx whoami --profile'], ...LINE_CASES];
    const shown = await tabs(b, [nu ?? 'nu', '-n', '--no-std-lib', '-i'], `source ${JSON.stringify(file)}; ^printf '%s-%s\\n' READY 2`, cases);
    for (const [typed, want] of cases) assert.ok(shown.includes(want), `${typed}: ${want} not shown in ${JSON.stringify(shown)}`);
    assert.doesNotMatch(shown, /NO RECORDS FOUND/);
  });
  test('TAB in an interactive nu completes through it', async () => {
    const b = box();
    const file = path.join(b.home, 'stsx.nu');
    writeFileSync(file, spawnSync(STSX_ARGV[0] ?? '', [...STSX_ARGV.slice(1), 'init', 'nu'], { env: b.env, encoding: 'utf8' }).stdout);
    const steps: [string, string][] = [
      ['', `source ${JSON.stringify(file)}; ^printf '%s-%s\\n' READY 2\r`],
      ['READY-2', 'stsx cache cl\t'],
      ['clear', '\x15exit\r'],
    ];
    const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), nu ?? 'nu', '-n', '--no-std-lib', '-i'], { env: { ...b.env, PTY_DRIVE_TIMEOUT: '60' }, cwd: b.home, encoding: 'utf8' });
    const transcript = (JSON.parse(stdout) as { transcript: string }).transcript;
    // Typed was `cl`: the completer wrote the rest.
    assert.match(transcript.slice(transcript.indexOf('READY-2')), /stsx cache clear/, transcript);
  });
});

// Names come from the header lines alone (parse-ini.ts sectionKeys), no SDK. Measured twice: the
// whole `stsx __complete profiles` against `stsx --help`, and the reading of the names itself,
// cold, in a fresh process, in CPU time (wall time on a shared CI machine is mostly waiting).
// Both are printed; the bound is deliberately loose (an idle machine reads them in ~15-30 ms),
// so that it catches a change of order (a full parse, the SDK) rather than a busy neighbour.
test('stsx __complete profiles: 5,000 profiles (30,000 lines)', async () => {
  const b = box();
  const config: string[] = [];
  for (let i = 0; i < 5000; i += 1) config.push(`[profile p${i}]`, `role_arn = arn:aws:iam::123456789012:role/R${i}`, 'source_profile = default', `region = us-west-2`, `mfa_serial = arn:aws:iam::123456789012:mfa/u${i}`, '');
  b.writeConfig(config.join('\n'));
  const time = async (args: string[]): Promise<number> => {
    let best = Infinity;
    for (let i = 0; i < 3; i += 1) {
      const start = process.hrtime.bigint();
      const r = await runStsx(args, { env: b.env });
      assert.equal(r.code, 0, r.stderr);
      if (args[0] === '__complete') assert.equal(lines(r.stdout).length, 5002, 'p0..p4999, default and ci-keys');
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    return best;
  };
  const baseline = await time(['--help']);
  const whole = await time(['__complete', 'profiles']);
  const probe = `const { profileNames } = await import(${JSON.stringify(path.join(ROOT, 'src/completion/profile-names.ts'))});
const fs = await import('node:fs/promises');
const start = process.cpuUsage();
const names = await profileNames(process.env, ${JSON.stringify(b.home)}, (f) => fs.readFile(f, 'utf8'));
const used = process.cpuUsage(start);
console.log(JSON.stringify({ ms: (used.user + used.system) / 1000, count: names.length }));`;
  const readings: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env: b.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { ms, count } = JSON.parse(r.stdout) as { ms: number; count: number };
    assert.equal(count, 5002);
    readings.push(ms);
  }
  const cold = Math.min(...readings);
  process.stdout.write(`# __complete profiles (5,000): ${whole.toFixed(1)} ms, stsx --help: ${baseline.toFixed(1)} ms, reading the names (cold, CPU): ${cold.toFixed(1)} ms\n`);
  assert.ok(cold < 250, `reading 5,000 profile names took ${cold.toFixed(1)} ms of CPU`);
});
