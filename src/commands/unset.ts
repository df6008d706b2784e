// `stsx unset`: the lines that clear every variable stsx sets, for the detected or chosen shell.
import { renderUnset } from '../output/credentials/render.ts';
import type { Format } from '../output/credentials/formats.ts';
import type { CommandContext } from '../steps/command-context.ts';
import { chooseFormat } from '../steps/emit-credentials.ts';
import { writeOutput } from '../output/write-output.ts';
import { runUnsetProfile } from '../steps/write-profile-use.ts';

export async function runUnset(ctx: CommandContext, options: { format?: Format | undefined; writeProfile?: string | undefined; force?: boolean | undefined }): Promise<void> {
  if (options.writeProfile !== undefined) return runUnsetProfile(ctx, { writeProfile: options.writeProfile, force: options.force });
  const chosen = chooseFormat(ctx, options.format);
  ctx.diag.debug(`format ${chosen.format} (${chosen.reason})`);
  await writeOutput(ctx.deps.stdout, renderUnset(chosen.format));
}
