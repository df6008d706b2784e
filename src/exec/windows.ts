// How `stsx exec` starts a command on Windows, as pure functions (tested as tables on any OS).
//
// Node's spawn without a shell finds `foo.exe` but not `foo` through PATHEXT, and it refuses to
// start a .cmd or .bat file at all (CVE-2024-27980): those run only through cmd.exe, which
// re-parses the whole line. stsx finds the file itself (PATH, then PATHEXT, as cmd.exe does) and,
// for a batch file, builds the cmd.exe line itself: every argument in double quotes, and an
// argument that cmd.exe would still expand or split inside quotes (`"`, `%`, `!`, a line break,
// NUL) is refused with a clear message rather than escaped, because no escaping survives both
// cmd.exe's parse and the batch file's own `%1` expansion.
import { UsageError } from '../errors.ts';

export interface WindowsLookup {
  /** PATH, `;`-separated. */
  path: string | undefined;
  /** PATHEXT, `;`-separated, e.g. `.COM;.EXE;.BAT;.CMD`. */
  pathext: string | undefined;
  cwd: string;
  /** Whether this is an existing file (not a directory). */
  isFile(candidate: string): boolean;
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

function join(dir: string, name: string): string {
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}\\${name}`;
}

function isAbsolute(name: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(name) || /^[\\/]{2}/.test(name);
}

/**
 * The file a command name means: a name with a directory part is taken relative to cwd (or as
 * is, when absolute); a bare name is looked up in cwd, then each PATH entry (cmd.exe's order).
 * Forward slashes count as backslashes. A name without an extension in PATHEXT is tried with each PATHEXT extension in order; a name
 * that already has one is tried as is first. Undefined when nothing matches.
 */
export function resolveWindowsCommand(given: string, lookup: WindowsLookup): string | undefined {
  // Windows takes either separator; the answer uses its own.
  const name = given.replace(/\//g, '\\');
  const exts = (lookup.pathext ?? DEFAULT_PATHEXT).split(';').map((e) => e.trim().toLowerCase()).filter((e) => e.startsWith('.'));
  const lower = name.toLowerCase();
  const hasKnownExt = exts.some((e) => lower.endsWith(e));
  const candidates = (base: string): string[] => [...(hasKnownExt ? [base] : []), ...exts.map((e) => `${base}${e}`)];
  const hasDir = /[\\/]/.test(name) || /^[A-Za-z]:/.test(name);
  const dirs = hasDir ? [isAbsolute(name) ? '' : lookup.cwd] : [lookup.cwd, ...(lookup.path ?? '').split(';').map((d) => d.trim().replace(/^"(.*)"$/, '$1')).filter((d) => d !== '')];
  for (const dir of dirs) {
    const base = dir === '' ? name : join(dir, name);
    for (const candidate of candidates(base)) if (lookup.isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Whether Node can only start this file through cmd.exe. */
export function isBatchFile(file: string): boolean {
  return /\.(cmd|bat)$/i.test(file);
}

// Characters cmd.exe acts on even inside double quotes, or that end the line.
const UNSAFE_IN_CMD = /["%!\r\n\0]/;

/** One argument as cmd.exe reads it: always in double quotes (so & | < > ^ ( ) and spaces stay literal). */
export function quoteCmdArgument(arg: string, position: string): string {
  const bad = UNSAFE_IN_CMD.exec(arg);
  if (bad) {
    const shown = bad[0] === '\r' ? 'a carriage return' : bad[0] === '\n' ? 'a line break' : bad[0] === '\0' ? 'a NUL character' : `\`${bad[0]}\``;
    throw new UsageError(`${position} contains ${shown}, which cmd.exe would expand or split even in quotes; stsx does not pass it to a .cmd/.bat file`, {
      hint: 'run the .exe behind the batch file directly, or pass the value through an environment variable',
    });
  }
  // A trailing backslash would escape the closing quote for the program the batch file starts.
  return `"${arg.replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * What to spawn on Windows: an .exe (or anything but a batch file) directly with its arguments;
 * a .cmd/.bat through `cmd.exe /d /s /c "<line>"` with the line passed verbatim.
 */
export function windowsSpawnPlan(file: string, args: readonly string[], comspec: string | undefined): { file: string; args: string[]; verbatim: boolean } {
  if (!isBatchFile(file)) return { file, args: [...args], verbatim: false };
  const line = [quoteCmdArgument(file, 'the command path'), ...args.map((a, i) => quoteCmdArgument(a, `argument ${i + 1}`))].join(' ');
  // /d: no AutoRun commands from the registry; /s /c "...": strip exactly the outer quotes.
  return { file: comspec ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${line}"`], verbatim: true };
}
