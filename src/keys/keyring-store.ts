// The OS credential store through @napi-rs/keyring (prebuilt for each platform, one API over the
// macOS Keychain, Windows Credential Manager and the Linux Secret Service). It is an optional
// dependency loaded on demand: a missing addon, a locked keyring or no session bus is reported as
// "no keyring here", naming the way out (--backend file). On Linux the entry is pinned to the
// Secret Service: the addon would otherwise fall back to the kernel keyring, which forgets
// everything at reboot.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Sea from 'node:sea';
import type * as Fs from 'node:fs';
import type * as Crypto from 'node:crypto';
import { cacheDir } from '../cache/cache-dir.ts';
import { isOwnPrivateDir } from '../files/private-dir.ts';
import type { Env } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { checkStoredKeys, type KeyStore, type StoredKeys } from './key-store.ts';

import type * as KeyringModule from '@napi-rs/keyring';

type Keyring = typeof KeyringModule;

const SERVICE = 'stsx';

interface AddonHome {
  env: Env;
  homedir: string;
  platform: NodeJS.Platform;
}

function loadKeyring(home: AddonHome): Keyring {
  const req = createRequire(import.meta.url);
  const sea = req('node:sea') as typeof Sea;
  if (sea.isSea()) return fromSeaAsset(sea, home, req);
  try {
    return req('@napi-rs/keyring') as Keyring;
  } catch (error) {
    throw new ConfigError(`the OS keyring cannot be used: its addon @napi-rs/keyring is not installed for ${process.platform}-${process.arch} (${terminalText((error as Error).message).slice(0, 120)})`, {
      hint: 'use the encrypted file instead: --backend file (or STSX_KEYS_BACKEND=file)',
    });
  }
}

/**
 * The single executable carries its platform's addon as a SEA asset (scripts/build-binaries.ts);
 * Node loads addons only from files, so it is written once into the user's own cache directory
 * (0700, never a shared temp dir another user could swap a library into), named by its SHA-256
 * and checked against it before each load.
 */
function fromSeaAsset(sea: typeof Sea, home: AddonHome, req: NodeJS.Require): Keyring {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(sea.getRawAsset('keyring.node'));
  } catch {
    throw new ConfigError('this stsx binary carries no OS keyring addon for its platform', { hint: 'use the encrypted file: --backend file' });
  }
  const fs = req('node:fs') as typeof Fs;
  const { createHash } = req('node:crypto') as typeof Crypto;
  const hash = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(cacheDir(home.env, home.homedir, home.platform), 'addons');
  const file = path.join(dir, `keyring-${hash.slice(0, 32)}.node`);
  if (!isOwnPrivateDir(fs, dir, home.platform)) {
    throw new ConfigError(`${terminalText(dir)} is not a private directory of this user: the keyring addon is not loaded from it`);
  }
  let current: Buffer | undefined;
  try {
    current = fs.readFileSync(file);
  } catch {
    current = undefined;
  }
  if (!current || createHash('sha256').update(current).digest('hex') !== hash) {
    const temp = `${file}.${String(process.pid)}.tmp`;
    fs.writeFileSync(temp, bytes, { mode: 0o600 });
    fs.renameSync(temp, file);
  }
  const module = { exports: {} as Keyring };
  process.dlopen(module, file);
  return module.exports;
}

/**
 * Every keyring call within a bound: a locked keyring may show its unlock prompt, so the bound is
 * a person's (60 s), not --timeout; past it the call is abandoned with a named error.
 */
const KEYRING_WAIT_MS = 60_000;
const bounded = (): AbortSignal => AbortSignal.timeout(KEYRING_WAIT_MS);

function unavailable(error: unknown): ConfigError {
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ConfigError(`the OS keyring did not answer within ${String(KEYRING_WAIT_MS / 1000)} s (is it locked, with its unlock prompt unanswered?)`, { hint: 'unlock it and try again, or use the encrypted file: --backend file' });
  }
  const detail = terminalText(error instanceof Error ? error.message : String(error)).slice(0, 200);
  return new ConfigError(`no OS keyring answers here (${detail})`, {
    hint: process.platform === 'linux' ? 'start one (GNOME Keyring, KWallet) in a desktop session, or use the encrypted file: --backend file' : 'unlock the keyring, or use the encrypted file: --backend file',
  });
}

export function openKeyringStore(home: AddonHome): KeyStore {
  const keyring = loadKeyring(home);
  const entry = (profile: string): InstanceType<Keyring['AsyncEntry']> => new keyring.AsyncEntry(SERVICE, profile, { linux: { store: 'secret-service' } });
  const where = process.platform === 'darwin' ? 'the macOS Keychain' : process.platform === 'win32' ? 'the Windows Credential Manager' : 'the Secret Service keyring';
  const parse = (profile: string, text: string): StoredKeys => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    return checkStoredKeys(data, `${where} (profile "${profile}")`);
  };
  return {
    backend: 'keyring',
    where,
    async get(profile) {
      let text: string | null;
      try {
        text = await entry(profile).getPassword(bounded());
      } catch (error) {
        throw unavailable(error);
      }
      return text === null ? undefined : parse(profile, text);
    },
    async set(profile, keys) {
      try {
        await entry(profile).setPassword(JSON.stringify(keys), bounded());
      } catch (error) {
        throw unavailable(error);
      }
    },
    async remove(profile) {
      try {
        return await entry(profile).deleteCredential(bounded());
      } catch (error) {
        throw unavailable(error);
      }
    },
    async list() {
      // Probe the pinned store first: the search itself would fall back to the kernel keyring.
      try {
        await entry('\u0000probe').getPassword(bounded());
      } catch (error) {
        throw unavailable(error);
      }
      const found = new Map<string, StoredKeys>();
      for (const c of await keyring.findCredentialsAsync(SERVICE, null, bounded())) {
        try {
          found.set(c.account, parse(c.account, c.password));
        } catch {
          // not ours, or damaged: `keys list` shows what can be used
        }
      }
      return found;
    },
  };
}
