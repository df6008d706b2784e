// The encrypted-file backend, for machines without a keyring (headless Linux, WSL, CI): every
// profile's keys in one JSON document, encrypted with AES-256-GCM under a key derived from a
// passphrase with scrypt (N=2^15, r=8, p=1: about 32 MiB and a tenth of a second, OWASP's floor).
// The header (format, KDF parameters, salt, IV) is the GCM associated data, so none of it can be
// changed unnoticed; a wrong passphrase and a damaged file both fail authentication and are told
// apart only by what can be known: the file's shape. Written atomically, mode 0600.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { writeThroughTemp } from '../files/bounded-io.ts';
import { readFileHead } from '../files/fs-async.ts';
import path from 'node:path';
import type { Env } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { checkStoredKeys, type KeyStore, type StoredKeys } from './key-store.ts';

const FORMAT = 'stsx-keys';
const KDF = { name: 'scrypt', N: 32768, r: 8, p: 1 } as const;
/** A keys file holds a few hundred bytes per profile; anything far larger is not one. */
const MAX_FILE = 4 * 1024 * 1024;

function keysFilePath(env: Env, homedir: string, platform: NodeJS.Platform): string {
  if (env.STSX_KEYS_FILE) return path.resolve(env.STSX_KEYS_FILE);
  if (platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'stsx', 'keys.enc');
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir, '.config');
  return path.join(base, 'stsx', 'keys.enc');
}

interface Header {
  format: typeof FORMAT;
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
}

function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const headerText = (h: Header): string => JSON.stringify(h);

export interface FileStoreIo {
  env: Env;
  homedir: string;
  platform: NodeJS.Platform;
  /** The passphrase: STSX_FILE_PASSPHRASE, else asked on the terminal (`creating` asks twice). */
  passphrase(creating: boolean): Promise<string>;
}

export function openFileStore(io: FileStoreIo): KeyStore {
  const file = keysFilePath(io.env, io.homedir, io.platform);
  const shown = terminalText(file);
  let opened: { header: Header; key: Buffer; entries: Map<string, StoredKeys> } | undefined;

  const damaged = (why: string): ConfigError => new ConfigError(`${shown} is damaged (${why})`, { hint: 'restore it from a backup, or move it away and store the keys again (stsx keys add)' });

  async function load(): Promise<{ header: Header; key: Buffer; entries: Map<string, StoredKeys> } | undefined> {
    if (opened) return opened;
    let text: string;
    try {
      const head = await readFileHead(file, MAX_FILE);
      if (head.length > MAX_FILE) throw damaged(`larger than ${String(MAX_FILE)} bytes`);
      text = head.toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let doc: { header?: Header; tag?: unknown; data?: unknown };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      throw damaged('not JSON: truncated or overwritten');
    }
    const h = doc.header;
    if (!h || h.format !== FORMAT || h.version !== 1 || h.cipher !== 'aes-256-gcm' || h.kdf?.name !== 'scrypt' || typeof doc.tag !== 'string' || typeof doc.data !== 'string') throw damaged('not an stsx keys file');
    const { N, r, p } = h.kdf;
    if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20 || r > 32 || p > 16 || (N & (N - 1)) !== 0) throw damaged('KDF parameters out of range');
    const salt = Buffer.from(h.kdf.salt, 'base64');
    const iv = Buffer.from(h.iv, 'base64');
    const tag = Buffer.from(doc.tag, 'base64');
    if (salt.length < 16 || iv.length !== 12 || tag.length !== 16) throw damaged('salt, IV or tag has the wrong length');
    const key = await deriveKey(await io.passphrase(false), salt, N, r, p);
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(headerText(h)));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(Buffer.from(doc.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new ConfigError(`cannot open ${shown}: wrong passphrase, or the file was altered`, { hint: 'check STSX_FILE_PASSPHRASE (or what you typed)' });
    }
    const entries = new Map<string, StoredKeys>();
    let data: unknown;
    try {
      data = JSON.parse(plain);
    } catch {
      throw damaged('its content is not JSON');
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw damaged('its content is not a map of profiles');
    for (const [name, value] of Object.entries(data as Record<string, unknown>)) entries.set(name, checkStoredKeys(value, `${shown} (profile "${terminalText(name)}")`));
    opened = { header: h, key, entries };
    return opened;
  }

  async function save(entries: Map<string, StoredKeys>): Promise<void> {
    let state = await load();
    if (!state) {
      const salt = randomBytes(16);
      const header: Header = { format: FORMAT, version: 1, kdf: { ...KDF, salt: salt.toString('base64') }, cipher: 'aes-256-gcm', iv: '' };
      state = { header, key: await deriveKey(await io.passphrase(true), salt, KDF.N, KDF.r, KDF.p), entries };
    }
    // A fresh IV for every write: GCM must never see one twice under a key.
    const header: Header = { ...state.header, iv: randomBytes(12).toString('base64') };
    const cipher = createCipheriv('aes-256-gcm', state.key, Buffer.from(header.iv, 'base64'));
    cipher.setAAD(Buffer.from(headerText(header)));
    const body = Object.create(null) as Record<string, StoredKeys>;
    for (const [name, keys] of entries) body[name] = keys;
    const data = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
    const text = `${JSON.stringify({ header, tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') })}\n`;
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${String(process.pid)}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeThroughTemp(temp, text, () => rename(temp, file));
    } catch (error) {
      throw new ConfigError(`cannot write ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    opened = { header, key: state.key, entries };
  }

  return {
    backend: 'file',
    where: `the encrypted file ${shown}`,
    async get(profile) {
      return (await load())?.entries.get(profile);
    },
    async set(profile, keys) {
      const entries = new Map((await load())?.entries ?? []);
      entries.set(profile, keys);
      await save(entries);
    },
    async remove(profile) {
      const state = await load();
      if (!state?.entries.has(profile)) return false;
      const entries = new Map(state.entries);
      entries.delete(profile);
      await save(entries);
      return true;
    },
    async list() {
      return new Map((await load())?.entries ?? []);
    },
  };
}

