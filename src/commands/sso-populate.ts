// `stsx sso populate`: one profile for every account and role an Identity Center login can see,
// written into the config file inside a block stsx owns (src/sso/populate.ts), every byte outside
// it kept. Accounts and roles come from the portal (ListAccounts, ListAccountRoles, paginated),
// fetched concurrently; throttling is retried by the SDK's adaptive retry.
import { configFilePaths, loadConfigFiles, readConfigText } from '../config/config-files.ts';
import { editSharedFile, isWritableProfileName } from '../config/write-profile.ts';
import { AwsRequestError, ConfigError, UsageError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { limitsFor, type CommandContext } from '../steps/command-context.ts';
import { allSsoSessionNames, ssoSessionNamed, ssoSessionOfProfile, type SsoSession } from '../sso/sso-session.ts';
import { ssoToken, type TokenDeps } from '../sso/sso-token.ts';
import { openPortal } from '../sso/portal.ts';
import { loginOptions, tokenDeps } from '../sso/sso-io.ts';
import { DEFAULT_TEMPLATE, findBlock, planDiff, planProfiles, spliceBlock, type Assignment } from '../sso/populate.ts';

export interface PopulateFlags {
  ssoSession?: string | undefined;
  prefix?: string | undefined;
  template?: string | undefined;
  dryRun?: boolean | undefined;
  prune?: boolean | undefined;
}

/** Parallel ListAccountRoles calls: fast for thousands of accounts, gentle with the portal's rate limit. */
const CONCURRENCY = 8;

export async function runSsoPopulate(ctx: CommandContext, flags: PopulateFlags): Promise<void> {
  if (flags.ssoSession !== undefined && ctx.flags.profile !== undefined) throw new UsageError('give --profile or --sso-session, not both');
  const paths = configFilePaths(ctx.deps.env, ctx.deps.homedir);
  const files = await loadConfigFiles(paths, ctx.deps.readFile);
  let session: SsoSession;
  if (flags.ssoSession !== undefined) session = ssoSessionNamed(files, flags.ssoSession);
  else if (ctx.flags.profile !== undefined) session = ssoSessionOfProfile(files, ctx.flags.profile);
  else {
    const names = allSsoSessionNames(files);
    if (names.length !== 1 || names[0] === undefined) throw new UsageError('name the session to populate: --sso-session <name>', { hint: names.length > 0 ? `sso-sessions in the config file: ${names.join(', ')}` : 'add an [sso-session <name>] section with sso_start_url and sso_region' });
    session = ssoSessionNamed(files, names[0]);
  }
  if (session.sessionName === undefined) throw new ConfigError(`${session.label} is a legacy sso_start_url profile; populate writes profiles for an [sso-session] section`, { hint: 'add [sso-session <name>] with sso_start_url and sso_region, then: stsx sso populate --sso-session <name>' });
  const template = flags.template ?? DEFAULT_TEMPLATE;
  if (!/\{(account_name|account_id)\}/.test(template) || !/\{role_name\}/.test(template)) {
    throw new UsageError(`--template must contain {role_name} and {account_name} or {account_id}, not ${JSON.stringify(template)}`, { hint: `the default is ${DEFAULT_TEMPLATE}` });
  }
  const limits = limitsFor(ctx);
  const deps = tokenDeps(ctx.deps, ctx.diag, limits);
  const terminal = await ctx.deps.openTerminal?.();
  terminal?.close();
  const token = await ssoToken(session, { mode: 'use', login: terminal ? loginOptions(ctx.deps, (l) => ctx.diag.note(l), {}) : undefined }, deps);
  const assignments = await listAssignments(session, token.accessToken, deps, (l) => ctx.diag.debug(l));

  const file = paths.config;
  const text = await readConfigText(file, ctx.deps.readFile);
  const lines = text.split('\n');
  const block = findBlock(lines, session.sessionName);
  if (block === 'unterminated') throw new ConfigError(`${file} has the start of stsx's block for sso-session ${session.sessionName} but not its end`, { hint: 'restore or remove the "# >>> stsx sso populate" line, then run again' });
  const inBlock = new Set(block?.profiles.keys() ?? []);
  const taken = new Set(files.config.names().filter((n) => !inBlock.has(n)));
  const plan = planProfiles(assignments, block, taken, { sessionName: session.sessionName, template, prefix: flags.prefix ?? '', region: ctx.flags.region ?? session.region, prune: flags.prune === true }, isWritableProfileName);
  for (const name of plan.refused) ctx.diag.warn(`no profile "${terminalText(name)}" is written: the AWS SDK for JavaScript cannot read a profile of that name (pick another --template)`);
  for (const name of plan.skipped) ctx.diag.warn(`profile "${terminalText(name)}" is already in ${terminalText(file)} outside stsx's block: kept as it is, not generated`);
  const summary = `${String(plan.profiles.length)} profiles for ${String(new Set(assignments.map((a) => a.accountId)).size)} accounts: ${String(plan.added.length)} added, ${String(plan.changed.length)} changed, ${String(plan.removed.length)} removed${plan.stale.length > 0 ? `, ${String(plan.stale.length)} no longer assigned kept (--prune removes them)` : ''}`;
  if (flags.dryRun) {
    ctx.deps.stdout.write(planDiff(file, block, plan));
    ctx.diag.note(`dry run: ${summary}; nothing written`);
    return;
  }
  if (plan.added.length + plan.changed.length + plan.removed.length === 0 && block) {
    ctx.diag.note(`${summary}; ${terminalText(file)} is up to date`);
    return;
  }
  await editSharedFile(paths, 'config', ctx.deps.platform === 'win32' ? undefined : process.getuid?.(), (current) => {
    // Read again under the lock: another writer may have changed the file since it was planned.
    const now = findBlock(current.split('\n'), session.sessionName ?? '');
    return spliceBlock(current, now === 'unterminated' ? block : now, plan, session.sessionName ?? '');
  });
  ctx.diag.note(`${summary}; written to ${terminalText(file)}`);
}

async function listAssignments(session: SsoSession, accessToken: string, deps: TokenDeps, trace: (l: string) => void): Promise<Assignment[]> {
  // Adaptive retry backs off on TooManyRequestsException across all the concurrent calls.
  const { mod, client } = await openPortal(session, deps, { maxAttempts: 10, retryMode: 'adaptive' });
  try {
    const accounts: { accountId: string; accountName: string }[] = [];
    for await (const page of mod.paginateListAccounts({ client, pageSize: 100 }, { accessToken })) {
      for (const a of page.accountList ?? []) if (a.accountId) accounts.push({ accountId: a.accountId, accountName: a.accountName ?? a.accountId });
    }
    trace(`Identity Center lists ${String(accounts.length)} accounts`);
    const out: Assignment[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const account = accounts[next];
        next += 1;
        if (!account) return;
        for await (const page of mod.paginateListAccountRoles({ client, pageSize: 100 }, { accessToken, accountId: account.accountId })) {
          for (const r of page.roleList ?? []) if (r.roleName) out.push({ accountId: account.accountId, accountName: account.accountName, roleName: r.roleName });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker));
    return out;
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'UnauthorizedException') throw new AwsRequestError(`Identity Center no longer accepts the login of ${session.label}`, { hint: `run: stsx login --sso-session ${session.sessionName ?? ''}`, cause: error });
    if (e.name === 'TooManyRequestsException') throw new AwsRequestError('Identity Center kept throttling the account listing after 10 tries', { hint: 'try again in a minute', cause: error });
    throw new AwsRequestError(`Identity Center could not list the accounts and roles (${terminalText(e.name ?? '')}${e.$metadata?.httpStatusCode ? ` HTTP ${String(e.$metadata.httpStatusCode)}` : ''}: ${terminalText(e.message ?? '').slice(0, 200)})`, { cause: error });
  } finally {
    client.destroy();
  }
}
