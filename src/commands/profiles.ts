// `stsx profiles [--output json]`: every profile, what kind, which role, through which chain, and
// what stsx has cached for it. Files and cache only: no SDK, no network.
import { UsageError } from '../errors.ts';
import { configFilePaths, loadConfigFiles } from '../config/config-files.ts';
import { openCommandCache } from '../cache/command-cache.ts';
import { profileRows } from '../profiles/list-profiles.ts';
import { profilesJson, profilesText } from '../profiles/render-profiles.ts';
import { writeOutput } from '../output/write-output.ts';
import type { CommandContext } from './command-context.ts';

export interface ProfilesOptions {
  output?: string | undefined;
}

export async function runProfiles(ctx: CommandContext, opts: ProfilesOptions): Promise<void> {
  const output = opts.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output ${JSON.stringify(output)} is not a listing format`, { hint: 'use --output text or --output json' });
  const { env, homedir, readFile } = ctx.deps;
  const now = ctx.deps.now();
  // Every section is parsed while the cache entries are read (the files parse lazily, when first listed).
  const parsed = loadConfigFiles(configFilePaths(env, homedir), readFile).then((f) => {
    f.config.names();
    f.credentials.names();
    return f;
  });
  const [files, cached] = await Promise.all([parsed, openCommandCache(ctx).list(now)]);
  const rows = profileRows(files, cached);
  const broken = rows.filter((r) => r.error).length;
  if (broken > 0) ctx.diag.warn(`${broken} profile${broken === 1 ? ' has' : 's have'} errors (kind "error" in the list)`);
  if (output === 'json') return writeOutput(ctx.deps.stdout, profilesJson(rows));
  if (rows.length === 0) {
    ctx.diag.note(`no profiles in ${files.paths.config} or ${files.paths.credentials}`);
    return;
  }
  await writeOutput(ctx.deps.stdout, profilesText(rows, now));
}
