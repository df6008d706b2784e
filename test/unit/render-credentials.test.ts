import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import {
  credentialEnv, detectFormat, FORMAT_NAMES, parseFormat, renderCredentials, renderUnset, requireGithubEnvFile, unsetEnv, usageLine,
  type CredentialOutput, type Format, type RenderedCredentials,
} from '../../src/output/credentials/render.ts';
import { HOSTILE_VALUES } from '../fixtures/shells/hostile-values.ts';

const EXPIRATION = new Date('2030-01-01T00:00:00.999Z');
const TYPICAL: CredentialOutput = {
  credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalr/K7+MDENG', sessionToken: 'FwoG==', expiration: EXPIRATION },
  region: 'eu-west-3',
};
const CTX = { githubEnvFile: '/tmp/github_env', randomId: () => 'ID' };
const render = (format: Format, out: CredentialOutput = TYPICAL): RenderedCredentials => renderCredentials(format, out, CTX);
const hostile = (value: string): CredentialOutput => ({
  credentials: { accessKeyId: value, secretAccessKey: `s${value}s`, sessionToken: `${value}${value}`, expiration: EXPIRATION },
  region: value,
});

// Decoders: each reads its format the way the consuming program's grammar does, so the table
// below checks that what a consumer ends up with is exactly the value (bash, zsh, dash and fish
// are also run for real in test/integration/shell-eval.test.ts). null = removed.
type Decoded = Map<string, string | null>;
function decodeLines(text: string, rules: [RegExp, (m: RegExpExecArray) => string | null][]): Decoded {
  const vars: Decoded = new Map();
  for (const line of text.split('\n').slice(0, -1)) {
    const rule = rules.map(([re, f]) => [re.exec(line), f] as const).find(([m]) => m);
    assert.ok(rule?.[0], `unexpected line: ${line}`);
    vars.set(rule[0][1] ?? '', rule[1](rule[0]));
  }
  return vars;
}
// PowerShell: `'...'` literals (a doubled quote is one quote) and `[char]0xNNNN`, joined by ` + `.
function decodePowerShellExpr(expr: string): string {
  assert.match(expr, /^[\x20-\x7e]*$/, 'PowerShell output must be printable ASCII');
  const token = /'((?:[^']|'')*)'|\[char\]0x([0-9A-F]{4})/y;
  let value = '';
  for (;;) {
    const m = token.exec(expr);
    assert.ok(m, `bad PowerShell expression: ${expr}`);
    value += m[2] ? String.fromCharCode(parseInt(m[2], 16)) : (m[1] ?? '').replaceAll("''", "'");
    if (token.lastIndex === expr.length) return value;
    assert.equal(expr.slice(token.lastIndex, token.lastIndex + 3), ' + ');
    token.lastIndex += 3;
  }
}
const DECODE: Record<Format, (r: RenderedCredentials) => Decoded> = {
  bash: (r) => decodeLines(r.stdout, [[/^export (\w+)='(.*)';$/, (m) => (m[2] ?? '').replaceAll(`'\\''`, "'")], [/^unset (\w+);$/, () => null]]),
  zsh: (r) => DECODE.bash(r),
  sh: (r) => DECODE.bash(r),
  fish: (r) => decodeLines(r.stdout, [[/^set -gx (\w+) '(.*)'$/, (m) => (m[2] ?? '').replace(/\\([\\'])/g, '$1')], [/^set -e -g (\w+) /, () => null]]),
  powershell: (r) => decodeLines(r.stdout, [[/^\$Env:(\w+) = (.+)$/, (m) => decodePowerShellExpr(m[2] ?? '')], [/^Remove-Item Env:(\w+) -ErrorAction SilentlyContinue$/, () => null]]),
  nu: (r) => {
    assert.equal(r.stdout.split('\n').length, 2, 'one line of JSON');
    return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, string | null>));
  },
  // cmd: `set "N=V"` assigns V; an empty V removes N, the only way Windows has.
  cmd: (r) => decodeLines(r.stdout, [[/^set "(\w+)=(.*)"$/, (m) => m[2] || null]]),
  dotenv: (r) => decodeLines(r.stdout, [[/^(\w+)=(?:'(.*)'|([\w./:+=@,-]*))$/, (m) => m[2] ?? m[3] ?? '']]),
  json: (r) => {
    const body = JSON.parse(r.stdout) as Record<string, string>;
    return new Map([['AWS_ACCESS_KEY_ID', body['AccessKeyId'] ?? null], ['AWS_SECRET_ACCESS_KEY', body['SecretAccessKey'] ?? null], ['AWS_SESSION_TOKEN', body['SessionToken'] ?? null]]);
  },
  github: (r) => {
    const vars: Decoded = new Map();
    for (const m of (r.githubEnv ?? '').matchAll(/^(\w+)<<(ghadelimiter_ID)\n([\s\S]*?)\n\2\n/gm)) vars.set(m[1] ?? '', m[3] ?? '');
    return vars;
  },
};
// What each format should deliver for an output: the shared list, shaped by what it can express.
function expected(format: Format, out: CredentialOutput): Decoded {
  const list = credentialEnv(out);
  if (format === 'json') return new Map(list.slice(0, 3).map(({ name, value }) => [name, value]));
  if (format === 'dotenv') return new Map(list.flatMap(({ name, value }) => (value === null ? [] : [[name, value] as const])));
  if (format === 'github') return new Map(list.flatMap(({ name, value }) => (value === null && name.endsWith('PROFILE') ? [] : [[name, value ?? ''] as const])));
  if (format === 'cmd') return new Map(list.map(({ name, value }) => [name, value || null]));
  return new Map(list.map(({ name, value }) => [name, value]));
}

for (const { name, value, refusedBy } of HOSTILE_VALUES) {
  for (const format of FORMAT_NAMES) {
    if (refusedBy.includes(format)) {
      test(`${format} refuses ${name} without echoing it`, () => {
        assert.throws(() => render(format, hostile(value)), (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, new RegExp(`^AWS_ACCESS_KEY_ID contains .*the ${format} format`));
          assert.match(error.hint ?? '', /--format/);
          for (const text of [error.message, error.hint ?? '']) assert.ok(!text.includes(`s${value}s`) && !text.includes(`${value}${value}`));
          return true;
        });
      });
    } else {
      test(`${format} carries ${name} exactly`, () => assert.deepEqual(DECODE[format](render(format, hostile(value))), expected(format, hostile(value))));
    }
  }
}

test('posix and fish quote exactly as their grammars need', () => {
  const out = hostile("it's \\");
  assert.match(render('bash', out).stdout, /^export AWS_ACCESS_KEY_ID='it'\\''s \\';$/m);
  assert.match(render('fish', out).stdout, /^set -gx AWS_ACCESS_KEY_ID 'it\\'s \\\\'$/m);
});

test('bash output, in full', () => {
  assert.equal(render('bash').stdout, [
    "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE';", "export AWS_SECRET_ACCESS_KEY='wJalr/K7+MDENG';", "export AWS_SESSION_TOKEN='FwoG==';",
    "export AWS_CREDENTIAL_EXPIRATION='2030-01-01T00:00:00Z';", "export AWS_REGION='eu-west-3';", "export AWS_DEFAULT_REGION='eu-west-3';",
    'unset AWS_SECURITY_TOKEN;', 'unset AWS_PROFILE;', 'unset AWS_DEFAULT_PROFILE;', ''].join('\n'));
});

test('PowerShell, line by line', () => {
  const lines = render('powershell', hostile("it's ‘q’ 日 😀")).stdout.split('\n');
  // Single-quoted strings are verbatim except the quote, written twice; every non-ASCII
  // character (U+2018..U+201B are quotes to PowerShell) becomes [char] so output stays ASCII.
  assert.equal(lines[0], "$Env:AWS_ACCESS_KEY_ID = 'it''s ' + [char]0x2018 + 'q' + [char]0x2019 + ' ' + [char]0x65E5 + ' ' + [char]0xD83D + [char]0xDE00");
  // `string + [char]` is a string but `[char] + [char]` is a number: start with a string.
  assert.equal(render('powershell', hostile('日')).stdout.split('\n')[0], "$Env:AWS_ACCESS_KEY_ID = '' + [char]0x65E5");
  assert.equal(render('powershell', hostile('')).stdout.split('\n')[0], "$Env:AWS_ACCESS_KEY_ID = ''");
  assert.deepEqual(render('powershell').stdout.split('\n').slice(3), [
    "$Env:AWS_CREDENTIAL_EXPIRATION = '2030-01-01T00:00:00Z'", "$Env:AWS_REGION = 'eu-west-3'", "$Env:AWS_DEFAULT_REGION = 'eu-west-3'",
    // Remove-Item on the Env: drive deletes the variable; SilentlyContinue if it is not there.
    'Remove-Item Env:AWS_SECURITY_TOKEN -ErrorAction SilentlyContinue', 'Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue',
    'Remove-Item Env:AWS_DEFAULT_PROFILE -ErrorAction SilentlyContinue', '']);
});

test('cmd, line by line', () => {
  // Inside `set "..."` the quotes make & | < > ^ ( ) literal; `set "N="` deletes N.
  assert.deepEqual(render('cmd', hostile('a^b & c|d>e ')).stdout.split('\n'), [
    'set "AWS_ACCESS_KEY_ID=a^b & c|d>e "', 'set "AWS_SECRET_ACCESS_KEY=sa^b & c|d>e s"', 'set "AWS_SESSION_TOKEN=a^b & c|d>e a^b & c|d>e "',
    'set "AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z"', 'set "AWS_REGION=a^b & c|d>e "', 'set "AWS_DEFAULT_REGION=a^b & c|d>e "',
    'set "AWS_SECURITY_TOKEN="', 'set "AWS_PROFILE="', 'set "AWS_DEFAULT_PROFILE="', '']);
});

test('dotenv writes safe values bare and others single-quoted, and cannot unset', () => {
  assert.equal(render('dotenv', { credentials: { accessKeyId: 'ASIA', secretAccessKey: 'a b$c' } }).stdout,
    "AWS_ACCESS_KEY_ID=ASIA\nAWS_SECRET_ACCESS_KEY='a b$c'\n");
  // zsh's `set -a; . file` would expand a bare `=ls` (and `x:=ls`) to /usr/bin/ls.
  for (const [value, line] of [['=ls', "'=ls'"], ['a:=ls', "'a:=ls'"], ['abc==', 'abc=='], ['a=b', 'a=b'], ['2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z']]) {
    assert.equal(render('dotenv', { credentials: { accessKeyId: value ?? '', secretAccessKey: 'S' } }).stdout.split('\n')[0], `AWS_ACCESS_KEY_ID=${line}`);
  }
});

test('json is exactly the credential_process contract', () => {
  assert.equal(render('json').stdout, '{\n  "Version": 1,\n  "AccessKeyId": "ASIAEXAMPLE",\n  "SecretAccessKey": "wJalr/K7+MDENG",\n  "SessionToken": "FwoG==",\n  "Expiration": "2030-01-01T00:00:00Z"\n}\n');
  assert.equal(render('json', { credentials: { accessKeyId: 'A', secretAccessKey: 'S' } }).stdout, '{\n  "Version": 1,\n  "AccessKeyId": "A",\n  "SecretAccessKey": "S"\n}\n');
});

test('github masks the three secrets and writes heredocs; profiles are never blanked', () => {
  const r = render('github', { credentials: { accessKeyId: 'AK', secretAccessKey: '50%25\nx' } });
  // The runner percent-decodes command data, so % is escaped; logs are masked line by line.
  assert.equal(r.stdout, '::add-mask::AK\n::add-mask::50%2525\n::add-mask::x\n');
  assert.equal(r.githubEnv, ['AWS_ACCESS_KEY_ID<<ghadelimiter_ID', 'AK', 'ghadelimiter_ID', 'AWS_SECRET_ACCESS_KEY<<ghadelimiter_ID', '50%25', 'x', 'ghadelimiter_ID',
    ...['AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_SECURITY_TOKEN'].flatMap((n) => [`${n}<<ghadelimiter_ID`, '', 'ghadelimiter_ID']), ''].join('\n'));
  let n = 0;
  const crafted = 'ghadelimiter_1 ghadelimiter_2';
  const collision = renderCredentials('github', { credentials: { accessKeyId: crafted, secretAccessKey: 'S' } }, { githubEnvFile: 'f', randomId: () => String(++n) });
  assert.match(collision.githubEnv ?? '', new RegExp(`^AWS_ACCESS_KEY_ID<<ghadelimiter_3\n${crafted}\nghadelimiter_3$`, 'm'));
  assert.throws(() => renderCredentials('github', TYPICAL, {}), /GITHUB_ENV is not set/);
  assert.throws(() => requireGithubEnvFile({}), UsageError);
  assert.equal(requireGithubEnvFile({ GITHUB_ENV: '/f' }), '/f');
});

test('the variable list: order, expiration in whole seconds, region only when known', () => {
  assert.deepEqual(credentialEnv({ credentials: { accessKeyId: 'A', secretAccessKey: 'S' } }), [
    { name: 'AWS_ACCESS_KEY_ID', value: 'A' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'S' }, { name: 'AWS_SESSION_TOKEN', value: null },
    { name: 'AWS_CREDENTIAL_EXPIRATION', value: null }, { name: 'AWS_SECURITY_TOKEN', value: null }, { name: 'AWS_PROFILE', value: null },
    { name: 'AWS_DEFAULT_PROFILE', value: null }]);
  assert.deepEqual(unsetEnv().map((a) => a.name), ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_SECURITY_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']);
});

test('renderUnset works in shells and is refused where nothing can be unset', () => {
  assert.equal(renderUnset('sh').split('\n')[0], 'unset AWS_ACCESS_KEY_ID;');
  assert.equal(renderUnset('cmd').split('\n')[6], 'set "AWS_DEFAULT_REGION="');
  for (const format of ['json', 'dotenv', 'github'] as const) assert.throws(() => renderUnset(format), UsageError);
});

test('parseFormat takes names and aliases, and lists the valid ones otherwise', () => {
  for (const [name, format] of [['bash', 'bash'], ['PWSH', 'powershell'], ['process', 'json'], ['windows-cmd', 'cmd'], [' fish ', 'fish'], ['env', 'sh'], ['nushell', 'nu']]) {
    assert.equal(parseFormat(name ?? ''), format);
  }
  assert.throws(() => parseFormat('tcsh'), (e: unknown) => e instanceof UsageError && /tcsh/.test(e.message) && /bash, zsh, sh \(dash, env\), fish, powershell \(pwsh\), nu \(nushell\), cmd \(windows-cmd\), dotenv \(env-no-export\), json \(process\), github/.test(e.hint ?? ''));
});

const PS_SYSTEM = 'C:\\Program Files\\WindowsPowerShell\\Modules;C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\Modules';
const WIN = { ProgramFiles: 'C:\\Program Files', SystemRoot: 'C:\\WINDOWS' };
const DETECT: [string, Record<string, string>, NodeJS.Platform, Format][] = [
  ['fish login shell', { SHELL: '/usr/bin/fish' }, 'linux', 'fish'],
  ['zsh on macOS', { SHELL: '/bin/zsh' }, 'darwin', 'zsh'],
  ['bash', { SHELL: '/usr/local/bin/bash' }, 'linux', 'bash'],
  ['dash', { SHELL: '/bin/dash' }, 'linux', 'sh'],
  ['pwsh as login shell', { SHELL: '/opt/microsoft/powershell/7/pwsh' }, 'linux', 'powershell'],
  ['unknown shell', { SHELL: '/bin/tcsh' }, 'linux', 'sh'],
  ['no SHELL', {}, 'linux', 'sh'],
  ['cmd: only machine module folders', { PSModulePath: PS_SYSTEM, ...WIN }, 'win32', 'cmd'],
  ['Windows PowerShell 5.1', { PSModulePath: `C:\\Users\\ana\\Documents\\WindowsPowerShell\\Modules;${PS_SYSTEM}`, ...WIN }, 'win32', 'powershell'],
  ['pwsh 7, OneDrive Documents, odd casing', { psmodulepath: `C:\\Users\\ana\\OneDrive\\Documents\\PowerShell\\Modules;C:\\Program Files\\PowerShell\\Modules;c:\\program files\\powershell\\7\\Modules;${PS_SYSTEM}`, PROGRAMFILES: 'C:\\Program Files', SystemRoot: 'C:\\WINDOWS' }, 'win32', 'powershell'],
  ['Git Bash on Windows', { SHELL: '/usr/bin/bash', PSModulePath: PS_SYSTEM, ...WIN }, 'win32', 'bash'],
  ['no PSModulePath at all', {}, 'win32', 'cmd'],
];
for (const [name, env, platform, format] of DETECT) {
  test(`detectFormat: ${name}`, () => {
    const detected = detectFormat(env, platform);
    assert.equal(detected.format, format, detected.reason);
    assert.ok(detected.reason.length > 0);
  });
}

test('usageLine shows how each format is consumed, from the FORMATS table', () => {
  const cmd = 'stsx assume --role-arn R';
  assert.deepEqual(FORMAT_NAMES.map((f) => usageLine(f, cmd)), [
    'eval "$(stsx assume --role-arn R)"', 'eval "$(stsx assume --role-arn R)"', 'eval "$(stsx assume --role-arn R)"', 'stsx assume --role-arn R | source',
    'stsx assume --role-arn R | Invoke-Expression',
    'stsx assume --role-arn R --format nu | from json | load-env',
    // `@`: without it cmd echoes every `set` line, secrets included.
    `for /f "delims=" %i in ('stsx assume --role-arn R --format cmd') do @%i`,
    'stsx assume --role-arn R --format dotenv > .env',
    // An explicit source profile: without it the process inherits AWS_PROFILE of the profile
    // that runs it and calls itself again.
    'credential_process = stsx assume --profile <source-profile> --role-arn R --format json',
    'run: stsx assume --role-arn R --format github']);
  assert.equal(usageLine('json', 'stsx session-token'), 'credential_process = stsx session-token --profile <source-profile> --format json');
  assert.equal(usageLine('fish', "stsx assume --tag a=$'x$&"), "stsx assume --tag a=$'x$& | source");
});

test('parseFormat accepts the AWS CLI export-credentials names as aliases', () => {
  // aws configure export-credentials --format: env (export lines), env-no-export (NAME=value),
  // windows-cmd, process (credential_process JSON), powershell, fish.
  assert.deepEqual(['env', 'env-no-export', 'windows-cmd', 'process', 'powershell', 'fish'].map(parseFormat), ['sh', 'dotenv', 'cmd', 'json', 'powershell', 'fish']);
});
