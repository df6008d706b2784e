// Windows command lookup (PATH, PATHEXT) and cmd.exe quoting for .cmd/.bat, as tables: pure
// functions, tested on any OS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBatchFile, quoteCmdArgument, resolveWindowsCommand, windowsSpawnPlan } from '../../src/exec/windows.ts';
import { UsageError } from '../../src/errors.ts';

const FILES = new Set([
  'C:\\work\\tool.cmd',
  'C:\\bin\\terraform.exe',
  'C:\\bin\\npm.cmd',
  'C:\\bin\\npm',
  'C:\\tools\\npm.exe',
  'C:\\tools\\script.bat',
  'D:\\x\\run.ps1',
  'C:\\work\\sub\\local.exe',
  'C:\\Program Files\\nodejs\\node.exe',
]);
const lookup = (path: string, pathext?: string) => ({ path, pathext, cwd: 'C:\\work', isFile: (f: string) => FILES.has(f) });

test('resolveWindowsCommand: cwd first, then PATH in order; PATHEXT in order; an extension given is tried as is', () => {
  const PATH = 'C:\\bin;C:\\tools;"C:\\Program Files\\nodejs";';
  const cases: [name: string, path: string, pathext: string | undefined, want: string | undefined][] = [
    ['terraform', PATH, undefined, 'C:\\bin\\terraform.exe'],
    ['npm', PATH, undefined, 'C:\\bin\\npm.cmd'], // C:\bin before C:\tools; the extensionless file is not run
    ['npm', PATH, '.EXE;.CMD', 'C:\\bin\\npm.cmd'], // directory by directory, each trying every extension: C:\bin wins over an .exe later on PATH
    ['npm', 'C:\\tools;C:\\bin', '.CMD;.EXE', 'C:\\tools\\npm.exe'],
    ['npm', PATH, '.COM', undefined],
    ['npm.exe', PATH, undefined, 'C:\\tools\\npm.exe'],
    ['tool', PATH, undefined, 'C:\\work\\tool.cmd'], // the current directory first, as cmd.exe does
    ['script', PATH, '.COM;.EXE;.BAT;.CMD', 'C:\\tools\\script.bat'],
    ['node', PATH, undefined, 'C:\\Program Files\\nodejs\\node.exe'], // a quoted PATH entry
    ['sub\\local', PATH, undefined, 'C:\\work\\sub\\local.exe'], // a relative path: from cwd only
    ['sub/local.exe', PATH, undefined, 'C:\\work\\sub\\local.exe'],
    ['D:\\x\\run.ps1', PATH, undefined, undefined], // .ps1 is not in PATHEXT
    ['D:\\x\\run.ps1', PATH, '.EXE;.PS1', 'D:\\x\\run.ps1'],
    ['C:\\bin\\terraform', '', undefined, 'C:\\bin\\terraform.exe'],
    ['missing', PATH, undefined, undefined],
    ['terraform', '', undefined, undefined],
  ];
  for (const [name, path, pathext, want] of cases) assert.equal(resolveWindowsCommand(name, lookup(path, pathext)), want, `${name} with PATHEXT ${pathext ?? '(default)'}`);
});

test('quoteCmdArgument: always quoted; cmd metacharacters stay literal inside quotes; a trailing backslash is doubled', () => {
  const cases: [arg: string, want: string][] = [
    ['plan', '"plan"'],
    ['', '""'],
    ['two words', '"two words"'],
    ['a&b|c<d>e^f(g)', '"a&b|c<d>e^f(g)"'],
    ['C:\\dir\\', '"C:\\dir\\\\"'],
    ['back\\slash', '"back\\slash"'],
    ['-var=region=eu-west-1', '"-var=region=eu-west-1"'],
  ];
  for (const [arg, want] of cases) assert.equal(quoteCmdArgument(arg, 'argument 1'), want, arg);
});

test('quoteCmdArgument: what cmd.exe expands or splits even inside quotes is refused with a clear message', () => {
  const cases: [arg: string, shown: string][] = [
    ['say "hi"', '`"`'],
    ['%PATH%', '`%`'],
    ['100%', '`%`'],
    ['wow!', '`!`'],
    ['line\nbreak', 'a line break'],
    ['cr\rhere', 'a carriage return'],
    ['nul\0', 'a NUL character'],
  ];
  for (const [arg, shown] of cases) {
    assert.throws(() => quoteCmdArgument(arg, 'argument 2'), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, `argument 2 contains ${shown}, which cmd.exe would expand or split even in quotes; stsx does not pass it to a .cmd/.bat file`);
      assert.match(error.hint ?? '', /run the \.exe behind the batch file directly/);
      return true;
    }, arg);
  }
});

test('windowsSpawnPlan: an .exe runs directly; a .cmd/.bat through cmd.exe /d /s /c with a verbatim, quoted line', () => {
  assert.deepEqual(windowsSpawnPlan('C:\\bin\\terraform.exe', ['plan', 'a b'], 'C:\\Windows\\system32\\cmd.exe'), { file: 'C:\\bin\\terraform.exe', args: ['plan', 'a b'], verbatim: false });
  assert.deepEqual(windowsSpawnPlan('C:\\bin\\npm.cmd', ['run', 'a&b'], 'C:\\Windows\\system32\\cmd.exe'), {
    file: 'C:\\Windows\\system32\\cmd.exe',
    args: ['/d', '/s', '/c', '""C:\\bin\\npm.cmd" "run" "a&b""'],
    verbatim: true,
  });
  assert.equal(windowsSpawnPlan('C:\\tools\\script.BAT', [], undefined).file, 'cmd.exe');
  assert.throws(() => windowsSpawnPlan('C:\\bin\\npm.cmd', ['ok', '%USERPROFILE%'], undefined), /argument 2 contains `%`/);
  assert.ok(isBatchFile('x.CMD') && isBatchFile('y.bat') && !isBatchFile('z.exe') && !isBatchFile('cmd'));
});
