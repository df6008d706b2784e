#!/usr/bin/env node
// Thin launcher. Node's compile cache (Node 22.1+) keeps the compiled bundle in the user's cache
// directory, which saves parsing on every later start; it is best-effort and never fatal. Only
// node:module is imported here: every other built-in would cost start-up for --version too. The
// directory follows src/cache/cache-dir.ts (which the launcher cannot import: it runs before the bundle).
import { enableCompileCache } from 'node:module';

const env = process.env;
const sep = process.platform === 'win32' ? '\\' : '/';
// Only absolute directories: a relative HOME must not put the cache under the current directory.
const absolute = (dir) => (dir && /^(\/|[A-Za-z]:\\)/.test(dir) ? dir : undefined);
const base = absolute(env.XDG_CACHE_HOME)
  ?? (process.platform === 'win32' ? absolute(env.LOCALAPPDATA) : absolute(env.HOME) && `${env.HOME}/.cache`);
if (typeof enableCompileCache === 'function' && !env.NODE_COMPILE_CACHE && base) {
  try {
    enableCompileCache(`${base}${sep}stsx${sep}compile-cache`);
  } catch {
    // a read-only home only costs speed
  }
}
await import('../dist/stsx.js');
