// Which format to print when the user gave no --format (which always wins; the caller checks it).
// A pure guess from the environment: a program cannot see which shell will eval its output, only
// what its ancestors exported. Every rule here is a heuristic, and its reason is returned so the
// caller can show it (e.g. with --debug).
import type { Format } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface DetectedFormat {
  format: Format;
  reason: string;
}

// Shells whose login-shell name says which syntax they read. ksh, mksh, ash, busybox and yash
// all read POSIX `export NAME='v'`, so they get `sh`.
const BY_SHELL_NAME: Readonly<Record<string, Format>> = {
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  sh: 'sh',
  dash: 'sh',
  ash: 'sh',
  ksh: 'sh',
  mksh: 'sh',
  busybox: 'sh',
  yash: 'sh',
  pwsh: 'powershell',
  powershell: 'powershell',
};

/**
 * POSIX: `$SHELL`, the user's login shell. bash, zsh and fish do not export a variable that
 * marks them (BASH_VERSION, ZSH_VERSION and FISH_VERSION are shell variables, not environment),
 * so a bash started from a zsh login still says zsh; bash, zsh and sh output are identical, so
 * only a fish/POSIX/pwsh mix-up matters. Unknown shells (csh, nu, xonsh...) get sh.
 *
 * Windows: `PSModulePath` alone proves nothing, since the system sets it for every process, cmd
 * included, to machine-wide folders. But PowerShell, when it starts, prepends the user's own
 * module folder (`<Documents>\WindowsPowerShell\Modules` for 5.1, `<Documents>\PowerShell\Modules`
 * for pwsh), which its children inherit. So a `...PowerShell\Modules` entry outside Program
 * Files and the Windows folder means "started from PowerShell". Limits: a cmd started from
 * PowerShell inherits it too (then the guess is wrong); `$env:PSExecutionPolicyPreference` is set
 * only under `-ExecutionPolicy`, so it is no signal. Git Bash, MSYS2 and Cygwin export `SHELL`,
 * which is honoured first, with the same inheritance caveat the other way round.
 */
export function detectFormat(env: Env, platform: NodeJS.Platform): DetectedFormat {
  const read = (name: string): string | undefined => lookup(env, name, platform === 'win32');
  const shell = read('SHELL');
  const shellName = shell ? baseName(shell) : undefined;
  const byShell = shellName ? BY_SHELL_NAME[shellName] : undefined;

  if (platform === 'win32') {
    if (byShell) return { format: byShell, reason: `SHELL is ${shell} (a POSIX-style shell on Windows)` };
    const userModules = userModulePath(read('PSModulePath') ?? '', [
      read('ProgramFiles'), read('ProgramFiles(x86)'), read('ProgramW6432'), read('SystemRoot'), read('windir'),
      // The usual places, in case a stripped-down environment lacks the variables above.
      'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\Windows',
    ]);
    if (userModules) return { format: 'powershell', reason: `PSModulePath has the user module folder ${userModules}, added by PowerShell` };
    return { format: 'cmd', reason: 'Windows, and PSModulePath has no user module folder, so not started from PowerShell' };
  }

  if (!shell) return { format: 'sh', reason: 'SHELL is not set; POSIX sh syntax works in most shells' };
  if (byShell) return { format: byShell, reason: `SHELL is ${shell}` };
  return { format: 'sh', reason: `SHELL is ${shell}, not a shell stsx knows; POSIX sh syntax is the closest guess` };
}

/** Windows variable names are case-insensitive, but a copied env object is not. */
function lookup(env: Env, name: string, ignoreCase: boolean): string | undefined {
  if (!ignoreCase || env[name] !== undefined) return env[name];
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
}

function userModulePath(psModulePath: string, systemRoots: readonly (string | undefined)[]): string | undefined {
  const roots = systemRoots.filter((r): r is string => !!r).map((r) => r.toLowerCase().replace(/[\\/]+$/, ''));
  return psModulePath.split(';').find((entry) => {
    const lower = entry.toLowerCase().replace(/[\\/]+$/, '');
    if (!/[\\/](windows)?powershell[\\/]modules$/.test(lower)) return false;
    return !roots.some((root) => lower === root || lower.startsWith(`${root}\\`) || lower.startsWith(`${root}/`));
  });
}
