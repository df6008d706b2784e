// The config line `stsx keys` writes in place of plaintext keys, `credential_process = stsx keys
// get PROFILE`, and its recognition: when stsx meets its own line it reads the store directly (no
// second process), and knows the keys are an IAM user's long-term keys (so MFA sessions and role
// durations are decided as for keys in the file).
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { BackendName } from './key-store.ts';

export interface OwnLine {
  profile: string;
  backend: BackendName | undefined;
}

const SAFE_WORD = /^[A-Za-z0-9_+=,.@/:%-]+$/;

/** A word for the line: bare when plain, else double-quoted (the AWS CLI splits like a POSIX shell; the SDKs run it through one). */
function word(text: string): string {
  if (SAFE_WORD.test(text)) return text;
  if (/["$`\\\n\r]/.test(text)) throw new ConfigError(`cannot put ${JSON.stringify(text)} in a credential_process line: it holds a quote, $, \` or backslash`);
  return `"${text}"`;
}

/** The line for this profile. `launcher`: the words that start this stsx (`stsx` when it is on PATH). */
export function ownLine(launcher: readonly string[], profile: string, backend: BackendName | undefined): string {
  return [...launcher.map(word), 'keys', 'get', word(profile), ...(backend === 'file' ? ['--backend', 'file'] : [])].join(' ');
}

function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  const re = /\s*(?:"([^"]*)"|'([^']*)'|(\S+))/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(line)) !== null) {
    words.push(m[1] ?? m[2] ?? m[3] ?? '');
    at = re.lastIndex;
  }
  return line.slice(at).trim() === '' ? words : undefined;
}

const STSX_NAMES = new Set(['stsx', 'stsx.js', 'stsx.exe', 'stsx.cmd']);

/** The profile and backend of a `credential_process` that is stsx's own line, else undefined. */
export function parseOwnLine(commandLine: string): OwnLine | undefined {
  const words = splitWords(commandLine.trim());
  if (!words || words.length < 4) return undefined;
  let i = 0;
  const base = (w: string | undefined): string => path.basename(w ?? '').toLowerCase();
  if (/^(node|nodejs|node\.exe)$/.test(base(words[0]))) i = 1;
  if (!STSX_NAMES.has(base(words[i])) && !/^stsx-(linux|darwin|win)/.test(base(words[i]))) return undefined;
  const rest = words.slice(i + 1);
  if (rest[0] !== 'keys' || rest[1] !== 'get' || rest[2] === undefined || rest[2].startsWith('-')) return undefined;
  const profile = rest[2];
  const tail = rest.slice(3);
  if (tail.length === 0) return { profile, backend: undefined };
  if (tail.length === 2 && tail[0] === '--backend' && (tail[1] === 'file' || tail[1] === 'keyring')) return { profile, backend: tail[1] };
  return undefined;
}
