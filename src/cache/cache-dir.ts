// Where cached credentials live: the platform's per-user cache directory, never a shared or
// roaming one (the files hold live secrets; LOCALAPPDATA, unlike APPDATA, does not roam), and never
// the current directory (a relative home directory is a ConfigError).
import path from 'node:path';
import type { Env } from '../deps.ts';
import { absoluteHome } from '../config/home-dir.ts';

export function cacheDir(env: Env, homedir: string, platform: NodeJS.Platform): string {
  // win32 paths are built with path.win32 whatever the host, so this stays a pure function.
  const p = platform === 'win32' ? path.win32 : path.posix;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored; honouring it
  // everywhere (not only on Linux) lets a user or a CI job move the cache explicitly.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, 'stsx');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local && p.isAbsolute(local) ? p.join(local, 'stsx') : p.join(absoluteHome(homedir, 'the credential cache', p), 'AppData', 'Local', 'stsx');
  }
  return p.join(absoluteHome(homedir, 'the credential cache', p), '.cache', 'stsx');
}
