// Where an MFA code comes from, decided in one place (mfaCodeFrom), and getting it:
// - --token-code, given by the person;
// - a process that prints the code (--mfa-process, or mfa_process of the profile, as aws-vault and
//   granted read it), run without a shell where its line splits into argv (split-command.ts),
//   within the time limit, its output checked to be six digits and never echoed;
// - a prompt (--prompt, STSX_MFA_PROMPT, mfa_prompt of the profile): aws-vault's set, terminal,
//   ykman, zenity, kdialog, osascript (macOS), wincredui (Windows);
// - else the controlling terminal (deps.openTerminal: /dev/tty, not stderr, which may be
//   redirected, nor stdout, which `eval "$(...)"` captures), the code never echoed, only six digits
//   accepted. Without a terminal on stdin (an SDK's credential_process, CI) it fails at once,
//   saying what to configure, instead of waiting for input that will never come.
import { AuthError, ConfigError, UsageError } from '../errors.ts';
import type { Deps, Env, Terminal } from '../deps.ts';
import type { Profile } from '../config/profile.ts';
import { printable, runBoundedProcess, shown } from '../credentials/process-provider.ts';
import { splitCommand } from './split-command.ts';
import { isPromptName, MFA_PROMPTS, parseMfaPrompt, type MfaPromptName } from './mfa-prompts.ts';


const ATTEMPTS = 3;
/** Bounded input: a code is six digits; anything longer is cut here and refused below. */
const MAX_INPUT = 64;
/** A code process prints six digits; more than this is not a code (and is not read further). */
const MAX_PROCESS_OUTPUT = 1024;
/** A dialog waits for a person to read a device and type, like the terminal prompt's reader. */
const DIALOG_MS = 120_000;


/** What the command line says about MFA codes. */
export interface MfaFlags {
  /** --token-code, already checked to be six digits. */
  tokenCode?: string | undefined;
  /** --mfa-process. */
  mfaProcess?: string | undefined;
  /** --prompt. */
  prompt?: string | undefined;
}

/** Where a code comes from. */
export type MfaCodeFrom =
  | { kind: 'code'; code: string }
  | { kind: 'process'; commandLine: string; origin: string; byFlag: boolean }
  | { kind: 'prompt'; name: MfaPromptName; origin: string };

/**
 * The one rule, first match wins: --token-code; --mfa-process; --prompt; mfa_process of the
 * profile (the selected one, else the first of its source_profile chain that sets it);
 * STSX_MFA_PROMPT; mfa_prompt of the profile (likewise); the terminal. What is typed on this
 * command line beats what a file or the environment says; a process beats a prompt.
 */
export function mfaCodeFrom(flags: MfaFlags, profiles: readonly Profile[], env: Env): MfaCodeFrom {
  if (flags.tokenCode !== undefined) return { kind: 'code', code: flags.tokenCode };
  if (flags.mfaProcess !== undefined) return { kind: 'process', commandLine: flags.mfaProcess, origin: '--mfa-process', byFlag: true };
  if (flags.prompt !== undefined) return { kind: 'prompt', name: parseMfaPrompt(flags.prompt), origin: '--prompt' };
  const fromProfile = (key: string): { value: string; origin: string } | undefined => {
    for (const p of profiles) {
      const value = p.settings[key];
      if (value !== undefined && value.trim() !== '') return { value: value.trim(), origin: `${key} of profile "${printable(p.name)}"` };
    }
    return undefined;
  };
  const process = fromProfile('mfa_process');
  if (process) return { kind: 'process', commandLine: process.value, origin: process.origin, byFlag: false };
  const setting = env.STSX_MFA_PROMPT?.trim() ? { value: env.STSX_MFA_PROMPT.trim(), origin: 'STSX_MFA_PROMPT' } : fromProfile('mfa_prompt');
  if (setting) {
    if (!isPromptName(setting.value)) {
      throw new ConfigError(`${setting.origin} is "${printable(setting.value).slice(0, 40)}", which is not an MFA prompt`, { hint: `use one of ${MFA_PROMPTS.join(', ')}` });
    }
    return { kind: 'prompt', name: setting.value, origin: setting.origin };
  }
  return { kind: 'prompt', name: 'terminal', origin: 'default' };
}

