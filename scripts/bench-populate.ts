// `npm run bench`, Identity Center row: `stsx sso populate` for an organisation of 2,000 accounts
// (3 roles each: 6,000 profiles) against the Identity Center stand-in on loopback, then
// `stsx profiles` on the result next to `stsx --help`, measured in turn (A B A B ...), so the
// large-config target (profiles <= 1.5x --help) is checked on what populate writes.
// Flags: --runs N (default 5), --accounts N (default 2000).
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIdentityCenter } from '../test/support/identity-center.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stsx = path.join(root, 'bin', 'stsx.js');
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : '5');
const accountCount = Number(args.includes('--accounts') ? args[args.indexOf('--accounts') + 1] : '2000');

function timed(argv: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [stsx, ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - start, code, stderr }));
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const accounts = Array.from({ length: accountCount }, (_, i) => ({ accountId: String(200000000000 + i), accountName: `team-${String(i).padStart(4, '0')}`, roles: ['Admin', 'Developer', 'ReadOnly'] }));
  const ic = await startIdentityCenter({ accounts });
  const home = mkdtempSync(path.join(os.tmpdir(), 'stsx-bench-populate-'));
  try {
    const config = path.join(home, 'config');
    const pristine = path.join(home, 'config.pristine');
    writeFileSync(pristine, '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n');
    copyFileSync(pristine, config);
    const browser = path.join(home, 'browser.mjs');
    // stsx hands the browser a private page that forwards to the authorize URL.
    writeFileSync(browser, `#!${process.execPath}
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const given = process.argv[2];
const url = given.startsWith('file:') ? JSON.parse(/location\\.replace\\((".*?")\\);/.exec(readFileSync(fileURLToPath(given), 'utf8'))[1]) : given;
const r = await fetch(url, { redirect: 'manual' });
await fetch(r.headers.get('location'));
`);
    chmodSync(browser, 0o755);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), XDG_CACHE_HOME: path.join(home, 'cache'), BROWSER: browser, ...ic.env };
    const login = await timed(['login', '--sso-session', 'corp'], env);
    if (login.code !== 0) throw new Error(`stsx login failed: ${login.stderr}`);
    const populate: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      copyFileSync(pristine, config);
      const r = await timed(['sso', 'populate', '--sso-session', 'corp'], env);
      if (r.code !== 0) throw new Error(`stsx sso populate failed: ${r.stderr}`);
      populate.push(r.ms);
    }
    const help: number[] = [];
    const profiles: number[] = [];
    await timed(['profiles'], env);
    for (let i = 0; i < runs; i += 1) {
      help.push((await timed(['--help'], env)).ms);
      profiles.push((await timed(['profiles'], env)).ms);
    }
    const ratio = median(profiles) / median(help);
    const out = [
      `Identity Center (stand-in on loopback): ${String(accountCount)} accounts x 3 roles, ${String(runs)} runs each, wall time from spawn to exit`,
      `  stsx sso populate (writes ${String(accountCount * 3)} profiles)  median ${median(populate).toFixed(0)} ms  (${(median(populate) / 1000).toFixed(2)} s)`,
      `  stsx profiles on the result  median ${median(profiles).toFixed(1)} ms; stsx --help ${median(help).toFixed(1)} ms; ratio ${ratio.toFixed(2)}x`,
      `  target: profiles <= 1.5x --help on the populated config: ${ratio <= 1.5 ? 'PASS' : 'MISS'}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await ic.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench-populate: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
