// Reads the shared config and credentials files by the rules all AWS SDKs share (parse-ini.ts):
// a file they refuse is an error naming the file and line, and the lines the AWS CLI or the JS SDK
// read differently are kept as notes for the lint (`stsx profiles` shows them). Unreadable files
// are errors too; a missing file is empty.
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { Env } from '../deps.ts';
import { IniError, type IniKind } from './parse-ini.ts';
import { LazyIni, surelyValid } from './lazy-ini.ts';
import { absoluteHome } from './home-dir.ts';
import type { ConfigNote, IniSection, IniSections } from './ini-types.ts';

export type { ConfigNote, IniFile, IniSection, IniSections } from './ini-types.ts';

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
  /** Lines the AWS CLI or the JS SDK read differently from the spec (and stsx), in file order; `more` counts those left out (parses both files whole). */
  notes?: (() => { lines: ConfigNote[]; more: number }) | undefined;
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

/** A file the SDKs refuse, as one ConfigError naming the file and line. */
function refusal(file: string, error: IniError): ConfigError {
  const at = `${file}:${error.line}`;
  switch (error.kind) {
    case 'bom':
      return new ConfigError(`${at}: the file starts with a byte-order mark (U+FEFF), which the AWS CLI and the AWS SDKs (but JavaScript's) refuse`, { hint: 'save the file as UTF-8 without a byte-order mark' });
    case 'header':
      return new ConfigError(`malformed section header at ${at}`, { hint: 'a section looks like [profile name] (config) or [name] (credentials), alone on its line or followed by a comment' });
    case 'before-section':
      return new ConfigError(`${at}: a setting appears before any [section]`, { hint: 'put settings under a [default] or [profile name] header' });
    case 'no-equals':
      // "key = value": at least one character before the first `=`.
      return new ConfigError(`malformed line at ${at}: expected "key = value"`, { hint: 'fix or comment out that line (comments start with # in the first column)' });
    case 'continuation':
      return new ConfigError(`${at}: an indented line that continues no setting`, { hint: 'only the continuation of a value is indented: remove the blanks before that line (a comment starts with # in the first column)' });
    case 'indented-comment':
      return new ConfigError(`${at}: an indented comment under no setting, which the AWS SDKs (but JavaScript's) refuse`, { hint: 'start the comment in the first column: an indented line continues the setting above it' });
    case 'sub-property':
      return new ConfigError(`malformed line at ${at}: expected "name = value" under a setting with an empty value`, { hint: 'indented lines under "name =" are its sub-settings, each "name = value"' });
  }
}

/** A file's profiles, with the config file's sso-session and services sections by their prefixed names. */
class Sections implements IniSections {
  readonly #ini: LazyIni;
  constructor(ini: LazyIni) {
    this.#ini = ini;
  }

  get(name: string): IniSection | undefined {
    const profile = this.#ini.get('profile', name);
    if (profile !== undefined || !name.includes('.')) return profile;
    if (name.startsWith('sso-session.')) return this.#ini.get('sso-session', name.slice(12));
    if (name.startsWith('services.')) return this.#ini.get('services', name.slice(9));
    return undefined;
  }

  names(): string[] {
    return [...this.#ini.all().profiles.keys()];
  }

  others(): { ssoSessions: ReadonlyMap<string, IniSection>; services: ReadonlyMap<string, IniSection> } {
    const all = this.#ini.all();
    return { ssoSessions: all.ssoSessions, services: all.services };
  }

  /** The lines another AWS tool reads differently, and how many more there were. */
  notes(file: string): { lines: ConfigNote[]; more: number } {
    const all = this.#ini.all();
    return { lines: all.notes.map((n) => ({ file, line: n.line, text: n.text })), more: all.noteCount - all.notes.length };
  }
}

/**
 * One file's text as IniSections, or the ConfigError that names its bad line. A file the quick
 * check clears is read one profile at a time (lazy-ini.ts); any other is parsed whole now.
 */
export function sectionsOf(text: string, kind: IniKind, file: string, whole = false): IniSections & { notes(file: string): { lines: ConfigNote[]; more: number } } {
  const ini = new LazyIni(text, kind);
  if (whole || !surelyValid(text)) {
    try {
      ini.all();
    } catch (error) {
      if (error instanceof IniError) throw refusal(file, error);
      throw error;
    }
  }
  return new Sections(ini);
}

/** `whole`: every profile will be read (a listing): both files are parsed whole at once, without the lazy reader's check first. */
export async function loadConfigFiles(paths: ConfigFilePaths, readFile: ReadTextFile, whole = false): Promise<ConfigFiles> {
  const [configText, credentialsText] = await Promise.all([
    readConfigText(paths.config, readFile),
    readConfigText(paths.credentials, readFile),
  ]);
  const config = sectionsOf(configText, 'config', paths.config, whole);
  const credentials = sectionsOf(credentialsText, 'credentials', paths.credentials, whole);
  const notes = (): { lines: ConfigNote[]; more: number } => {
    const a = config.notes(paths.config);
    const b = credentials.notes(paths.credentials);
    return { lines: [...a.lines, ...b.lines], more: a.more + b.more };
  };
  return { paths, config, credentials, notes };
}
