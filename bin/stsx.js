#!/usr/bin/env node
// Thin launcher. Node's compile cache (Node 22.1+) keeps the compiled bundle in the user's cache
// directory, which saves parsing on every later start; it is best-effort and never fatal. Only
// node:module is imported here: every other built-in would cost start-up for --version too. The
// directory follows src/cache/cache-dir.ts (which the launcher cannot import: it runs before the bundle).
import { enableCompileCache } from 'node:module';

const env = process.env;
const sep = process.platform === 'win32' ? '\\' : '/';
const base = env.XDG_CACHE_HOME && /^(\/|[A-Za-z]:\\)/.test(env.XDG_CACHE_HOME)
  ? env.XDG_CACHE_HOME
  : process.platform === 'win32'
    ? env.LOCALAPPDATA
    : env.HOME && `${env.HOME}/.cache`;
if (typeof enableCompileCache === 'function' && !env.NODE_COMPILE_CACHE && base) {
  try {
    enableCompileCache(`${base}${sep}stsx${sep}compile-cache`);
  } catch {
    // a read-only home only costs speed
  }
}
await import('../dist/stsx.js');
