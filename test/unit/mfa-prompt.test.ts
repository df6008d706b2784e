// input/mfa-prompt.ts and input/split-command.ts as tables: how an mfa_process line becomes argv
// (or needs a shell), the one rule for where an MFA code comes from, what a code process may
// print (never echoed), the dialogs' argv and platforms, and --mfa-process/--prompt on every
// command that takes --token-code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { splitCommand, type SplitCommand } from '../../src/input/split-command.ts';
import { createMfaPrompt, mfaCodeFrom, type MfaCodeFrom, type MfaFlags } from '../../src/input/mfa-prompt.ts';
import type { Profile } from '../../src/config/profile.ts';
import type { Env, StartProcess } from '../../src/deps.ts';
import { StsxError } from '../../src/errors.ts';
import { buildProgram } from '../../src/cli.ts';
import { scripted, type Script } from '../support/fake-process.ts';

const SPLITS: [string, SplitCommand][] = [
  ['ykman oath accounts code --single NAME', { kind: 'argv', argv: ['ykman', 'oath', 'accounts', 'code', '--single', 'NAME'] }],
  [`ykman oath accounts code --single 'AWS: alice'`, { kind: 'argv', argv: ['ykman', 'oath', 'accounts', 'code', '--single', 'AWS: alice'] }],
  ['  /opt/my\\ tools/code   "a \\"b\\" \\\\ c"  \'$HOME\' ', { kind: 'argv', argv: ['/opt/my tools/code', 'a "b" \\ c', '$HOME'] }],
  ['op read "op://vault/aws/one-time password?attribute=otp"', { kind: 'argv', argv: ['op', 'read', 'op://vault/aws/one-time password?attribute=otp'] }],
  ['code x#y ""', { kind: 'argv', argv: ['code', 'x#y', ''] }],
  ['op item get aws --otp | tr -d x', { kind: 'shell', reason: 'it has shell syntax (|) outside quotes' }],
  ['code $HOME/x', { kind: 'shell', reason: 'it has shell syntax ($) outside quotes' }],
  ['code "$(cat f)"', { kind: 'shell', reason: 'it has shell syntax ($) outside quotes' }],
  ['code > /tmp/x', { kind: 'shell', reason: 'it has shell syntax (>) outside quotes' }],
  ['code a; rm b', { kind: 'shell', reason: 'it has shell syntax (;) outside quotes' }],
  ['code ~/x', { kind: 'shell', reason: 'it has shell syntax (~) outside quotes' }],
  ['code *.txt', { kind: 'shell', reason: 'it has shell syntax (*) outside quotes' }],
  ['code # comment', { kind: 'shell', reason: 'it has shell syntax (#) outside quotes' }],
  ['YKMAN_X=1 ykman oath', { kind: 'shell', reason: 'it starts with a variable assignment' }],
  ['code \'a', { kind: 'invalid', problem: 'a single quote is not closed' }],
  ['code "a', { kind: 'invalid', problem: 'a double quote is not closed' }],
  ['code a\\', { kind: 'invalid', problem: 'it ends with a backslash' }],
  ['   ', { kind: 'invalid', problem: 'it names no program' }],
];
for (const [line, want] of SPLITS) {
  test(`splitCommand ${JSON.stringify(line)}`, () => assert.deepEqual(splitCommand(line), want));
}

const profile = (name: string, settings: Record<string, string>): Profile => ({ name, settings, keyFiles: {}, exists: true });
const R = profile('r', { mfa_serial: 'arn:aws:iam::1:mfa/a', mfa_process: 'ykman oath accounts code --single r', mfa_prompt: 'kdialog' });
const BASE = profile('base', { mfa_process: 'base-code', mfa_prompt: 'zenity' });
const PLAIN = profile('plain', {});

