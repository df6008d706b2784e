// Shared by `assume` and `session-token`: render the credentials in the chosen format, write them
// to stdout (and GITHUB_ENV for the github format), warn if stdout is a terminal, and tell the
// person on stderr what happened.
import type { CommandContext } from './command-context.ts';
import { detectFormat, parseFormat, processAncestry, renderCredentials, SHELL_FORMATS, usageLine, type CredentialOutput, type Format } from '../output/credentials/render.ts';
import { githubEnvError, requireGithubEnvFile } from '../output/credentials/github.ts';
import { writeOutput } from '../output/write-output.ts';
import { describeExpiry } from '../text/expiry.ts';

export function chooseFormat(ctx: CommandContext, flag: string | undefined): { format: Format; reason: string } {
  if (flag !== undefined) return { format: parseFormat(flag), reason: '--format' };
  return detectFormat(ctx.deps.env, ctx.deps.platform, processAncestry(ctx.deps));
}

export async function emitCredentials(
  ctx: CommandContext,
  chosen: { format: Format; reason: string },
  out: CredentialOutput,
  summary: { what: string; endpoint: string; commandLine: string },
): Promise<void> {
  const { format } = chosen;
  // Render first: a value the format cannot carry is refused before anything is written.
  const githubFile = format === 'github' ? requireGithubEnvFile(ctx.deps.env) : undefined;
  const rendered = renderCredentials(format, out, githubFile ? { githubEnvFile: githubFile } : {});
  // GITHUB_ENV before stdout: if it cannot be written, nothing (no masks) is printed either.
  if (githubFile && rendered.githubEnv !== undefined) {
    try {
      await ctx.deps.appendFile(githubFile, rendered.githubEnv);
    } catch (error) {
      throw githubEnvError(error, githubFile);
    }
  }
  // Wait until the text is really written: the success line below must not follow a failed write.
  await writeOutput(ctx.deps.stdout, rendered.stdout);

  ctx.diag.debug(`format ${format} (${chosen.reason})`);
  if (ctx.deps.stdout.isTTY && SHELL_FORMATS.includes(format)) {
    ctx.diag.warn(`these lines only change your shell if it evaluates them: ${usageLine(format, summary.commandLine)}`);
  }
  const expiry = out.credentials.expiration ? describeExpiry(out.credentials.expiration, ctx.deps.now()) : 'no expiry';
  ctx.diag.info(
    `${ctx.diag.colour('stsx:', 'dim')} ${summary.what} ${ctx.diag.colour(`via ${summary.endpoint}`, 'dim')}, expires ${ctx.diag.colour(expiry, 'green')}`,
  );
}
