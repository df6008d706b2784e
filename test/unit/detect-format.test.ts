// The format guess from the parent process, as tables: process trees in, format and reason out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectFormat, parseProcStat, parsePsTable, processAncestry, programName, shellFromAncestry, type Ancestry, type ProcessEntry,
} from '../../src/output/credentials/detect-format.ts';
import type { Format } from '../../src/output/credentials/formats.ts';

/** A process tree from a chain, nearest parent first: pids 100, 101, ... each the parent of the one before. */
function chain(...names: string[]): Ancestry {
  const table = new Map<number, ProcessEntry>(names.map((name, i) => [100 + i, { name, ppid: 100 + i + 1 }]));
  return { ppid: 100, lookup: (pid) => table.get(pid) };
}

const ANCESTRY: [string, Ancestry, Record<string, string>, Format, RegExp][] = [
  ['fish started from bash, SHELL=bash', chain('fish', 'bash', 'login'), { SHELL: '/bin/bash' }, 'fish', /parent process is fish \(pid 100\)/],
  ['zsh started from bash', chain('zsh', 'bash'), { SHELL: '/bin/bash' }, 'zsh', /parent process is zsh/],
  ['pwsh on Linux, login shell bash', chain('pwsh', 'bash'), { SHELL: '/bin/bash' }, 'powershell', /parent process is pwsh/],
  ['a login shell (-bash)', chain('-bash', 'sshd'), { SHELL: '/usr/bin/fish' }, 'bash', /parent process is bash/],
  ['a subshell of $(...) in dash', chain('dash', 'dash'), {}, 'sh', /parent process is dash/],
  ['past sudo and env', chain('sudo', 'env', 'fish'), { SHELL: '/bin/bash' }, 'fish', /fish \(pid 102\), past sudo, env/],
  ['npx in fish: npm\'s own sh -c is skipped', chain('sh', 'npm exec stsx', 'fish'), { SHELL: '/bin/bash' }, 'fish', /fish \(pid 102\), past sh run by npm, npm/],
  ['a node program that runs stsx, from zsh', chain('node', 'node', 'zsh'), { SHELL: '/bin/bash' }, 'zsh', /past node, node/],
  ['timeout', chain('timeout', 'bash'), { SHELL: '/usr/bin/fish' }, 'bash', /past timeout/],
  ['full paths and .exe', chain('/usr/local/bin/pwsh.exe'), {}, 'powershell', /parent process is pwsh/],
  // Not a shell and not a wrapper: the walk stops there and $SHELL decides, saying why.
  ['a terminal or IDE parent falls back to SHELL', chain('code', 'fish'), { SHELL: '/usr/bin/fish' }, 'fish', /parent process code \(pid 100\) is not a shell; SHELL is \/usr\/bin\/fish/],
  ['python parent, SHELL=bash', chain('python3'), { SHELL: '/bin/bash' }, 'bash', /python3 .* is not a shell; SHELL is \/bin\/bash/],
  ['an unreadable parent falls back to SHELL', { ppid: 100, lookup: () => undefined }, { SHELL: '/bin/zsh' }, 'zsh', /could not be read; SHELL is \/bin\/zsh/],
  ['too many wrappers', chain('env', 'env', 'env', 'env', 'env', 'fish'), { SHELL: '/bin/bash' }, 'bash', /no shell among the first 5 parent processes \(env, env, env, env, env\); SHELL/],
  ['a hostile process name is escaped', chain('evil\x1b]0;x\x07'), {}, 'sh', /evil\\x1b\]0;x\\x07 \(pid 100\) is not a shell/],
  ['an unknown shell as parent (tcsh) falls back', chain('tcsh'), { SHELL: '/usr/bin/fish' }, 'fish', /tcsh .* is not a shell/],
];
for (const [name, ancestry, env, format, reason] of ANCESTRY) {
  test(`detectFormat from the parent process: ${name}`, () => {
    const detected = detectFormat(env, 'linux', ancestry);
    assert.equal(detected.format, format, detected.reason);
    assert.match(detected.reason, reason);
    assert.doesNotMatch(detected.reason, /\p{Cc}/u);
  });
}

test('Windows ignores the ancestry (PSModulePath and SHELL decide)', () => {
  assert.equal(detectFormat({}, 'win32', chain('bash')).format, 'cmd');
});

test('without an ancestry, the environment rules apply as before', () => {
  assert.equal(detectFormat({ SHELL: '/usr/bin/fish' }, 'linux').format, 'fish');
  assert.equal(typeof shellFromAncestry(chain('fish')), 'object');
});

test('programName: login shells, paths, process titles, .exe', () => {
  assert.deepEqual(['-zsh', '/bin/bash', 'npm exec stsx', 'PWSH.EXE', 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', ''].map(programName), ['zsh', 'bash', 'npm', 'pwsh', 'pwsh', '']);
});

test('parseProcStat: names with spaces and parentheses, bad input', () => {
  assert.deepEqual(parseProcStat('4242 (fish) S 4000 4242 4242 34816 ...'), { name: 'fish', ppid: 4000 });
  assert.deepEqual(parseProcStat('77 (a) b (c)) R 12 77 77 0 ...'), { name: 'a) b (c)', ppid: 12 });
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('12 (x) S notanumber'), undefined);
});

test('parsePsTable: macOS ps output with paths containing spaces', () => {
  const table = parsePsTable('    1     0 /sbin/launchd\n  500     1 /Applications/Visual Studio Code.app/Contents/MacOS/Electron\n  600   500 -zsh\n\n');
  assert.deepEqual(table.get(500), { name: '/Applications/Visual Studio Code.app/Contents/MacOS/Electron', ppid: 1 });
  assert.deepEqual(table.get(600), { name: '-zsh', ppid: 500 });
});

test('processAncestry reads /proc on Linux, ps once on macOS, nothing elsewhere', () => {
  const reads: string[] = [];
  const linux = processAncestry({ platform: 'linux', ppid: 9, readProcFile: (p) => (reads.push(p), '9 (zsh) S 1 ...') });
  assert.deepEqual(linux?.lookup(9), { name: 'zsh', ppid: 1 });
  assert.deepEqual(reads, ['/proc/9/stat']);
  let psRuns = 0;
  const mac = processAncestry({ platform: 'darwin', ppid: 600, listProcesses: () => (psRuns++, '600 500 -fish\n500 1 /usr/bin/login\n') });
  assert.equal(psRuns, 0, 'ps runs only when a lookup is needed');
  assert.equal(mac?.lookup(600)?.name, '-fish');
  assert.equal(mac?.lookup(500)?.name, '/usr/bin/login');
  assert.equal(psRuns, 1);
  assert.equal(processAncestry({ platform: 'win32', ppid: 4 }), undefined);
  assert.equal(processAncestry({ platform: 'linux', readProcFile: () => '' }), undefined);
});