const RULE: [string, MfaFlags, Profile[], Env, MfaCodeFrom | RegExp][] = [
  ['--token-code first', { tokenCode: '123456', mfaProcess: 'x', prompt: 'zenity' }, [R], { STSX_MFA_PROMPT: 'ykman' }, { kind: 'code', code: '123456' }],
  ['--mfa-process beats the profile and --prompt', { mfaProcess: 'flag-code', prompt: 'zenity' }, [R], {}, { kind: 'process', commandLine: 'flag-code', origin: '--mfa-process', byFlag: true }],
  ['--prompt beats the profile\'s mfa_process', { prompt: 'terminal' }, [R], {}, { kind: 'prompt', name: 'terminal', origin: '--prompt' }],
  ['mfa_process of the profile', {}, [R, BASE], { STSX_MFA_PROMPT: 'ykman' }, { kind: 'process', commandLine: 'ykman oath accounts code --single r', origin: 'mfa_process of profile "r"', byFlag: false }],
  ['mfa_process of the source profile', {}, [PLAIN, BASE], {}, { kind: 'process', commandLine: 'base-code', origin: 'mfa_process of profile "base"', byFlag: false }],
  ['STSX_MFA_PROMPT beats mfa_prompt', {}, [PLAIN, profile('b', { mfa_prompt: 'zenity' })], { STSX_MFA_PROMPT: 'ykman' }, { kind: 'prompt', name: 'ykman', origin: 'STSX_MFA_PROMPT' }],
  ['mfa_prompt of the profile', {}, [profile('p', { mfa_prompt: 'kdialog' })], { STSX_MFA_PROMPT: '' }, { kind: 'prompt', name: 'kdialog', origin: 'mfa_prompt of profile "p"' }],
  ['the terminal when nothing is set', {}, [PLAIN], {}, { kind: 'prompt', name: 'terminal', origin: 'default' }],
  ['a bad --prompt', { prompt: 'gui' }, [PLAIN], {}, /^--prompt must be one of terminal, ykman, zenity, kdialog, osascript, wincredui/],
  ['a bad STSX_MFA_PROMPT', {}, [PLAIN], { STSX_MFA_PROMPT: 'yubikey' }, /^STSX_MFA_PROMPT is "yubikey", which is not an MFA prompt$/],
  ['a bad mfa_prompt', {}, [profile('p', { mfa_prompt: 'x\u001b[2J' })], {}, /^mfa_prompt of profile "p" is "x\\x1b\[2J", which is not an MFA prompt$/],
];
for (const [name, flags, profiles, env, want] of RULE) {
  test(`where the MFA code comes from: ${name}`, () => {
    if (want instanceof RegExp) assert.throws(() => mfaCodeFrom(flags, profiles, env), (e: Error) => e instanceof StsxError && want.test(e.message));
    else assert.deepEqual(mfaCodeFrom(flags, profiles, env), want);
  });
}

/** A started process that prints `stdout`, or hangs until killed when `exit` is undefined (test/support/fake-process.ts). */
function fakeStart(script: Script): { start: StartProcess; started: (string | readonly string[])[]; kills: () => number } {
  const s = scripted(script);
  return {
    start: s.start,
    get started() {
      return s.started.map((x) => x.line);
    },
    kills: s.killed,
  };
}

const SERIAL = 'arn:aws:iam::111122223333:mfa/alice';
function prompt(script: { stdout?: string; stderr?: string; exit?: number }, flags: MfaFlags, options: { profiles?: Profile[]; platform?: NodeJS.Platform; env?: Env; timeoutMs?: number } = {}) {
  const fake = fakeStart(script);
  const ask = createMfaPrompt(
    { stdin: { isTTY: false, async *[Symbol.asyncIterator]() {} }, env: options.env ?? {}, platform: options.platform ?? 'linux', startProcess: fake.start },
    { ...flags, profiles: () => Promise.resolve(options.profiles ?? [PLAIN]), timeoutMs: options.timeoutMs ?? 5000 },
  );
  return { ask, fake };
}

const rejectsWith = async (p: Promise<unknown>, pattern: RegExp, never?: RegExp): Promise<void> => {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof StsxError, String(e));
    assert.match(e.message, pattern);
    if (never) assert.doesNotMatch(`${e.message}\n${e.hint ?? ''}`, never);
    return true;
  });
};

test('a code process: argv without a shell, six digits and a line end accepted, run once per device', async () => {
  const { ask, fake } = prompt({ stdout: '654321\r\n', exit: 0 }, { mfaProcess: `ykman oath accounts code --single 'AWS alice'` });
  assert.equal(await ask(SERIAL), '654321');
  assert.equal(await ask(SERIAL), '654321');
  assert.deepEqual(fake.started, [['ykman', 'oath', 'accounts', 'code', '--single', 'AWS alice']]);
});

test('a code process line with shell syntax runs through the shell, as written', async () => {
  const { ask, fake } = prompt({ stdout: '111222\n', exit: 0 }, { mfaProcess: 'op item get aws --otp | head -1' });
  assert.equal(await ask(SERIAL), '111222');
  assert.deepEqual(fake.started, ['op item get aws --otp | head -1']);
});

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const BAD_OUTPUT: [string, string, RegExp][] = [
  ['nothing', '', /^the MFA code process \(--mfa-process\) printed nothing$/],
  ['twelve digits', '123456789012\n', /^the MFA code process \(--mfa-process\) printed something other than a six-digit code \(not shown\)$/],
  ['a secret', `${SECRET}\n`, /printed something other than a six-digit code \(not shown\)$/],
  ['letters', 'abcdef\n', /printed something other than a six-digit code/],
  ['two lines', '123456\n654321\n', /printed something other than a six-digit code/],
  ['too much', '1'.repeat(5000), /^the MFA code process \(--mfa-process\) wrote more than 1 KiB; it was stopped$/],
];
for (const [name, stdout, pattern] of BAD_OUTPUT) {
  test(`a code process that prints ${name} is refused, its output never shown`, async () => {
    const { ask } = prompt({ stdout, exit: 0 }, { mfaProcess: 'code' });
    await rejectsWith(ask(SERIAL), pattern, stdout.trim() === '' ? undefined : new RegExp(stdout.trim().slice(0, 12).replace(/[/+]/g, '.')));
  });
}

