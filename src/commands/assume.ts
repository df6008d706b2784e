// `stsx assume`: AssumeRole over the resolved regional endpoint, printed for the shell.
import { UsageError } from '../errors.ts';
import { resolveLocalForCommand, type CommandContext } from '../steps/command-context.ts';
import { chooseFormat, issueCached } from '../steps/emit-credentials.ts';
import { prepareAssume, type AssumeOptions } from '../steps/assume-role.ts';
import { profileDeliverer } from '../steps/write-profile-use.ts';
import { runAssumeWebIdentity } from '../steps/assume-web-identity.ts';
import { parseAllowedAccounts } from '../issue/allowed-accounts.ts';

export type { AssumeOptions };

export async function runAssume(ctx: CommandContext, options: AssumeOptions): Promise<void> {
  const deliver = await profileDeliverer(ctx, options);
  const chosen = chooseFormat(ctx, options.format);
  const allowedAccounts = parseAllowedAccounts(options.allowedAccountId);
  const roleArns = options.roleArn === undefined ? [] : [options.roleArn].flat();
  if (options.webIdentity !== undefined) {
    await runAssumeWebIdentity(ctx, { ...options, roleArns, allowedAccounts, chosen, deliver });
    return;
  }
  if (roleArns.length > 1) throw new UsageError('--role-arn is given more than once', { hint: 'chain roles with --web-identity (the first --role-arn is the web identity role), or with a profile that has source_profile' });
  const local = await resolveLocalForCommand(ctx);
  const own = local.profile.settings;
  // A profile of its own web identity role (role_arn + web_identity_token_file), as the SDKs read it.
  if (roleArns.length === 0 && own.role_arn !== undefined && own.web_identity_token_file !== undefined) {
    await runAssumeWebIdentity(ctx, { ...options, roleArns: [own.role_arn], webIdentity: `file:${own.web_identity_token_file}`, roleSessionName: options.roleSessionName ?? own.role_session_name, allowedAccounts, chosen, deliver });
    return;
  }
  const request = await prepareAssume(ctx, { ...options, roleArn: roleArns[0] }, local);
  await issueCached(ctx, { ...request, chosen, commandLine: 'stsx assume ...', deliver, allowedAccounts });
}
