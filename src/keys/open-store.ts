// Which store `stsx keys` uses: --backend, else STSX_KEYS_BACKEND, else the OS keyring when one
// answers and the encrypted file when none does (said in one line). A `credential_process` line
// names the file backend explicitly, so reading never guesses.
import type { Deps } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { openFileStore } from './file-store.ts';
import { parseBackend, type BackendName, type KeyStore, type StoredKeys } from './key-store.ts';
import { openKeyringStore } from './keyring-store.ts';

export function chosenBackend(flag: string | undefined, env: Deps['env']): BackendName | undefined {
  if (flag !== undefined) return parseBackend(flag, '--backend');
  if (env.STSX_KEYS_BACKEND) return parseBackend(env.STSX_KEYS_BACKEND, 'STSX_KEYS_BACKEND');
  return undefined;
}

/** The passphrase of the encrypted file: STSX_FILE_PASSPHRASE, else asked on the terminal (twice for a new file). */
function passphraseFrom(deps: Pick<Deps, 'env' | 'openTerminal'>): (creating: boolean) => Promise<string> {
  let cached: string | undefined;
  return async (creating) => {
    if (cached !== undefined) return cached;
    const fromEnv = deps.env.STSX_FILE_PASSPHRASE;
    if (fromEnv !== undefined && fromEnv !== '') return (cached = fromEnv);
    const terminal = await deps.openTerminal?.();
    if (!terminal) throw new ConfigError('the encrypted keys file needs its passphrase, and there is no terminal to ask on', { hint: 'set STSX_FILE_PASSPHRASE, or run on a terminal' });
    try {
      const first = await terminal.readHidden(creating ? 'New passphrase for the stsx keys file: ' : 'Passphrase of the stsx keys file: ', 1024);
      if (first.length < 8) throw new ConfigError('the passphrase must have at least 8 characters');
      if (creating && (await terminal.readHidden('The same passphrase again: ', 1024)) !== first) throw new ConfigError('the two passphrases differ; nothing was stored');
      return (cached = first);
    } finally {
      terminal.close();
    }
  };
}

export async function openStore(deps: Deps, backend: BackendName | undefined, note: (line: string) => void): Promise<KeyStore> {
  const file = (): KeyStore => openFileStore({ env: deps.env, homedir: deps.homedir, platform: deps.platform, passphrase: passphraseFrom(deps) });
  if (backend === 'file') return file();
  if (backend === 'keyring') return openKeyringStore(deps);
  try {
    const store = openKeyringStore(deps);
    await store.list();
    return store;
  } catch (error) {
    const f = file();
    note(`${terminalText(error instanceof Error ? error.message : String(error))}: using ${f.where}`);
    return f;
  }
}

/** The stored keys of a profile: what `keys get` prints, and what stsx reads directly for its own credential_process line. */
export async function storedKeysOf(deps: Deps, note: (line: string) => void, profile: string, backend: BackendName): Promise<StoredKeys> {
  const store = await openStore(deps, backend, note);
  const keys = await store.get(profile);
  if (!keys) throw new ConfigError(`no keys are stored for profile "${profile}" in ${store.where}`, { hint: `store them: stsx keys add ${profile}` });
  return keys;
}
