// Loads Node built-ins on demand with require(). An ESM `import ... from 'node:http'` makes Node
// enumerate all of http's exports, and one of them lazily loads undici: about 20 ms of start-up
// spent on paths (a cache hit, --help) that never open a socket. require() leaves the getters
// alone, and loading on demand keeps modules such as tty off paths that never prompt.
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Dns from 'node:dns';
import type * as Fs from 'node:fs';
import type * as Tty from 'node:tty';

const requireBuiltin = createRequire(import.meta.url);

export const nodeHttp = (): typeof Http => requireBuiltin('node:http') as typeof Http;
export const nodeHttps = (): typeof Https => requireBuiltin('node:https') as typeof Https;
export const nodeDns = (): typeof Dns => requireBuiltin('node:dns') as typeof Dns;
export const nodeFs = (): typeof Fs => requireBuiltin('node:fs') as typeof Fs;
export const nodeTty = (): typeof Tty => requireBuiltin('node:tty') as typeof Tty;
