// `stsx profiles [--output json]`: every profile, what kind, which role, through which chain, and
// what stsx has cached for it. Files and cache only: no SDK, no network. One function, two entry
// points, as `stsx status`: quick-main.ts answers the plain forms (`profiles`, `--output json`)
// before the argument parser loads; cli.ts calls it for everything else (--debug, --help, bad flags).
import type { Deps } from '../deps.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { UsageError } from '../errors.ts';
import { configFilePaths, loadConfigFiles } from '../config/config-files.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { profileRows } from '../profiles/list-profiles.ts';
import { readProfile } from '../config/profile.ts';
import { misspeltKeysLine } from '../config/known-keys.ts';
import { profilesJson, profilesText } from '../profiles/render-profiles.ts';
import { writeOutput } from '../output/write-output.ts';
import type { CommandContext } from '../steps/command-context.ts';

export interface ProfilesOptions {
  output?: string | undefined;
}

export type ProfilesIo = Pick<Deps, 'env' | 'homedir' | 'platform' | 'readFile' | 'now'>;

export async function runProfiles(ctx: CommandContext, opts: ProfilesOptions): Promise<void> {
  await writeOutput(ctx.deps.stdout, await profilesListing(ctx.deps, ctx.diag, opts));
}

/** The listing for stdout ('' when there is nothing to list); warnings and notes go to `diag`. */
export async function profilesListing(io: ProfilesIo, diag: Pick<Diagnostics, 'warn' | 'note' | 'debug'>, opts: ProfilesOptions): Promise<string> {
  const output = opts.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output ${JSON.stringify(output)} is not a listing format`, { hint: 'use --output text or --output json' });
  const now = io.now();
  const [files, cached] = await Promise.all([loadConfigFiles(configFilePaths(io.env, io.homedir), io.readFile, true), openCommandCache({ deps: io, diag }).list(now)]);
  // The lint: lines another AWS tool reads differently from stsx (and the spec), each named.
  const notes = files.notes?.();
  for (const n of notes?.lines ?? []) diag.warn(`${n.file}:${n.line}: ${n.text}`);
  if (notes && notes.more > 0) diag.warn(`${notes.more} more line${notes.more === 1 ? '' : 's'} other AWS tools read differently`);
  const rows = profileRows(files, cached);
  const broken = rows.filter((r) => r.error).length;
  if (broken > 0) diag.warn(`${broken} profile${broken === 1 ? ' has' : 's have'} errors (kind "error" in the list)`);
  for (const r of rows) {
    const misspelt = misspeltKeysLine(readProfile(files, r.name).settings);
    if (misspelt !== undefined) diag.warn(`profile ${JSON.stringify(r.name)}: ${misspelt}`);
  }
  if (output === 'json') return profilesJson(rows);
  if (rows.length === 0) {
    diag.note(`no profiles in ${files.paths.config} or ${files.paths.credentials}`);
    return '';
  }
  return profilesText(rows, now);
}
