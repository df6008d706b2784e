// `stsx init <shell>`: the script for the user's rc file (scripts.ts), and `stsx __complete`, the
// hidden helper the completion scripts call for what only run time knows (profile names) and, for
// nushell, for every word.
import type { Command } from 'commander';
import type { CommandContext } from '../steps/command-context.ts';
import { writeOutput } from '../output/write-output.ts';
import { candidates, completionSpec, type Shell } from '../completion/spec.ts';
import { initScript } from '../completion/scripts.ts';
import { completionLines, profileNames } from '../completion/profile-names.ts';

export async function runInit(ctx: CommandContext, shell: Shell, program: Command): Promise<void> {
  await writeOutput(ctx.deps.stdout, initScript(shell, completionSpec(program)));
}

/** `stsx __complete profiles` or `stsx __complete words -- <words after stsx>`: one candidate a line. */
export async function runComplete(ctx: CommandContext, what: string, words: readonly string[], program: Command): Promise<void> {
  const { env, homedir, readFile } = ctx.deps;
  const profiles = await profileNames(env, homedir, readFile);
  const list = what === 'profiles' ? profiles : what === 'words' ? candidates(completionSpec(program), words.length > 0 ? words : [''], () => profiles) : [];
  await writeOutput(ctx.deps.stdout, completionLines(list));
}