export interface MfaPromptOptions extends MfaFlags {
  /** The selected profile and its source_profile chain, read only when a code is needed. */
  profiles: () => Promise<readonly Profile[]>;
  /** --timeout: how long a code process may run. */
  timeoutMs: number;
  debug?: ((line: string) => void) | undefined;
}

type PromptDeps = Pick<Deps, 'stdin' | 'openTerminal' | 'env' | 'platform' | 'startProcess'>;

export function createMfaPrompt(deps: PromptDeps, options: MfaPromptOptions): (serial: string) => Promise<string> {
  const asked = new Map<string, Promise<string>>();
  return (serial) => {
    // One code per device per run: a chain that needs the same device twice asks once.
    let pending = asked.get(serial);
    if (!pending) {
      pending = options.profiles().then((profiles) => codeFor(deps, options, profiles, serial));
      asked.set(serial, pending);
    }
    return pending;
  };
}

async function codeFor(deps: PromptDeps, options: MfaPromptOptions, profiles: readonly Profile[], serial: string): Promise<string> {
  const from = mfaCodeFrom(options, profiles, deps.env);
  if (from.kind === 'code') return from.code;
  if (from.kind === 'process') {
    options.debug?.(`MFA code for ${serial} from ${from.origin}`);
    return runCodeProcess(deps, options, from, serial);
  }
  options.debug?.(`MFA code for ${serial}: ${from.name} prompt (${from.origin})`);
  if (from.name === 'terminal') return askTerminal(deps, serial, profiles[0]?.name, from.origin !== 'default');
  return runDialog(deps, options, from, serial);
}

/** mfa_process / --mfa-process: argv without a shell where the line splits, else through the shell as credential_process is. */
async function runCodeProcess(deps: PromptDeps, options: MfaPromptOptions, from: Extract<MfaCodeFrom, { kind: 'process' }>, serial: string): Promise<string> {
  const split = splitCommand(from.commandLine);
  const fix = from.byFlag ? 'fix --mfa-process' : `fix ${from.origin}`;
  if (split.kind === 'invalid') {
    const message = `${from.origin} is not a command line: ${split.problem}`;
    throw from.byFlag ? new UsageError(message, { hint: fix }) : new ConfigError(message, { hint: fix });
  }
  if (split.kind === 'shell') options.debug?.(`${from.origin} runs through the shell: ${split.reason}`);
  return codeFromProcess(deps, split.kind === 'argv' ? split.argv : from.commandLine, {
    what: `the MFA code process (${from.origin})`,
    shownCommand: shown(from.commandLine),
    startHint: fix,
    timeoutMs: options.timeoutMs,
    serial,
  });
}

