// Where `stsx keys` keeps long-term access keys instead of a plaintext ~/.aws/credentials: the OS
// credential store (macOS Keychain, Windows Credential Manager, the Linux Secret Service) through
// @napi-rs/keyring, or, where no keyring runs (headless Linux, WSL, CI), a file encrypted under a
// passphrase. One entry per profile.
import { ConfigError } from '../errors.ts';

export interface StoredKeys {
  accessKeyId: string;
  secretAccessKey: string;
  /** ISO 8601: when the keys were stored (`keys list` shows the age). */
  storedAt: string;
}

export type BackendName = 'keyring' | 'file';

export interface KeyStore {
  readonly backend: BackendName;
  /** Where the keys live, for messages. */
  readonly where: string;
  get(profile: string): Promise<StoredKeys | undefined>;
  set(profile: string, keys: StoredKeys): Promise<void>;
  remove(profile: string): Promise<boolean>;
  list(): Promise<Map<string, StoredKeys>>;
}

export function parseBackend(value: string, from: string): BackendName {
  if (value === 'keyring' || value === 'file') return value;
  throw new ConfigError(`${from} must be keyring or file, not ${JSON.stringify(value)}`);
}

const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/** A stored entry, checked: what a store hands back is read like any other untrusted input. */
export function checkStoredKeys(value: unknown, where: string): StoredKeys {
  const v = value as Partial<Record<keyof StoredKeys, unknown>> | null;
  if (!v || typeof v !== 'object' || typeof v.accessKeyId !== 'string' || typeof v.secretAccessKey !== 'string' || !KEY_ID.test(v.accessKeyId) || !/^[\x21-\x7e]{16,128}$/.test(v.secretAccessKey)) {
    throw new ConfigError(`the entry in ${where} is not a pair of access keys`, { hint: 'store them again: stsx keys add <profile>' });
  }
  return { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, storedAt: typeof v.storedAt === 'string' ? v.storedAt : '' };
}

export function checkNewKeys(accessKeyId: string, secretAccessKey: string): void {
  if (!/^AKIA[A-Z0-9]{16}$/.test(accessKeyId)) {
    throw new ConfigError('the access key id must be an IAM user\'s long-term key: AKIA and 16 upper-case letters or digits', { hint: 'temporary keys (ASIA...) expire and are not stored' });
  }
  if (!/^[\x21-\x7e]{16,128}$/.test(secretAccessKey)) throw new ConfigError('the secret access key must be 16 to 128 printable characters without spaces (AWS gives 40)');
}
