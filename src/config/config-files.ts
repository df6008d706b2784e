// Reads the shared config and credentials files. Parsing follows the AWS SDK's own rules (see
// parse-ini.ts), so stsx sees the same profiles, `[services]` sections and nested keys as the
// credential providers it hands them to; this module adds what the SDK's lenient parser does not: unreadable files and lines that are
// neither a section, a `key = value`, a continuation nor a comment are errors, as in the AWS CLI
// (lintIni checks the whole file; a section's settings are parsed only when asked for).
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { Env } from '../deps.ts';
import { lazySections, lintIni, type IniProblem } from './parse-ini.ts';
import { absoluteHome } from './home-dir.ts';
import type { IniSections } from './ini-types.ts';

export type { IniFile, IniSection, IniSections } from './ini-types.ts';

export interface ConfigFilePaths {
  config: string;
  credentials: string;
}

export interface ConfigFiles {
  paths: ConfigFilePaths;
  /** Profiles of the config file, keyed by name (`[profile x]` -> `x`), plus `services.<name>` and `sso-session.<name>`. */
  config: IniSections;
  /** Profiles of the credentials file, keyed by name. */
  credentials: IniSections;
}

/** Where the files are: `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/...`. */
export function configFilePaths(env: Env, homedir: string): ConfigFilePaths {
  // The home directory is checked only where it is used: both variables set to absolute paths need none.
  const home = (): string => absoluteHome(homedir, 'the AWS config files');
  const expand = (p: string): string => (p.startsWith('~/') || p === '~' ? path.join(home(), p.slice(1)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || path.join(home(), '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home(), '.aws', 'credentials')),
  };
}

export type ReadTextFile = (file: string) => Promise<string>;

/** Reads one file; a missing file is empty, any other failure is a ConfigError naming the file. */
export async function readConfigText(file: string, readFile: ReadTextFile): Promise<string> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory'
      : code === 'ETIMEDOUT' ? `${(error as Error).message}, and it is a FIFO (does anything write to it?)`
      : code === 'EFBIG' ? `${(error as Error).message} from a FIFO` : (code ?? ((error as Error).message || 'unknown error'));
    throw new ConfigError(`cannot read ${file}: ${why}`, {
      hint: 'fix the file permissions, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a readable file',
      cause: error,
    });
  }
}

/** The AWS CLI's refusals, which the SDK's lenient parser accepts: a ConfigError naming the file and line. */
function lintFailure(file: string): (problem: IniProblem, line: number) => never {
  return (problem, line) => {
    switch (problem) {
      case 'header':
        throw new ConfigError(`malformed section header at ${file}:${line}`, { hint: 'a section looks like [profile name] (config) or [name] (credentials)' });
      case 'before-section':
        throw new ConfigError(`${file}:${line}: a setting appears before any [section]`, { hint: 'put settings under a [default] or [profile name] header' });
      case 'no-equals':
        // "key = value": at least one character before the first `=`.
        throw new ConfigError(`malformed line at ${file}:${line}: expected "key = value"`, { hint: 'fix or comment out that line (comments start with #)' });
    }
  };
}

export async function loadConfigFiles(paths: ConfigFilePaths, readFile: ReadTextFile): Promise<ConfigFiles> {
  const [configText, credentialsText] = await Promise.all([
    readConfigText(paths.config, readFile),
    readConfigText(paths.credentials, readFile),
  ]);
  // A bad line in either file is reported before what the SDK's parse refuses.
  lintIni(configText, lintFailure(paths.config));
  lintIni(credentialsText, lintFailure(paths.credentials));
  try {
    return { paths, config: lazySections(configText, true), credentials: lazySections(credentialsText, false) };
  } catch (error) {
    throw new ConfigError(`cannot use the AWS config files: ${(error as Error).message}`, { hint: `fix ${paths.config} or ${paths.credentials}` });
  }
}
