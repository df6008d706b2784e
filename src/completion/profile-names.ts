// Profile names for `--profile` completion: every profile of the config and credentials files,
// by the same parser as the rest of stsx, but lenient: a broken file still completes what it
// can, and nothing here can fail loudly in the middle of someone's TAB.
import type { Env } from '../deps.ts';
import { configFilePaths, readConfigText, type ReadTextFile } from '../config/config-files.ts';
import { profileNamesOf } from '../config/parse-ini.ts';

const SAFE_NAME = /^[\w.@+=,:%/-]+$/;

export async function profileNames(env: Env, homedir: string, readFile: ReadTextFile): Promise<string[]> {
  let paths;
  try {
    paths = configFilePaths(env, homedir);
  } catch {
    return [];
  }
  const read = (file: string): Promise<string> => readConfigText(file, readFile).catch(() => '');
  const [config, credentials] = await Promise.all([read(paths.config), read(paths.credentials)]);
  const names = new Set<string>();
  const add = (name: string): void => {
    // Names are the file's to choose, and a completion is typed into the user's command line
    // as it is: only names of plain characters are offered (no control characters for the
    // terminal, no blanks to split, no `$`, backticks, quotes or globs for a shell to expand).
    // Others can still be typed.
    if (SAFE_NAME.test(name)) names.add(name);
  };
  // The profiles as the rest of stsx reads them (`[profile x]` and `[default]` in the config file, `[x]` in the credentials file).
  for (const name of profileNamesOf(config, 'config')) add(name);
  for (const name of profileNamesOf(credentials, 'credentials')) add(name);
  return [...names].sort();
}

/** One candidate a line, as `stsx __complete` prints them. */
export function completionLines(words: readonly string[]): string {
  return words.map((w) => `${w}\n`).join('');
}
