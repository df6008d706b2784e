// `stsx exec [assume flags] [--server] -- COMMAND [ARGS...]`: obtains credentials as `assume` does
// (the same plan, cache and MFA prompt; with no role, the profile's own credentials as they
// resolve) and runs COMMAND with them in its environment, or, with --server, with the URL of a
// loopback credential server that refreshes them. Returns the command's exit status.
import { CommandStartError, InternalError, UsageError } from '../errors.ts';
import type { TemporaryCredentials } from '../output/credentials/types.ts';
import { describeExpiry } from '../text/expiry.ts';
import { terminalText } from '../text/terminal-text.ts';
import { childAssignments, childEnv, outerExec, type ChildCredentials } from '../exec/child-env.ts';
import { startCredentialServer, type CredentialServer, type ServedCredentials } from '../exec/credential-server.ts';
import { writeConfigOverlay, type ConfigOverlay } from '../exec/config-overlay.ts';
import { readConfigText } from '../config/config-files.ts';
import { environmentKeysWin } from '../credentials/source.ts';
import { prepareAssume, type AssumeOptions } from '../steps/assume-role.ts';
import { flagName, ROLE_FLAGS } from '../assume/role-flags.ts';
import { commandSource, mfaCodes, resolveLocalForCommand, withSession, type CommandContext } from '../steps/command-context.ts';
import { minTtlSeconds } from '../steps/credential-cache-use.ts';
import { obtainCached } from '../issue/issue-cached.ts';
import { parseAllowedAccounts } from '../issue/allowed-accounts.ts';
import { mfaRoute } from '../steps/mfa-session.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import { isWebIdentityProfile } from '../credentials/source.ts';

export interface ExecOptions extends Omit<AssumeOptions, 'format' | 'roleArn'> {
  roleArn?: string | undefined;
  server?: boolean | undefined;
}

/** Flags that only mean something for a role. */
const ROLE_ONLY: ReadonlyArray<[keyof ExecOptions, string]> = [
  ...ROLE_FLAGS.map((flag): [keyof ExecOptions, string] => [flag.key, flagName(flag)]),
  ['allowedAccountId', '--allowed-account-id'],
];

export async function runExec(ctx: CommandContext, command: readonly string[], options: ExecOptions): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined || file === '') throw new UsageError('no command to run', { hint: 'stsx exec [--profile P | --role-arn ARN] -- COMMAND [ARGS...]' });
  const runChild = ctx.deps.runChild;
  if (!runChild) throw new InternalError('this build of stsx cannot start processes');
  const minTtl = minTtlSeconds(options);
  const local = await resolveLocalForCommand(ctx);
  // A web identity profile's role is its own credentials (AssumeRoleWithWebIdentity), not a role on top of them.
  const webIdentity = options.roleArn === undefined && isWebIdentityProfile(local.profile);
  // Keys in the environment stand for the implicit default profile: its role is not assumed (one
  // rule with every other command, in credentials/source.ts).
  const roleArn = options.roleArn ?? (environmentKeysWin(local, ctx.deps.env) ? undefined : local.profile.settings.role_arn);

  const outer = outerExec(ctx.deps.env);
  if (outer) {
    const from = outer.roleArn ?? `profile ${outer.profile}`;
    ctx.diag.note(
      roleArn !== undefined
        ? `running inside \`stsx exec\` (${from}): a role assumed from its credentials is role chaining (sessions of 1 hour at most)`
        : `running inside \`stsx exec\` (${from}): passing the credentials it set on`,
    );
  }

  const obtain = roleArn !== undefined && !webIdentity ? await roleObtainer(ctx, options, local) : ownObtainer(ctx, options, local);
  const first = await obtain();
  const c = first.credentials;
  const who = { profile: local.profile.name, roleArn };

  let server: CredentialServer | undefined;
  let died: string | undefined;
  let overlay: ConfigOverlay | undefined;
  let credentials: ChildCredentials;
  try {
    if (options.server) {
      const served = toServed(first);
      if (!served) {
        // Temporary keys without an expiry (a written profile section, AWS_SESSION_TOKEN without
        // AWS_CREDENTIAL_EXPIRATION) are not long-term keys: the server just cannot say when they end.
        if (first.credentials.sessionToken) {
          throw new UsageError('--server hands out credentials with an expiry, but these temporary keys have none that stsx can see (a session token without an expiration)', {
            hint: 'export AWS_CREDENTIAL_EXPIRATION with them, add --role-arn (or a profile with role_arn), or run without --server',
          });
        }
        throw new UsageError('--server hands out temporary credentials, but these are long-term keys (no session token)', {
          hint: 'add --role-arn (or a profile with role_arn), or run without --server',
        });
      }
      server = await startCredentialServer({
        initial: served,
        minTtlSeconds: minTtl,
        now: () => ctx.deps.now(),
        refresh: async () => {
          const next = await obtain();
          const fresh = toServed(next);
          if (!fresh) throw new InternalError('a refresh returned credentials without a session token');
          ctx.diag.debug(`credential server: ${next.what}${next.fromCache ? '' : ` via ${next.endpoint}`}, expires ${describeExpiry(fresh.expiration, ctx.deps.now())}`);
          return fresh;
        },
        onRefreshError: (error, stillValid) => {
          const message = error instanceof Error ? error.message : String(error);
          ctx.diag.warn(`the credential server could not refresh the credentials: ${message}${stillValid ? ' (still handing out the current ones until they expire)' : ''}`);
        },
      });
      // Read again (the parsed files keep no text): the child's SDKs parse it themselves.
      const owner = { pid: ctx.deps.pid ?? 0, alive: ctx.deps.processAlive ?? (() => true) };
      overlay = writeConfigOverlay(await readConfigText(local.files.paths.config, ctx.deps.readFile), first.region, owner);
      ctx.diag.debug(`the command reads ${overlay.configFile} (${local.files.paths.config} and [profile ${overlay.profile}], which has no credentials), so its SDKs use the credential server`);
      credentials = { kind: 'server', url: server.url, token: server.token, region: first.region, overlay: { configFile: overlay.configFile, profile: overlay.profile } };
    } else {
      credentials = { kind: 'keys', out: { credentials: c, region: first.region } };
    }

    const expiry = c.expiration ? describeExpiry(c.expiration, ctx.deps.now()) : 'no expiry';
    ctx.diag.info(
      `${ctx.diag.colour('stsx:', 'dim')} ${first.what} ${ctx.diag.colour(`via ${first.endpoint}`, 'dim')}, expires ${ctx.diag.colour(expiry, 'green')}${server ? ', served by a local credential server that gets fresh ones before they expire' : ''}; running ${terminalText(file)}`,
    );
    const env = childEnv(ctx.deps.env, childAssignments(credentials, who), ctx.deps.platform);
    const result = await runChild(file, args, env, { debug: (line) => ctx.diag.debug(line) }).catch((error: unknown) => {
      throw startError(file, error);
    });
    ctx.diag.debug(`${file} exited with status ${result.status}${result.signal ? ` (${result.signal})` : ''}`);
    died = result.signal;
    return result.status;
  } finally {
    await server?.close();
    overlay?.remove();
    // A command killed by a signal: stsx ends by the same one, now that nothing is left behind,
    // so a shell loop stops on Ctrl-C as it does without stsx.
    if (died !== undefined) ctx.deps.dieOf?.(died);
  }
}

