// The options cli.ts (commander) hands a command's run function for an argv: what the early
// paths (src/early-cache-hit.ts, src/early-sts.ts) must produce themselves.
import assert from 'node:assert/strict';
import type { OptionValues } from 'commander';
import { buildProgram } from '../../src/cli.ts';

export async function commanderOptions(argv: string[]): Promise<OptionValues> {
  let parsed: OptionValues | undefined;
  const program = buildProgram(async (_load, _cmd, opts) => {
    parsed = opts;
  });
  const quiet = { writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined };
  for (const c of [program, ...program.commands]) c.exitOverride().configureOutput(quiet);
  await program.parseAsync(argv, { from: 'user' });
  assert.ok(parsed, 'no command ran');
  return parsed;
}
