// The config file `stsx exec --server` gives its command (see child-env.ts for why): the user's
// config text as it is, plus one profile with a region and no credentials, so an SDK told to use
// that profile falls through to the container endpoint. A private file (a 0700 directory of its
// own, the file 0600, created exclusively) that lives as long as the command; its removal is the
// caller's (remove(), in a finally); one left by a stsx killed by SIGKILL is removed by the next
// `exec --server`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ConfigOverlayRef } from './child-env.ts';

export interface ConfigOverlay extends ConfigOverlayRef {
  /** Removes the file and its directory; safe to call twice. */
  remove(): void;
}

/** A profile name no config holds by chance (a nested `exec --server` adds its own). */
export function overlayProfileName(): string {
  return `stsx-exec-${randomBytes(6).toString('hex')}`;
}

/**
 * The overlay's text: the config as read, then the section. A blank line first, so a last line
 * without a newline (or a continuation) cannot swallow the header.
 */
export function overlayText(config: string, profile: string, region: string): string {
  // Checked by the region resolver already; a line break here would add settings of its own.
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`not a region: ${JSON.stringify(region)}`);
  const head = config === '' || config.endsWith('\n\n') ? config : config.endsWith('\n') ? `${config}\n` : `${config}\n\n`;
  return `${head}# added by stsx exec --server for the command it runs: no credentials, so the SDKs use the container endpoint\n[profile ${profile}]\nregion = ${region}\n`;
}

/** Who made an overlay: its directory is named after the process, so a later run can tell it is left over. */
export interface OverlayOwner {
  pid: number;
  alive(pid: number): boolean;
}

const OVERLAY_DIR = /^stsx-exec-(\d+)-[A-Za-z0-9]{6}$/;

export function writeConfigOverlay(config: string, region: string, owner: OverlayOwner, tmpdir: string = os.tmpdir()): ConfigOverlay {
  const dir = fs.mkdtempSync(path.join(tmpdir, `stsx-exec-${owner.pid}-`));
  sweepLeftovers(tmpdir, dir, owner);
  const profile = overlayProfileName();
  const configFile = path.join(dir, 'config');
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.chmodSync(dir, 0o700);
    fs.writeFileSync(configFile, overlayText(config, profile, region), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    remove();
    throw error;
  }
  return { configFile, profile, remove };
}

/**
 * Removes the overlays of runs that were killed before they could (SIGKILL): ours (same owner as
 * the directory just made), named after a process that is gone. A reused PID only postpones it.
 */
function sweepLeftovers(tmpdir: string, mine: string, owner: OverlayOwner): void {
  try {
    const uid = fs.statSync(mine).uid;
    for (const name of fs.readdirSync(tmpdir)) {
      const pid = Number(OVERLAY_DIR.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isSafeInteger(pid) || pid === owner.pid || owner.alive(pid)) continue;
      const entry = path.join(tmpdir, name);
      const stat = fs.lstatSync(entry);
      if (stat.isDirectory() && stat.uid === uid) fs.rmSync(entry, { recursive: true, force: true });
    }
  } catch {
    // Best effort: a leftover is the user's own config, readable by the user only.
  }
}