/** Credentials for the child, and the summary line for the person. */
interface Got {
  credentials: TemporaryCredentials;
  region: string;
  account?: string | undefined;
  what: string;
  endpoint: string;
  fromCache: boolean;
}

type Obtain = () => Promise<Got>;

/** A role: the same plan, cache and prompt as `stsx assume`. */
async function roleObtainer(ctx: CommandContext, options: ExecOptions, local: LocalSettings): Promise<Obtain> {
  const request = { ...(await prepareAssume(ctx, options, local)), allowedAccounts: parseAllowedAccounts(options.allowedAccountId) };
  // Under --server a refresh that needs STS would ask for the code again: said once, when it will.
  const route = mfaRoute(request.plan);
  if (options.server && route.kind === 'direct') ctx.diag.note(route.note);
  return async () => {
    const got = await obtainCached(request);
    return { credentials: got.entry.credentials, region: got.entry.region, account: got.entry.account, what: got.what, endpoint: got.endpoint, fromCache: got.fromCache };
  };
}

/** No role: the profile's own credentials, as the one chooser resolves them (keys, SSO, process...). */
function ownObtainer(ctx: CommandContext, options: ExecOptions, local: LocalSettings): Obtain {
  const flag = ROLE_ONLY.find(([key]) => options[key] !== undefined);
  if (flag && isWebIdentityProfile(local.profile)) {
    throw new UsageError(`${flag[1]} does not apply to profile "${local.profile.name}": its credentials are its web identity role's session (role_arn + web_identity_token_file)`, { hint: 'leave it out (role_session_name in the profile names the session), or pass --role-arn to assume another role from it' });
  }
  if (flag) throw new UsageError(`${flag[1]} needs a role to assume`, { hint: `pass --role-arn, or a --profile with role_arn; without a role stsx exec passes the profile's own credentials on` });
  const source = commandSource(ctx, local);
  const mfa = mfaCodes(ctx, undefined);
  return () =>
    withSession(ctx, local, source, mfa, async (session) => {
      const creds = await session.credentials();
      const endpoint = session.endpoint();
      return {
        credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken, expiration: creds.expiration },
        region: endpoint.signingRegion,
        account: creds.accountId,
        what: `the credentials of profile ${local.profile.name}`,
        endpoint: endpoint.host,
        fromCache: false,
      };
    });
}

function toServed(got: Got): ServedCredentials | undefined {
  const c = got.credentials;
  if (!c.sessionToken || !c.expiration) return undefined;
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration, account: got.account };
}

function startError(file: string, error: unknown): Error {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const shown = terminalText(file);
  if (code === 'ENOENT') return new CommandStartError(`command not found: ${shown}`, true, { hint: 'check the name and PATH (stsx exec runs the command directly, not through a shell)', cause: error });
  if (code === 'EACCES') return new CommandStartError(`cannot run ${shown}: permission denied`, false, { hint: 'is it executable (chmod +x) and not a directory?', cause: error });
  return new CommandStartError(`cannot run ${shown}: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error });
}
