// Shared by `assume` and `session-token`: render the credentials in the chosen format, write them
// to stdout (and GITHUB_ENV for the github format), warn if stdout is a terminal, and tell the
// person on stderr what happened. issueCached: the caching wrapper, then this (or --write-profile).
import type { CommandContext } from './command-context.ts';
import { obtainCached, type CachedRequest, type Issued } from '../issue/issue-cached.ts';
import { detectFormat, processAncestry, renderCredentials, SHELL_FORMATS, usageLine, type CredentialOutput, type Format } from '../output/credentials/render.ts';
import { githubEnvError, requireGithubEnvFile } from '../output/credentials/github.ts';
import { writeOutput } from '../output/write-output.ts';
import { describeExpiry } from '../text/expiry.ts';

/** Where credentials go instead of stdout (--write-profile); it also tells the person. */
export type Deliver = (out: CredentialOutput, summary: { what: string; endpoint: string }) => Promise<void>;

/** --format (already parsed by cli.ts), else the format detected from the shell. */
export function chooseFormat(ctx: CommandContext, flag: Format | undefined): { format: Format; reason: string } {
  if (flag !== undefined) return { format: flag, reason: '--format' };
  return detectFormat(ctx.deps.env, ctx.deps.platform, processAncestry(ctx.deps));
}

async function emitCredentials(
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

/** Obtains credentials through the cache (issue/issue-cached.ts) and prints them, or delivers them with --write-profile. */
export async function issueCached(
  ctx: CommandContext,
  request: CachedRequest & {
    chosen: { format: Format; reason: string };
    commandLine: string;
    /** Instead of printing (--write-profile). */
    deliver?: Deliver | undefined;
  },
): Promise<void> {
  const { chosen, commandLine } = request;
  const print = (got: Issued): Promise<void> => {
    const out = { credentials: got.entry.credentials, region: got.entry.region };
    const summary = { what: got.what, endpoint: got.endpoint };
    return request.deliver ? request.deliver(out, summary) : emitCredentials(ctx, chosen, out, { ...summary, commandLine });
  };
  const got = await obtainCached({ now: () => ctx.deps.now(), cacheOnly: ctx.cacheOnly, ...request }, print);
  if (got.fromCache) await print(got);
}
