// The Identity Center token cache the AWS CLI and the SDKs share: `~/.aws/sso/cache/<sha1>.json`
// with the fields they read and write (botocore `SSOTokenLoader`, the JS SDK's
// `@aws-sdk/token-providers`). A token stsx writes serves them, and theirs serves stsx.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { writeThroughTemp } from '../files/bounded-io.ts';
import { readFileHead } from '../files/fs-async.ts';
import path from 'node:path';
import { terminalText } from '../text/terminal-text.ts';

export interface CachedToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** ISO 8601 UTC, `...Z` (what the SDKs parse). */
  expiresAt: string;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  registrationExpiresAt?: string | undefined;
  refreshToken?: string | undefined;
}

/** A token file is a few kilobytes; anything far larger is not one. */
const MAX_TOKEN_FILE = 64 * 1024;

function tokenCacheDir(homedir: string): string {
  return path.join(homedir, '.aws', 'sso', 'cache');
}

export function tokenCacheFile(homedir: string, cacheKey: string): string {
  return path.join(tokenCacheDir(homedir), `${createHash('sha1').update(cacheKey).digest('hex')}.json`);
}

export type TokenRead = { state: 'missing' } | { state: 'ok'; token: CachedToken } | { state: 'bad'; why: string };

/** The cached token, if the file holds one (a file that does not is reported, never thrown). */
export async function readCachedToken(file: string): Promise<TokenRead> {
  let text: string;
  try {
    // The project's bounded reader: at most one byte past the cap, a FIFO within its deadline.
    const head = await readFileHead(file, MAX_TOKEN_FILE);
    if (head.length > MAX_TOKEN_FILE) return { state: 'bad', why: `${terminalText(file)} is larger than ${String(MAX_TOKEN_FILE)} bytes` };
    text = head.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'bad', why: `cannot read ${terminalText(file)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { state: 'bad', why: `${terminalText(file)} is not JSON` };
  }
  if (typeof data !== 'object' || data === null) return { state: 'bad', why: `${terminalText(file)} is not a token` };
  const d = data as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof d[k] === 'string' ? d[k] : undefined);
  const accessToken = str('accessToken');
  const expiresAt = str('expiresAt');
  if (accessToken === undefined || expiresAt === undefined || Number.isNaN(Date.parse(expiresAt))) return { state: 'bad', why: `${terminalText(file)} has no accessToken or expiresAt` };
  return {
    state: 'ok',
    token: {
      startUrl: str('startUrl') ?? '',
      region: str('region') ?? '',
      accessToken,
      expiresAt,
      clientId: str('clientId'),
      clientSecret: str('clientSecret'),
      registrationExpiresAt: str('registrationExpiresAt'),
      refreshToken: str('refreshToken'),
    },
  };
}

/** Writes the token atomically (a private temp file renamed over the old one), mode 0600, in a 0700 directory. */
export async function writeCachedToken(file: string, token: CachedToken): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Only the fields that are set, in the order the AWS CLI writes them.
  const out: Record<string, string> = {};
  for (const key of ['startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken'] as const) {
    const value = token[key];
    if (value !== undefined) out[key] = value;
  }
  const temp = path.join(dir, `.${path.basename(file)}.${String(process.pid)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeThroughTemp(temp, `${JSON.stringify(out)}\n`, () => rename(temp, file));
}

export async function removeCachedToken(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** An expiry as the SDKs write it: whole seconds, UTC, `Z`. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
