#!/usr/bin/env node
// Thin launcher. Node's compile cache (Node 22.1+) keeps the compiled bundle in the user's cache
// directory, which saves parsing on every later start; it is best-effort and never fatal.
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

if (typeof module.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
  try {
    const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME)
      ? process.env.XDG_CACHE_HOME
      : process.platform === 'win32' && process.env.LOCALAPPDATA
        ? process.env.LOCALAPPDATA
        : path.join(os.homedir(), '.cache');
    module.enableCompileCache(path.join(base, 'stsx', 'compile-cache'));
  } catch {
    // a read-only home only costs speed
  }
}
await import('../dist/stsx.js');
