// The OS credential store through @napi-rs/keyring (prebuilt for each platform, one API over the
// macOS Keychain, Windows Credential Manager and the Linux Secret Service). It is an optional
// dependency loaded on demand: a missing addon, a locked keyring or no session bus is reported as
// "no keyring here", naming the way out (--backend file). On Linux the entry is pinned to the
// Secret Service: the addon would otherwise fall back to the kernel keyring, which forgets
// everything at reboot.
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.ts';
import { terminalText } from '../output/terminal-text.ts';
import { checkStoredKeys, type KeyStore, type StoredKeys } from './key-store.ts';

type Keyring = typeof import('@napi-rs/keyring');

const SERVICE = 'stsx';

function loadKeyring(): Keyring {
  try {
    return createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
  } catch (error) {
    throw new ConfigError(`the OS keyring cannot be used: its addon @napi-rs/keyring is not installed for ${process.platform}-${process.arch} (${terminalText((error as Error).message).slice(0, 120)})`, {
      hint: 'use the encrypted file instead: --backend file (or STSX_KEYS_BACKEND=file)',
    });
  }
}

function unavailable(error: unknown): ConfigError {
  const detail = terminalText(error instanceof Error ? error.message : String(error)).slice(0, 200);
  return new ConfigError(`no OS keyring answers here (${detail})`, {
    hint: process.platform === 'linux' ? 'start one (GNOME Keyring, KWallet) in a desktop session, or use the encrypted file: --backend file' : 'unlock the keyring, or use the encrypted file: --backend file',
  });
}

export function openKeyringStore(): KeyStore {
  const keyring = loadKeyring();
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
        text = await entry(profile).getPassword();
      } catch (error) {
        throw unavailable(error);
      }
      return text === null ? undefined : parse(profile, text);
    },
    async set(profile, keys) {
      try {
        await entry(profile).setPassword(JSON.stringify(keys));
      } catch (error) {
        throw unavailable(error);
      }
    },
    async remove(profile) {
      try {
        return await entry(profile).deleteCredential();
      } catch (error) {
        throw unavailable(error);
      }
    },
    async list() {
      // Probe the pinned store first: the search itself would fall back to the kernel keyring.
      try {
        await entry('\u0000probe').getPassword();
      } catch (error) {
        throw unavailable(error);
      }
      const found = new Map<string, StoredKeys>();
      for (const c of await keyring.findCredentialsAsync(SERVICE)) {
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
