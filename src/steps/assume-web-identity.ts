// `stsx assume --web-identity [SOURCE]`: AssumeRoleWithWebIdentity with a CI's OIDC token (unsigned:
// no source credentials are read), then optionally AssumeRole to a second role with the result
// (`--role-arn` twice). Not cached: a CI job starts from nothing, and a token's identity (its sub)
// is not known without reading it. The named errors users hit most are said here.
import { checkRoleParameters, type AssumeFlags } from '../assume/plan.ts';
import { flagName, ROLE_FLAGS } from '../assume/role-flags.ts';
import { AuthError, StsxError, UsageError } from '../errors.ts';
import { checkPolicy, checkRoleArn, checkSessionName, parseDuration } from '../names/validate.ts';
import { readInputArgument } from '../input/read-input.ts';
import type { Format } from '../output/credentials/formats.ts';
import { limitsFor, resolveForCommand, resolveLocalForCommand, withOpenSession, type CommandContext } from './command-context.ts';
import { issueCached, type Deliver } from './emit-credentials.ts';
import type { Issued } from '../issue/issue-cached.ts';
import { assumedRoleIssued, assumeRole, CHAIN_LIMIT, checkChainLimit } from '../issue/assume-role.ts';
import { assumeRoleWithWebIdentity } from '../issue/web-identity.ts';
import { DEFAULT_AUDIENCE, describeTokenSource, parseWebIdentitySource, readToken, webIdentitySessionName } from '../web-identity/token.ts';
import { explainWebIdentityError } from '../web-identity/explain.ts';

export interface WebIdentityFlags {
  /** `--web-identity` alone is true (detect the CI). */
  webIdentity?: string | true | undefined;
  audience?: string | undefined;
  webIdentityEnv?: string | undefined;
}

/** The assume flags (the policy as given: file:// is read here), the roles in order, and the output. */
interface Options extends WebIdentityFlags, Omit<AssumeFlags, 'roleArn'> {
  roleArns: string[];
  allowedAccounts: ReadonlySet<string> | undefined;
  chosen: { format: Format; reason: string };
  /** --write-profile (checked by the caller before anything is sent): instead of printing. */
  deliver?: Deliver | undefined;
}

/** The flags AssumeRoleWithWebIdentity does not take: they go with a second --role-arn only. */
const ASSUME_ROLE_ONLY = ROLE_FLAGS.filter((flag) => flag.assumeRoleOnly);

const given = (value: unknown): boolean => value !== undefined && !(Array.isArray(value) && value.length === 0);

