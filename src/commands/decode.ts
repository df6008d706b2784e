// `stsx decode`: DecodeAuthorizationMessage for an "Encoded authorization failure message".
import { UsageError } from '../errors.ts';
import { extractEncodedMessage } from '../input/encoded-message.ts';
import { parseDecodedMessage, summarizeDecodedMessage } from '../output/decoded-message.ts';
import { withCommandSession, type CommandContext } from '../steps/command-context.ts';
import { readInputArgument } from '../input/read-input.ts';
import { terminalLines } from '../text/terminal-text.ts';
import { jsonText } from '../text/json.ts';

export interface DecodeOptions {
  output?: string | undefined;
  tokenCode?: string | undefined;
  /** Text output: the decoded document too, with the summary printed after it. */
  full?: boolean | undefined;
}

export async function runDecode(ctx: CommandContext, message: string | undefined, options: DecodeOptions): Promise<void> {
  const output = options.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not ${JSON.stringify(output)}`);
  const text = await readInputArgument(message, ctx.deps, 'message');
  const encoded = extractEncodedMessage(text);
  await withCommandSession(ctx, options.tokenCode, async (session) => {
    const decoded = await session.decodeAuthorizationMessage(encoded);
    const parsed = parseDecodedMessage(decoded);
    if (output === 'json') {
      // stdout is JSON, always: a decoded message that is not JSON leaves as one JSON string.
      if (!parsed) ctx.diag.warn('STS returned a decoded message that is not JSON; writing it as one JSON string');
      ctx.deps.stdout.write(`${jsonText(parsed ?? decoded, 2)}\n`);
      return;
    }
    const pretty = JSON.stringify(parsed, null, 2);
    if (!parsed) {
      ctx.diag.warn('STS returned a decoded message that is not JSON; showing it as it is');
      ctx.deps.stdout.write(`${terminalLines(decoded)}\n`);
      return;
    }
    // The verdict is what the person came for: never buried under the document. With --full the
    // document comes first and the summary last, where the eye lands.
    if (options.full) ctx.deps.stdout.write(`${terminalLines(pretty)}\n\n`);
    ctx.deps.stdout.write(summarizeDecodedMessage(parsed));
    if (!options.full) ctx.diag.note('the whole decoded document: --full (or --output json for scripts)');
  });
}