/** The dialogs of --prompt: each an argv (the serial one argument, never shell text). */
function runDialog(deps: PromptDeps, options: MfaPromptOptions, from: Extract<MfaCodeFrom, { kind: 'prompt' }>, serial: string): Promise<string> {
  const text = `MFA code for ${serial}`;
  const only = (platform: NodeJS.Platform, name: string): void => {
    if (deps.platform !== platform) {
      throw new ConfigError(`the ${from.name} MFA prompt (${from.origin}) works only on ${name}`, { hint: `use --prompt ${deps.platform === 'win32' ? 'wincredui' : deps.platform === 'darwin' ? 'osascript' : 'zenity or kdialog'}, ykman, or mfa_process` });
    }
  };
  let argv: string[];
  switch (from.name) {
    case 'ykman':
      // aws-vault's convention: the OATH account is named after the MFA device's serial (ARN).
      argv = ['ykman', 'oath', 'accounts', 'code', '--single', serial];
      break;
    case 'zenity':
      argv = ['zenity', '--entry', '--title', 'stsx', '--text', text];
      break;
    case 'kdialog':
      argv = ['kdialog', '--title', 'stsx', '--inputbox', text];
      break;
    case 'osascript':
      only('darwin', 'macOS');
      argv = ['osascript', '-e', `text returned of (display dialog "${text.replace(/[\\"]/g, (c) => `\\${c}`)}" default answer "" with title "stsx")`];
      break;
    case 'wincredui':
      only('win32', 'Windows');
      // Windows PowerShell's Get-Credential is the CredUI dialog; the "password" is the code.
      argv = ['powershell.exe', '-NoProfile', '-Command', `$c = Get-Credential -UserName 'MFA' -Message '${text.replace(/'/g, "''")}'; if ($c) { $c.GetNetworkCredential().Password } else { exit 1 }`];
      break;
    default:
      throw new ConfigError(`${from.origin}: ${from.name} is not a dialog`);
  }
  return codeFromProcess(deps, argv, {
    what: `the ${from.name} MFA prompt (${from.origin})`,
    shownCommand: shown(argv.join(' ')),
    startHint: `install ${argv[0] ?? from.name}, or choose another --prompt, mfa_process or --token-code`,
    // ykman answers by itself; a dialog waits for a person.
    timeoutMs: from.name === 'ykman' ? options.timeoutMs : Math.max(options.timeoutMs, DIALOG_MS),
    serial,
  });
}

/** Runs a code process and checks what it printed: six digits and a line end, nothing else, never echoed (it may be a secret). */
async function codeFromProcess(deps: PromptDeps, command: string | readonly string[], p: { what: string; shownCommand: string; startHint: string; timeoutMs: number; serial: string }): Promise<string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
  const stdout = await runBoundedProcess(command, {
    env,
    start: deps.startProcess,
    timeoutMs: p.timeoutMs,
    maxStdout: MAX_PROCESS_OUTPUT,
    what: p.what,
    shownCommand: p.shownCommand,
    startHint: p.startHint,
    outputHint: `it must print the six-digit code for ${printable(p.serial)}`,
  });
  const code = stdout.replace(/\r?\n$/, '');
  if (/^\d{6}$/.test(code)) return code;
  throw new AuthError(`${p.what} ${stdout.trim() === '' ? 'printed nothing' : 'printed something other than a six-digit code (not shown)'}`, {
    hint: `it must print the six-digit code for ${printable(p.serial)} and nothing else; run it by hand: ${p.shownCommand}`,
  });
}

async function askTerminal(deps: PromptDeps, serial: string, profile: string | undefined, chosen: boolean): Promise<string> {
  const noTerminal = (): UsageError => new UsageError(`an MFA code is needed for ${printable(serial)}, but there is no terminal to ask on`, {
    hint: chosen
      ? 'the terminal prompt was chosen; choose another with --prompt, or pass --token-code <6 digits>'
      : `set mfa_process${profile !== undefined ? ` in profile "${printable(profile)}"` : ''} to a command that prints the code (e.g. ykman oath accounts code --single NAME), or pass --prompt ${MFA_PROMPTS.slice(1).join('|')} (or set STSX_MFA_PROMPT), or pass --token-code <6 digits>`,
  });
  if (!deps.stdin.isTTY) throw noTerminal();
  const terminal: Terminal | undefined = await deps.openTerminal?.();
  if (!terminal) throw noTerminal();
  try {
    // The retry notice is part of the next prompt, written after echo is off: a code typed as
    // soon as "try again" shows is not echoed either. (Raw mode: the line ends with \r\n.)
    let notice = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const answer = (await terminal.readHidden(`${notice}Enter MFA code for ${printable(serial)}: `, MAX_INPUT)).trim();
      if (/^\d{6}$/.test(answer)) return answer;
      notice = 'stsx: the code must be six digits, try again\r\n';
    }
    terminal.write('stsx: the code must be six digits\n');
    throw new UsageError(`no valid MFA code after ${ATTEMPTS} attempts`, { hint: 'enter the six digits shown by the MFA device, or pass --token-code' });
  } finally {
    terminal.close();
  }
}
