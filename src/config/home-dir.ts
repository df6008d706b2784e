// The home directory, where stsx needs one (the default config files and the cache). A relative
// HOME would silently put both under whatever directory stsx runs in, reading a config file or
// writing live credentials there: it is a configuration error instead.
import path from 'node:path';
import { ConfigError } from '../errors.ts';

/** `p`: the path flavour the caller builds paths with (the host's by default). */
export function absoluteHome(homedir: string, what: string, p: path.PlatformPath = path): string {
  if (homedir !== '' && p.isAbsolute(homedir)) return homedir;
  const name = p === path.win32 ? 'USERPROFILE' : 'HOME';
  throw new ConfigError(`the home directory ${JSON.stringify(homedir)} is not an absolute path, so stsx cannot place ${what}`, {
    hint: `set ${name} to an absolute path${what === 'the credential cache' ? ', or XDG_CACHE_HOME' : ', or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE'}`,
  });
}
