// `--write-profile NAME` of assume and session-token, and `stsx unset --write-profile NAME`: the
// credentials go into the shared credentials file instead of stdout (stdout stays empty), and a
// line on stderr says where.
import { UsageError } from '../errors.ts';
import { configFilePaths } from '../config/config-files.ts';
import { checkProfileName, checkWritable, unsetProfile, writeProfile } from '../config/write-profile.ts';
import { describeExpiry } from '../text/expiry.ts';
import { terminalText } from '../text/terminal-text.ts';
import type { CredentialOutput } from '../output/credentials/types.ts';
import type { CommandContext } from './command-context.ts';
import type { Deliver } from './emit-credentials.ts';

export interface WriteProfileFlags {
  writeProfile?: string | undefined;
  force?: boolean | undefined;
  format?: string | undefined;
}

function fileOptions(ctx: CommandContext, force: boolean | undefined): { uid: number | undefined; force: boolean } {
  // Whose file to trust, as the credential cache decides it (src/cache/credential-cache.ts).
  return { uid: ctx.deps.platform === 'win32' ? undefined : process.getuid?.(), force: force === true };
}

/**
 * The deliverer for --write-profile, or undefined without it. Checks the name, the file and the
 * section before any STS call, so a refusal costs no MFA code.
 */
export async function profileDeliverer(ctx: CommandContext, flags: WriteProfileFlags): Promise<Deliver | undefined> {
  if (flags.writeProfile === undefined) {
    if (flags.force) throw new UsageError('--force only goes with --write-profile');
    return undefined;
  }
  if (flags.format !== undefined) throw new UsageError('--write-profile writes the credentials file and prints nothing: it does not take --format');
  const name = checkProfileName(flags.writeProfile);
  const files = configFilePaths(ctx.deps.env, ctx.deps.homedir);
  const options = fileOptions(ctx, flags.force);
  await checkWritable(files, name, options);
  return async (out: CredentialOutput, summary) => {
    const wrote = await writeProfile(files, name, out.credentials, out.region, options);
    const expiry = out.credentials.expiration ? describeExpiry(out.credentials.expiration, ctx.deps.now()) : 'no expiry';
    // The region goes where the AWS CLI reads it, so `AWS_PROFILE=NAME aws ...` works as it is.
    const region = wrote.region ? `, region ${out.region ?? ''} to ${terminalText(files.config)}` : '';
    ctx.diag.info(
      `${ctx.diag.colour('stsx:', 'dim')} ${summary.what} ${ctx.diag.colour(`via ${summary.endpoint}`, 'dim')}, expires ${ctx.diag.colour(expiry, 'green')}; wrote profile [${name}] to ${terminalText(files.credentials)}${region}`,
    );
  };
}

export async function runUnsetProfile(ctx: CommandContext, flags: { writeProfile: string; force?: boolean | undefined }): Promise<void> {
  const name = checkProfileName(flags.writeProfile);
  const files = configFilePaths(ctx.deps.env, ctx.deps.homedir);
  const removed = await unsetProfile(files, name, fileOptions(ctx, flags.force));
  const region = removed.region ? ` and its region from ${terminalText(files.config)}` : '';
  ctx.diag.note(
    removed.credentials
      ? `removed profile [${name}] from ${terminalText(files.credentials)}${region}`
      : removed.region
        ? `no credentials of stsx's in profile [${name}] of ${terminalText(files.credentials)}; removed its region from ${terminalText(files.config)}`
        : `no profile [${name}] of stsx's in ${terminalText(files.credentials)}; nothing to remove`,
  );
}