test('a code process that fails: its status and the last lines of its stderr, secrets masked', async () => {
  const { ask } = prompt({ stderr: `one\naws_secret_access_key=${SECRET}\nno YubiKey found\n`, exit: 2 }, { mfaProcess: 'ykman oath accounts code --single x' });
  await rejectsWith(ask(SERIAL), /^the MFA code process \(--mfa-process\) exited with status 2: one \| aws_secret_access_key=\*\*\*\* \| no YubiKey found$/, /wJalrXUtnFEMI/);
});

test('a code process that hangs is killed at the time limit', async () => {
  const { ask, fake } = prompt({}, { mfaProcess: 'code' }, { timeoutMs: 50 });
  await rejectsWith(ask(SERIAL), /^the MFA code process \(--mfa-process\) did not finish within [\d.]+ s; it was stopped$/);
  assert.equal(fake.kills(), 1);
});

test('an mfa_process line that is not a command line is a config error naming it; --mfa-process, a usage error', async () => {
  await rejectsWith(prompt({}, {}, { profiles: [profile('r', { mfa_process: "code 'open" })] }).ask(SERIAL), /^mfa_process of profile "r" is not a command line: a single quote is not closed$/);
  await assert.rejects(prompt({}, { mfaProcess: 'x\\' }).ask(SERIAL), (e: StsxError) => e.exitCode === 2 && /^--mfa-process is not a command line: it ends with a backslash$/.test(e.message));
});

const DIALOGS: [string, NodeJS.Platform, string[]][] = [
  ['ykman', 'linux', ['ykman', 'oath', 'accounts', 'code', '--single', SERIAL]],
  ['zenity', 'linux', ['zenity', '--entry', '--title', 'stsx', '--text', `MFA code for ${SERIAL}`]],
  ['kdialog', 'linux', ['kdialog', '--title', 'stsx', '--inputbox', `MFA code for ${SERIAL}`]],
  ['osascript', 'darwin', ['osascript', '-e', `text returned of (display dialog "MFA code for ${SERIAL}" default answer "" with title "stsx")`]],
];
for (const [name, platform, argv] of DIALOGS) {
  test(`--prompt ${name} runs ${argv[0]} with the serial as one argument`, async () => {
    const { ask, fake } = prompt({ stdout: '135790\n', exit: 0 }, { prompt: name }, { platform });
    assert.equal(await ask(SERIAL), '135790');
    assert.deepEqual(fake.started, [argv]);
  });
}

test('--prompt wincredui on Windows: the CredUI dialog through Windows PowerShell, quotes in the serial doubled', async () => {
  const { ask, fake } = prompt({ stdout: '135790\r\n', exit: 0 }, { prompt: 'wincredui' }, { platform: 'win32' });
  assert.equal(await ask("arn:aws:iam::1:mfa/o'brien"), '135790');
  const argv = fake.started[0] as string[];
  assert.deepEqual(argv.slice(0, 3), ['powershell.exe', '-NoProfile', '-Command']);
  assert.match(argv[3] ?? '', /Get-Credential -UserName 'MFA' -Message 'MFA code for arn:aws:iam::1:mfa\/o''brien'/);
});

for (const [name, platform, only] of [['osascript', 'linux', 'macOS'], ['wincredui', 'darwin', 'Windows'], ['wincredui', 'linux', 'Windows']] as const) {
  test(`--prompt ${name} on ${platform} is refused at once: it works only on ${only}`, async () => {
    const { ask, fake } = prompt({ stdout: '135790\n', exit: 0 }, { prompt: name }, { platform });
    await rejectsWith(ask(SERIAL), new RegExp(`^the ${name} MFA prompt \\(--prompt\\) works only on ${only}$`));
    assert.equal(fake.started.length, 0);
  });
}

test('no terminal and nothing configured: at once, the error names every way to give the code', async () => {
  const { ask, fake } = prompt({}, {}, { profiles: [profile('r', {})] });
  await assert.rejects(ask(SERIAL), (e: StsxError) => {
    assert.equal(e.message, `an MFA code is needed for ${SERIAL}, but there is no terminal to ask on`);
    assert.equal(e.hint, 'set mfa_process in profile "r" to a command that prints the code (e.g. ykman oath accounts code --single NAME), or pass --prompt ykman|zenity|kdialog|osascript|wincredui (or set STSX_MFA_PROMPT), or pass --token-code <6 digits>');
    return true;
  });
  assert.equal(fake.started.length, 0);
});

test('every command that takes --token-code takes --mfa-process and --prompt, declared once', () => {
  const program = buildProgram(() => Promise.resolve());
  const all = [...program.commands, ...program.commands.flatMap((c: Command) => c.commands)];
  const withCode = all.filter((c: Command) => c.options.some((o) => o.long === '--token-code')).map((c: Command) => c.name()).sort();
  assert.deepEqual(withCode, ['assume', 'console', 'decode', 'endpoint', 'exec', 'session-token', 'whoami']);
  for (const c of all.filter((c: Command) => withCode.includes(c.name()))) {
    for (const flag of ['--mfa-process', '--prompt']) assert.ok(c.options.some((o) => o.long === flag), `${c.name()} ${flag}`);
  }
});
