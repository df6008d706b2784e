// The console sign-in URL carries a SigninToken that signs anyone in as the user for 15 minutes
// (and an Identity Center authorization request names the loopback port and state of a login).
// Given to the browser opener as an argument, it would sit in /proc/PID/cmdline (and `ps -ef`)
// for every local user to read while the opener and the browser it starts run. Instead the
// opener gets a file:// URL of a small HTML page, in a directory only the user may enter, that
// sends the browser on to the sign-in URL; the directory is removed a little later by a detached
// `sh` (its argv holds only the directory's path), since stsx itself exits at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Long enough for a browser that has to start first; the token inside lives 15 minutes anyway. */
const HANDOFF_SECONDS = 120;

/** The page: a meta refresh, and location.replace so the page leaves no entry in the history. */
export function handoffPage(url: string): string {
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // JSON is a JavaScript string literal; `<` escaped so nothing in it can close the script.
  const js = JSON.stringify(url).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${attr}">
<title>stsx: signing in</title>
<script>location.replace(${js});</script>
</head><body>Signing in...</body></html>
`;
}

/** Writes the page into a new private directory (0700, the file 0600); returns its file:// URL and the directory. */
export function writeHandoff(url: string, tmp: string = os.tmpdir()): { fileUrl: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(tmp, 'stsx-console-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'signin.html');
  // 'wx': never through a file someone else placed there.
  fs.writeFileSync(file, handoffPage(url), { mode: 0o600, flag: 'wx' });
  return { fileUrl: pathToFileURL(file).href, dir };
}

/** Removes `dir` after `seconds`, from a detached process that outlives stsx. */
export function scheduleRemoval(dir: string, seconds: number = HANDOFF_SECONDS, platform: NodeJS.Platform = process.platform): void {
  const [command, args] = platform === 'win32'
    ? ['cmd.exe', ['/d', '/c', `ping -n ${seconds + 1} 127.0.0.1 >nul & rmdir /s /q "${dir}"`]] as const
    : ['/bin/sh', ['-c', 'sleep "$1"; rm -rf -- "$2"', 'stsx-console-cleanup', String(seconds), dir]] as const;
  try {
    const child = spawn(command, [...args], { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No shell to wait with: the page stays (0600, in a 0700 directory) until the system cleans its temporary files.
  }
}