/** `a, b and c`. */
function listOf(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}` : (names[0] ?? '');
}

/** Throttled matrix jobs: more attempts than the default 3, still within --timeout. */
const WEB_IDENTITY_ATTEMPTS = 6;

export async function runAssumeWebIdentity(ctx: CommandContext, options: Options): Promise<void> {
  const env = ctx.deps.env;
  if (options.roleArns.length > 2) throw new UsageError('--role-arn is given more than twice', { hint: 'with --web-identity: the first --role-arn is the web identity role, a second one is assumed from it' });
  const [firstRaw, chainRaw] = options.roleArns;
  const roleArn = firstRaw !== undefined ? checkRoleArn(firstRaw) : env.AWS_ROLE_ARN ? checkRoleArn(env.AWS_ROLE_ARN, 'AWS_ROLE_ARN') : undefined;
  if (!roleArn) throw new UsageError('no role to assume with the web identity token', { hint: 'pass --role-arn arn:aws:iam::<account>:role/<name> (or set AWS_ROLE_ARN)' });
  const chainArn = chainRaw !== undefined ? checkRoleArn(chainRaw) : undefined;
  if (options.mfaSerial !== undefined || options.tokenCode !== undefined) {
    throw new UsageError('--mfa-serial and --token-code do not apply to web identity', { hint: 'the OIDC token is the proof of identity; leave them out' });
  }
  if (!chainArn && ASSUME_ROLE_ONLY.some((flag) => given(options[flag.key]))) {
    throw new UsageError(`${listOf(ASSUME_ROLE_ONLY.map(flagName))} apply to a second role only`, {
      hint: 'AssumeRoleWithWebIdentity takes its tags from the token; pass a second --role-arn to assume a role with them',
    });
  }
  const source = parseWebIdentitySource(options.webIdentity ?? true, env, options.webIdentityEnv);
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  if (!/^[\x21-\x7e]{1,256}$/.test(audience)) {
    throw new UsageError('--audience must be 1 to 256 printable ASCII characters without spaces', { hint: `the default is ${DEFAULT_AUDIENCE}` });
  }
  const sessionNameRaw = options.roleSessionName ?? env.AWS_ROLE_SESSION_NAME;
  const sessionName = sessionNameRaw !== undefined
    ? checkSessionName(sessionNameRaw, options.roleSessionName !== undefined ? '--role-session-name' : 'AWS_ROLE_SESSION_NAME')
    : webIdentitySessionName(env, ctx.deps.username(), ctx.deps.now());
  const durationSeconds = options.duration !== undefined ? parseDuration(options.duration, '--duration', 900, 43200) : 3600;
  // The second role is assumed with role-session credentials: AWS caps it at one hour.
  if (chainArn) checkChainLimit(true, durationSeconds);
  const policy = options.policy !== undefined ? checkPolicy(await readInputArgument(options.policy, ctx.deps, 'policy')) : undefined;
  const parameters = checkRoleParameters({ ...options, policy });
  ctx.diag.debug(`web identity: ${describeTokenSource(source)}, audience ${audience}, role ${roleArn} as ${sessionName}${chainArn ? `, then ${chainArn}` : ''}`);

  const local = await resolveLocalForCommand(ctx);
  const sessionPolicy = { policy: parameters.policy, policyArns: parameters.policyArns };
  await issueCached(ctx, {
    cache: undefined,
    key: '',
    chosen: options.chosen,
    commandLine: 'stsx assume --web-identity ...',
    cachedWhat: () => '',
    allowedAccounts: options.allowedAccounts,
    deliver: options.deliver,
    issue: async (): Promise<Issued> => {
      const limits = limitsFor(ctx);
      const token = await readToken(source, audience, {
        env,
        readFile: ctx.deps.readFile,
        ...(ctx.deps.readFileHead ? { readFileHead: ctx.deps.readFileHead.bind(ctx.deps) } : {}),
        fetch: ctx.deps.fetch ?? globalThis.fetch,
        timeoutMs: limits.totalTimeoutMs,
        debug: (line) => ctx.diag.debug(line),
      });
      const settings = await resolveForCommand(ctx, local);
      const sessionLimits = { ...limits, maxAttempts: WEB_IDENTITY_ATTEMPTS };
      const first = await withOpenSession(ctx, settings, { signer: { kind: 'unsigned' }, limits: sessionLimits }, async (session) => {
        const request = { roleArn, sessionName, token, durationSeconds: chainArn ? CHAIN_LIMIT : durationSeconds, ...(chainArn ? {} : sessionPolicy) };
        try {
          const result = await assumeRoleWithWebIdentity(session, request);
          return { result, issued: assumedRoleIssued(session, request, result, { createdAt: ctx.deps.now(), how: ' with web identity' }) };
        } catch (error) {
          throw explainWebIdentityError(error, token, roleArn, source);
        }
      });
      if (!chainArn) return first.issued;
      const credentials = { accessKeyId: first.result.accessKeyId, secretAccessKey: first.result.secretAccessKey, sessionToken: first.result.sessionToken };
      return withOpenSession(ctx, settings, { signer: { kind: 'credentials', credentials }, limits: sessionLimits }, async (session) => {
        const request = { roleArn: chainArn, sessionName, durationSeconds, ...parameters };
        try {
          return assumedRoleIssued(session, request, await assumeRole(session, request), { createdAt: ctx.deps.now(), how: ' with web identity' });
        } catch (error) {
          if (error instanceof StsxError && error.code === 'AccessDenied') {
            throw new AuthError(`${first.result.assumedRoleArn} may not assume ${chainArn}: ${error.message}`, {
              code: error.code,
              hint: `the trust policy of ${chainArn} must allow ${roleArn} (sts:AssumeRole, and sts:TagSession when session tags pass on)`,
              cause: error,
            });
          }
          throw error;
        }
      });
    },
  });
}
