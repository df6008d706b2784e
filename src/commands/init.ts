// `stsx init <shell>`: the script for the user's rc file (scripts.ts), and `stsx __complete`, the
// hidden helper the completion scripts call for what only run time knows (profile names) and, for
// nushell, for every word.
import type { Command } from 'commander';
import type { CommandContext } from '../steps/command-context.ts';
import { writeOutput } from '../output/write-output.ts';
import { candidates, completionSpec, type Shell } from '../completion/spec.ts';
import { initScript } from '../completion/scripts.ts';
import { completionLines, profileNames } from '../completion/profile-names.ts';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { configFilePaths, loadConfigFiles } from '../config/config-files.ts';
import { profileRows } from '../profiles/list-profiles.ts';
import { profileSummary } from '../profiles/render-profiles.ts';

export async function runInit(ctx: CommandContext, shell: Shell, program: Command): Promise<void> {
  await writeOutput(ctx.deps.stdout, initScript(shell, completionSpec(program)));
}

/**
 * `stsx __complete profiles`, `stsx __complete profile-descriptions` (a line `name<TAB>kind role`
 * a profile, for fish's menu) or `stsx __complete words -- <words after stsx>`: one candidate a line.
 */
export async function runComplete(ctx: CommandContext, what: string, words: readonly string[], program: Command): Promise<void> {
  const { env, homedir, readFile } = ctx.deps;
  if (what === 'profile-descriptions') {
    await writeOutput(ctx.deps.stdout, await profileDescriptions(ctx));
    return;
  }
  const profiles = await profileNames(env, homedir, readFile);
  const sources = { profiles: () => profiles, files: listFiles, commands: (prefix: string) => listCommands(env['PATH'] ?? '', prefix) };
  const list = what === 'profiles' ? profiles : what === 'words' ? candidates(completionSpec(program), words.length > 0 ? words : [''], sources) : [];
  await writeOutput(ctx.deps.stdout, completionLines(list));
}

/** At most this many names from one directory: a completion is for a person to read. */
const MAX_ENTRIES = 1000;
/** What a completion may offer as it is: no control characters, blanks or quotes. */
const PLAIN = /^[\w.@+=,:/~%-]+$/;

/** Paths beginning with the prefix (`~/` as home), directories with a `/` after them. */
function listFiles(prefix: string): string[] {
  const slash = prefix.lastIndexOf('/');
  const dir = slash < 0 ? '.' : prefix.slice(0, slash + 1);
  const base = prefix.slice(slash + 1);
  const home = process.env['HOME'];
  const real = dir.startsWith('~/') && home ? path.join(home, dir.slice(2)) : dir;
  let entries;
  try {
    entries = readdirSync(real, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (out.length >= MAX_ENTRIES) break;
    if (!e.name.startsWith(base) || (base === '' && e.name.startsWith('.')) || !PLAIN.test(e.name)) continue;
    const full = `${slash < 0 ? '' : dir}${e.name}`;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) isDir = statSync(path.join(real, e.name), { throwIfNoEntry: false })?.isDirectory() ?? false;
    out.push(isDir ? `${full}/` : full);
  }
  return out.sort();
}

/** Executables on PATH whose names begin with the prefix. */
function listCommands(pathVar: string, prefix: string): string[] {
  const names = new Set<string>();
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir || names.size >= MAX_ENTRIES) continue;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (!name.startsWith(prefix) || names.has(name) || !PLAIN.test(name)) continue;
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        names.add(name);
      } catch {
        // not executable
      }
    }
  }
  return [...names].sort();
}

/** `name<TAB>role arn:...` for each profile, from the files alone (no cache, no SDK). */
async function profileDescriptions(ctx: CommandContext): Promise<string> {
  const { env, homedir, readFile } = ctx.deps;
  let files;
  try {
    files = await loadConfigFiles(configFilePaths(env, homedir), readFile);
  } catch {
    return '';
  }
  const rows = profileRows(files, []);
  // Names and ARNs come from the files: a line carries only plain characters (no tab, no newline, no escape).
  return rows.filter((r) => PLAIN.test(r.name)).map((r) => `${r.name}\t${profileSummary(r).replace(/[^\w.@+=,:/ -]/g, '?')}\n`).join('');
}
