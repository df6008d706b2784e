// `stsx whoami`: GetCallerIdentity with the resolved profile's credentials, or with
// --access-key-id, GetAccessKeyInfo (which account owns a key).
import { UsageError } from '../errors.ts';
import { IDENTITY_FIELDS, identityField, identityJson, identityText, type IdentityField } from '../output/identity.ts';
import { withCommandSession, type CommandContext } from '../steps/command-context.ts';
import { jsonText } from '../text/json.ts';

export interface WhoamiOptions {
  output?: string | undefined;
  query?: string | undefined;
  accessKeyId?: string | undefined;
  tokenCode?: string | undefined;
}

export function checkWhoamiOptions(options: WhoamiOptions): { output: 'text' | 'json'; query?: IdentityField | undefined; accessKeyId?: string | undefined } {
  const output = options.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not ${JSON.stringify(output)}`);
  let query: IdentityField | undefined;
  if (options.query !== undefined) {
    query = IDENTITY_FIELDS.find((f) => f.toLowerCase() === options.query?.toLowerCase());
    if (!query) throw new UsageError(`--query must be one of ${IDENTITY_FIELDS.join(', ')}, not ${JSON.stringify(options.query)}`);
  }
  const key = options.accessKeyId;
  if (key !== undefined && !/^(AKIA|ASIA)[A-Z0-9]{12,124}$/.test(key)) {
    throw new UsageError('--access-key-id must be an access key id starting with AKIA or ASIA (20 upper-case letters and digits)', {
      hint: 'pass the key id only, never the secret access key',
    });
  }
  if (key !== undefined && query !== undefined && query !== 'Account') throw new UsageError('--access-key-id answers only --query Account');
  return { output, query, accessKeyId: key };
}

export async function runWhoami(ctx: CommandContext, raw: WhoamiOptions): Promise<void> {
  const options = checkWhoamiOptions(raw);
  await withCommandSession(ctx, raw.tokenCode, async (session) => {
    if (options.accessKeyId) {
      const { account } = await session.getAccessKeyInfo(options.accessKeyId);
      if (options.query) ctx.deps.stdout.write(`${account}\n`);
      else if (options.output === 'json') ctx.deps.stdout.write(`${jsonText({ Account: account }, 4)}\n`);
      else ctx.deps.stdout.write(`Account   ${account}\nKey       ${options.accessKeyId} (${options.accessKeyId.startsWith('ASIA') ? 'temporary' : 'long-term'})\n`);
      return;
    }
    const identity = await session.getCallerIdentity();
    if (options.query) ctx.deps.stdout.write(identityField(identity, options.query));
    else if (options.output === 'json') ctx.deps.stdout.write(identityJson(identity));
    else ctx.deps.stdout.write(identityText(identity));
  });
}
