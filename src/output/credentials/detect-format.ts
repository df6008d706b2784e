// Which format to print when the user gave no --format (which always wins; the caller checks it).
// A guess: a program cannot see which shell will eval its output. The best witness is the parent
// process (the shell that runs `eval "$(stsx ...)"` or `stsx ... | source` is, past wrappers like
// npx or sudo, our parent); then what the ancestors exported ($SHELL, PSModulePath). Every rule
// here is a heuristic, and its reason is returned so the caller can show it (--debug).
import type { Format } from './formats.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** A process as the detection needs it: its program name and its parent. */
export interface ProcessEntry {
  name: string;
  ppid: number;
}

/** Where to start and how to look a process up; undefined where it cannot be read. */
export interface Ancestry {
  ppid: number;
  lookup(pid: number): ProcessEntry | undefined;
}

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
 * Programs that run stsx for the user without being the shell that reads its output: look past
 * them to their parent. Package runners (npm, npx, pnpm, yarn) also start their command through
 * `sh -c`, which is theirs, not the user's: see RUNNERS.
 */
const WRAPPERS: ReadonlySet<string> = new Set([
  'node', 'nodejs', 'npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'bun', 'bunx', 'corepack', 'volta-shim',
  'env', 'sudo', 'doas', 'timeout', 'nice', 'nohup', 'time', 'stdbuf', 'ionice', 'chrt', 'setsid', 'flock', 'strace', 'ltrace', 'caffeinate',
]);
const RUNNERS: ReadonlySet<string> = new Set(['npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'bunx']);
/** How many processes up the walk goes: stsx <- sudo <- npm exec <- sh <- the shell. */
const MAX_DEPTH = 5;

/** The program name of a process name: `/bin/zsh`, `-zsh` (a login shell), `npm exec x`, `pwsh.exe`. */
export function programName(name: string): string {
  const trimmed = name.trim().replace(/^-/, '');
  // A path (macOS ps, Windows) may hold spaces; a process title (`npm exec x`) is words.
  const isPath = /^(\/|[A-Za-z]:\\)/.test(trimmed);
  return baseName(isPath ? trimmed : (trimmed.split(' ')[0] ?? ''));
}

/**
 * The shell among our ancestors, past wrappers; otherwise why not, as text: the walk met a
 * program that is neither (a terminal, an IDE, sshd, a build tool...), a process it could not
 * read, or went too far.
 */
export function shellFromAncestry(ancestry: Ancestry): DetectedFormat | string {
  const path: string[] = [];
  const past = (): string => (path.length > 0 ? `, past ${path.join(', ')}` : '');
  let pid = ancestry.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 0; depth += 1) {
    const entry = ancestry.lookup(pid);
    if (!entry) return `the parent process (pid ${pid}${past()}) could not be read`;
    const name = programName(entry.name);
    const format = BY_SHELL_NAME[name];
    if (format) {
      const parent = ancestry.lookup(entry.ppid);
      const parentName = parent ? programName(parent.name) : '';
      if (!RUNNERS.has(parentName)) return { format, reason: `the parent process is ${name} (pid ${pid})${past()}` };
      path.push(`${name} run by ${parentName}`);
    } else if (WRAPPERS.has(name)) {
      path.push(name);
    } else {
      // A process name is anyone's to choose: escape it before it reaches a terminal.
      return `the parent process ${escapeControls(name)} (pid ${pid}${past()}) is not a shell`;
    }
    pid = entry.ppid;
  }
  return `no shell among the first ${MAX_DEPTH} parent processes (${path.join(', ')})`;
}

function escapeControls(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * How to read our ancestors on this system, from the deps: Linux `/proc/<pid>/stat` (a read per
 * process), macOS one `ps` for the whole table (run on first use); none elsewhere.
 */
export function processAncestry(deps: {
  platform: NodeJS.Platform;
  ppid?: number | undefined;
  readProcFile?(path: string): string | undefined;
  listProcesses?(): string | undefined;
}): Ancestry | undefined {
  const { ppid, readProcFile, listProcesses } = deps;
  if (ppid === undefined) return undefined;
  if (deps.platform === 'linux' && readProcFile) {
    return { ppid, lookup: (pid) => parseProcStat(readProcFile(`/proc/${pid}/stat`) ?? '') };
  }
  if (deps.platform === 'darwin' && listProcesses) {
    let table: Map<number, ProcessEntry> | undefined;
    return { ppid, lookup: (pid) => (table ??= parsePsTable(listProcesses() ?? '')).get(pid) };
  }
  return undefined;
}

/** Linux `/proc/<pid>/stat`: `pid (comm) state ppid ...`; comm may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcessEntry | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const ppid = Number(text.slice(close + 1).trim().split(/\s+/)[1]);
  return Number.isInteger(ppid) ? { name: text.slice(open + 1, close), ppid } : undefined;
}

/** macOS `ps -A -o pid=,ppid=,comm=`: one process a line; comm is a path and may hold spaces. */
export function parsePsTable(text: string): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.+)$/.exec(line);
    if (m) table.set(Number(m[1]), { name: (m[3] ?? '').trim(), ppid: Number(m[2]) });
  }
  return table;
}

/**
 * Then, on POSIX, `$SHELL`, the user's login shell. bash, zsh and fish do not export a variable that
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
export function detectFormat(env: Env, platform: NodeJS.Platform, ancestry?: Ancestry): DetectedFormat {
  const fromParent = platform !== 'win32' && ancestry ? shellFromAncestry(ancestry) : undefined;
  if (typeof fromParent === 'object') return fromParent;
  const detected = fromEnvironment(env, platform);
  return fromParent ? { format: detected.format, reason: `${fromParent}; ${detected.reason}` } : detected;
}

function fromEnvironment(env: Env, platform: NodeJS.Platform): DetectedFormat {
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
