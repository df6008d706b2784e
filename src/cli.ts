// commander wiring only: flags -> option objects -> a command module. Nothing here loads the AWS
// SDK (commands import it on demand), so --help and --version stay near Node's start-up floor.
import { Argument, Command, CommanderError, Option, type OptionValues } from 'commander';
import type { Deps } from './deps.ts';
import { createDiagnostics } from './diagnostics.ts';
import { ExitCode, exitCodesLine, formatError, toStsxError, UsageError, type StsxError } from './errors.ts';
import { writeOutput } from './output/write-output.ts';
import { contextFlags, type CommandContext, type GivenGlobalFlags } from './steps/command-context.ts';
import { formatChoices, usageLine, usageText, withFormat } from './output/credentials/formats.ts';
import { cacheFlags, deliveryFlags, formatFlags, GLOBAL_FLAGS, MFA_FLAGS, roleFlags, WHOAMI_FLAGS, type FlagDeclaration } from './flags.ts';
import { VERSION } from './version.ts';
import { terminalLines } from './text/terminal-text.ts';
import { redact, rememberSecrets } from './text/redact.ts';
import { seaMappedStack } from './debug-frames.ts';
// The common commands are imported statically (the AWS SDK stays in lazily loaded chunks either way):
// one module graph instead of a dozen small chunks measured ~8 ms faster on a cache hit with no
// measurable cost to --help. `endpoint` stays lazy: its network probes load node:net and friends.
import { runAssume } from './commands/assume.ts';
import { runCacheClear, runCacheList } from './commands/cache.ts';
import { runDecode } from './commands/decode.ts';
import { runSessionToken } from './commands/session-token.ts';
import { runUnset } from './commands/unset.ts';
import { runWhoami } from './commands/whoami.ts';
import { SHELLS, type Shell } from './completion/shells.ts';

/** Mounts declared flags (src/flags.ts) on a command, in order. */
function withFlags(cmd: Command, declarations: readonly FlagDeclaration[]): Command {
  for (const d of declarations) {
    if (d.choices) cmd.addOption(new Option(d.flags, d.description).choices(d.choices));
    else if (d.parse) cmd.option(d.flags, d.description, d.parse);
    else cmd.option(d.flags, d.description);
  }
  return cmd;
}

const withGlobalOptions = (cmd: Command): Command => withFlags(cmd, GLOBAL_FLAGS);
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The profile as the first word (`stsx assume admin`), the habit aws-vault and granted teach; --profile stays. */
function withProfileWord(cmd: Command): Command {
  return cmd.argument('[profile]', 'the profile, as --profile (either, not both)');
}

/** A profile given as a word becomes --profile; both, naming different profiles, is a usage error. */
function takeProfileWord(cmd: Command, word: unknown): void {
  if (typeof word !== 'string') return;
  const flag = cmd.getOptionValue('profile') as string | undefined;
  if (flag !== undefined && flag !== word) {
    throw new UsageError(`two profiles given: ${JSON.stringify(word)} and --profile ${JSON.stringify(flag)}`, { hint: `name the profile once: stsx ${cmd.name()} ${word}, or stsx ${cmd.name()} --profile ${word}` });
  }
  cmd.setOptionValue('profile', word);
}

export function buildProgram(run: Runner): Command {
  const program = new Command('stsx')
    .description('Assume AWS IAM roles and export temporary credentials, over regional STS endpoints.')
    .version(VERSION, '-v, --version', 'print the version')
    .showSuggestionAfterError(true);
  program.addHelpText('after', `
Examples:
  stsx whoami                                 who am I, with the current credentials
  stsx whoami --query Account                 just the account id (like aws sts get-caller-identity --query Account --output text)
  stsx decode 'Encoded authorization failure message: ...'
  ${usageLine('bash', 'stsx assume --role-arn arn:aws:iam::123456789012:role/Admin')}
  stsx endpoint --check --region ap-northeast-1   why STS is (not) reachable from here
${exitCodesLine()}`);

  withFlags(withProfileWord(withGlobalOptions(program.command('whoami')))
    .description('show the identity behind the current credentials (GetCallerIdentity), or which account owns an access key'), [...WHOAMI_FLAGS, ...MFA_FLAGS])
    .action(commandAction(run, (ctx, opts) => runWhoami(ctx, opts)));

  const decode = withGlobalOptions(program.command('decode'))
    .description('decode an "Encoded authorization failure message" (DecodeAuthorizationMessage)')
    .argument('[message]', 'the encoded message or the whole error text; file://path; - or nothing for stdin')
    .addOption(new Option('--output <format>', 'text (the summary) or json (only the decoded document)').choices(['text', 'json']))
    .option('--full', 'text output: the decoded document too, then the summary');
  withFlags(decode, MFA_FLAGS)
    .action(async (message: string | undefined, _opts: unknown, cmd: Command) => {
      await run(async () => {
        return (ctx) => runDecode(ctx, message, cmd.opts());
      }, cmd, { ...cmd.opts(), message });
    });

  const formatHelp = `${formatChoices()}; default: detected from the shell`;

  const assume = withFlags(withProfileWord(withGlobalOptions(program.command('assume'))), roleFlags('the role to assume (default: role_arn of --profile); with --web-identity, a second --role-arn is assumed from the first', true))
    .description('assume an IAM role (AssumeRole) and print its temporary credentials for your shell')
    .option('--web-identity [source]', 'AssumeRoleWithWebIdentity with a CI OIDC token: github, gitlab, file:PATH or env:NAME (default: detected from the CI)')
    .option('--audience <aud>', 'the OIDC token audience to ask for (default sts.amazonaws.com)')
    .option('--web-identity-env <name>', 'GitLab: the id_tokens variable holding the token (default AWS_WEB_IDENTITY_TOKEN)');
  withFlags(assume, [...cacheFlags(), ...deliveryFlags(formatHelp)])
    .addHelpText('after', USAGE_BY_SHELL('stsx assume --role-arn arn:aws:iam::123456789012:role/Admin'))
    .action(commandAction(run, (ctx, opts) => runAssume(ctx, opts), withFormat));

  const sessionToken = withProfileWord(withGlobalOptions(program.command('session-token')))
    .description('get a session token for IAM user keys (GetSessionToken), with MFA, and print it for your shell')
    .option('--duration <time>', 'session length: seconds or 15m, 1h, 12h, 36h (900..129600 s; default 12h)')
    .option('--mfa-serial <serial>', 'MFA device serial or ARN (default: mfa_serial of the profile)');
  withFlags(sessionToken, [...MFA_FLAGS, ...cacheFlags(), ...deliveryFlags(formatHelp)])
    .addHelpText('after', USAGE_BY_SHELL('stsx session-token --mfa-serial arn:aws:iam::123456789012:mfa/alice'))
    .action(commandAction(run, (ctx, opts) => runSessionToken(ctx, opts), withFormat));

  withFlags(program.command('unset'), formatFlags(formatHelp))
    .description('print the lines that clear every variable stsx sets')
    .option('--debug', 'show which format was chosen and why')
    .option('--write-profile <name>', 'instead: remove [name], written by --write-profile, from the shared credentials file')
    .option('--force', 'with --write-profile: remove the section even if stsx did not write it')
    .action(commandAction(run, (ctx, opts) => runUnset(ctx, opts), withFormat));

  withFlags(withGlobalOptions(program.command('endpoint'))
    .description('show the STS endpoint every command would use, and where each setting came from; --check diagnoses it')
    .option('--check', 'check DNS, TCP, TLS, that STS answers, and a signed call, step by step, with the fix for each failure'), MFA_FLAGS)
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']))
    .action(lazyAction(run, () => import('./commands/endpoint.ts'), (m, ctx, opts) => m.runEndpoint(ctx, opts)));

  withGlobalOptions(program.command('login'))
    .description('sign in to IAM Identity Center (SSO) for --profile or --sso-session; the token serves stsx, the AWS CLI and the SDKs')
    .option('--sso-session <name>', 'the [sso-session name] section to sign in to (instead of --profile)')
    .option('--use-device-code', 'sign in with a device code (approve it on any device) instead of a browser redirect to this machine')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser')
    .action(lazyAction(run, () => import('./commands/login.ts'), (m, ctx, opts) => m.runLogin(ctx, opts)));

  withGlobalOptions(program.command('logout'))
    .description('log out of IAM Identity Center and remove the cached token of --profile, --sso-session, or --all sessions')
    .option('--sso-session <name>', 'the [sso-session name] section to log out of')
    .option('--all', 'every [sso-session] of the config file')
    .action(lazyAction(run, () => import('./commands/login.ts'), (m, ctx, opts) => m.runLogout(ctx, opts)));

  const consoleCommand = withProfileWord(withGlobalOptions(program.command('console')))
    .description('open the AWS console in your browser as a role (or as the IAM user, via a federation token); --print gives the sign-in URL instead')
    .option('--role-arn <arn>', 'the role to open the console as (default: role_arn of --profile, else the profile\'s own credentials)')
    .option('--role-session-name <name>', 'session name (default: role_session_name, else stsx-<user>-<unix time>)')
    .option('--external-id <id>', 'external id required by the role (default: external_id)')
    .option('--mfa-serial <serial>', 'MFA device serial or ARN (default: mfa_serial); the code comes from --token-code, mfa_process, a --prompt or the terminal');
  withFlags(consoleCommand, MFA_FLAGS)
    .option('--duration <time>', 'console session length, 15m..12h (default 1h; at most 1h for a chained role)')
    .option('--service <name>', 'open this service\'s page in --region: s3, ec2, iam, lambda, cloudwatch, logs, ... (default: the console home)')
    .option('--destination <url>', 'open this https:// console URL instead')
    .option('--print', 'write the sign-in URL to stdout instead of opening a browser (a bearer secret for about 15 minutes)')
    .option('--no-cache', 'neither read nor write the credential cache')
    .option('--refresh', 'ignore a cached role session and ask STS again (the new one is cached)')
    .addHelpText('after', '\nThe sign-in endpoint is the partition\'s (signin.aws.amazon.com, signin.amazonaws.cn, signin.amazonaws-us-gov.com);\nSTSX_SIGNIN_ENDPOINT points it elsewhere (tests, private sign-in proxies).')
    .action(lazyAction(run, () => import('./commands/console.ts'), (m, ctx, opts) => m.runConsole(ctx, opts)));

  program
    .command('init')
    .description('print the shell function (assume, session-token and unset change your shell) and completion, for your rc file')
    .addArgument(new Argument('<shell>', 'the shell the script is for').choices(SHELLS))
    .addHelpText('after', `
Put this in your shell's start-up file:
  bash        eval "$(stsx init bash)"                        (~/.bashrc)
  zsh         eval "$(stsx init zsh)"                         (~/.zshrc)
  fish        stsx init fish | source                         (~/.config/fish/config.fish)
  powershell  stsx init powershell | Out-String | Invoke-Expression   ($PROFILE)
  nu          stsx init nu | save -f ($nu.default-config-dir | path join stsx.nu)
              then \`source stsx.nu\` in config.nu`)
    .action(async (shell: Shell, _opts: unknown, cmd: Command) => {
      await run(async () => {
        const m = await import('./commands/init.ts');
        return (ctx) => m.runInit(ctx, shell, program);
      }, cmd, { shell });
    });
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .argument('[words...]')
    .action(async (what: string, words: string[], _opts: unknown, cmd: Command) => {
      await run(async () => {
        const m = await import('./commands/init.ts');
        return (ctx) => m.runComplete(ctx, what, words, program);
      }, cmd, { what, words });
    });

  program
    .command('profiles')
    .description('list the profiles of the AWS config files: kind, role, source chain, region, MFA, cached session (no AWS calls)')
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']))
    .option('--debug', 'show details')
    .action(lazyAction(run, () => import('./commands/profiles.ts'), (m, ctx, opts) => m.runProfiles(ctx, opts)));

  program
    .command('status')
    .description('which exported credentials are active, who they are and how long they last (environment and cache only, no AWS calls)')
    .option('--prompt', 'one short segment for a shell prompt (Admin@222222222222 42m), empty when there are none')
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']))
    .option('--debug', 'show details')
    .addHelpText('after', '\nExit status: 0 valid credentials, 1 none in the environment, 3 expired.')
    .action(lazyAction(run, () => import('./commands/status.ts'), async (m, ctx, opts) => {
      const result = await m.runStatus(ctx.deps, opts);
      await writeOutput(ctx.deps.stdout, result.stdout);
      return result.exitCode;
    }));


  const exec = withFlags(withGlobalOptions(program.command('exec')), roleFlags('the role to assume (default: role_arn of --profile; none: the profile\'s own credentials)'))
    .description('run a command with a role\'s temporary credentials (or the profile\'s own) in its environment; its exit status is the command\'s')
    .argument('[command...]', 'the command and its arguments, after --; a word before -- is the profile (stsx exec admin -- terraform plan); none: your $SHELL')
    .option('--allowed-account-id <id>', 'refuse to run the command with credentials of any other account (repeatable; needs a role)', collect)
    .option('--server', 'give the command a loopback credential server (AWS_CONTAINER_CREDENTIALS_FULL_URI) that refreshes the credentials, instead of keys');
  withFlags(exec, cacheFlags('; --server refreshes before this much is left'))
    .addHelpText('after', '\nExamples:\n  stsx exec --profile prod -- terraform plan\n  stsx exec prod -- terraform plan\n  stsx exec --profile prod                 a shell ($SHELL) with the credentials; STSX_PROFILE says so\n  stsx exec --role-arn arn:aws:iam::123456789012:role/Deploy --server -- npm test')
    .action(async (words: string[], _opts: unknown, cmd: Command) => {
      const command = execWords(cmd, words);
      await run(async () => {
        const m = await import('./commands/exec.ts');
        // No command: the user's shell, as aws-vault does (the child's STSX_PROFILE tells a prompt it is nested).
        return (ctx) => m.runExec(ctx, command.length > 0 ? command : [userShell(ctx.deps.env, ctx.deps.platform)], cmd.opts());
      }, cmd, { ...cmd.opts(), command });
    });

  const sso = program.command('sso').description('IAM Identity Center: profiles for every account and role you can use');
  withGlobalOptions(sso.command('populate'))
    .description('write one profile for every account and role the Identity Center login can see, inside a block of the config file stsx owns')
    .option('--sso-session <name>', 'the [sso-session name] to list (default: the only one, or that of --profile)')
    .option('--template <text>', 'profile names: {account_name}, {account_id}, {role_name}, {session} (default {account_name}/{role_name})')
    .option('--prefix <text>', 'put this before every generated name')
    .option('--dry-run', 'print the change as a diff instead of writing it')
    .option('--prune', 'remove generated profiles whose account or role is no longer assigned')
    .action(lazyAction(run, () => import('./commands/sso-populate.ts'), (m, ctx, opts) => m.runSsoPopulate(ctx, opts)));

  const keys = program.command('keys').description('long-term keys in the OS keyring (or an encrypted file) instead of plaintext ~/.aws/credentials');
  const backendOption = (): Option => new Option('--backend <backend>', 'keyring (the OS credential store) or file (encrypted under a passphrase); default $STSX_KEYS_BACKEND, else the keyring when one answers').choices(['keyring', 'file']);
  withGlobalOptions(keys.command('add'))
    .description('check an IAM user\'s keys with one GetCallerIdentity, store them, and point the profile at them (credential_process = stsx keys get NAME)')
    .argument('<name>', 'the profile the keys are for')
    .option('--stdin', 'read the key id and the secret as two lines from stdin instead of asking on the terminal')
    .addOption(backendOption())
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysAdd(ctx, String(opts.profileArg), opts), argFirst));
  keys
    .command('get')
    .description('print the stored keys of a profile as credential_process JSON (what the AWS CLI and the SDKs run)')
    .argument('<name>', 'the profile')
    .addOption(backendOption())
    .option('--debug', 'show details')
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysGet(ctx, String(opts.profileArg), opts), argFirst));
  keys
    .command('list')
    .description('the stored keys: profile, masked key id, backend, age (never secrets)')
    .addOption(backendOption())
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']))
    .option('--debug', 'show details')
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysList(ctx, opts)));
  keys
    .command('remove')
    .description('delete the stored keys of a profile and its credential_process line')
    .argument('<name>', 'the profile')
    .addOption(backendOption())
    .option('--debug', 'show details')
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysRemove(ctx, String(opts.profileArg), opts), argFirst));
  withGlobalOptions(keys.command('rotate'))
    .description('create a new access key, wait until it works, store it, then delete the old one (IAM, through AWS_ENDPOINT_URL_IAM when set)')
    .argument('<name>', 'the profile whose stored keys to rotate')
    .addOption(backendOption())
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysRotate(ctx, String(opts.profileArg), opts), argFirst));
  keys
    .command('import')
    .description('move plaintext keys of the credentials file into the store, each replaced by stsx\'s credential_process line (every other byte kept)')
    .argument('[profiles...]', 'the profiles to move (default: every profile with plaintext long-term keys)')
    .addOption(backendOption())
    .option('--debug', 'show details')
    .action(lazyAction(run, () => import('./commands/keys.ts'), (m, ctx, opts) => m.runKeysImport(ctx, (opts.profileArg as string[] | undefined) ?? [], opts), argFirst));

  const cache = program.command('cache').description('the credential cache of assume and session-token');
  cache
    .command('list')
    .description('what is cached, for which role, until when (never secrets)')
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']))
    .option('--debug', 'show details')
    .action(commandAction(run, (ctx, opts) => runCacheList(ctx, opts)));
  cache
    .command('clear')
    .description('remove cached credentials (all, or only those of --role-arn)')
    .option('--role-arn <arn>', 'only the entries of this role')
    .option('--debug', 'show details')
    .action(commandAction(run, (ctx, opts) => runCacheClear(ctx, opts)));

  return program;
}

/**
 * `stsx exec` words: after `--`, the command; one word before `--`, the profile (`stsx exec admin
 * -- cmd`); without `--`, the words are the command, as they always were (`stsx exec env`).
 */
function execWords(cmd: Command, words: readonly string[]): string[] {
  // Where `--` was: commander hands the words before and after it over as one list. rawArgs is
  // commander's own record of argv (set by parse, left out of its types).
  const raw = (cmd.parent as { rawArgs?: string[] } | null)?.rawArgs ?? [];
  const dashes = raw.indexOf('--');
  if (dashes < 0) return [...words];
  const after = Math.min(words.length, raw.length - dashes - 1);
  const before = words.slice(0, words.length - after);
  if (before.length > 1) {
    throw new UsageError(`stsx exec takes one profile before --, not ${before.length} words (${before.map((w) => JSON.stringify(w)).join(' ')})`, { hint: 'stsx exec PROFILE -- COMMAND [ARGS...], or stsx exec --profile PROFILE -- COMMAND [ARGS...]' });
  }
  takeProfileWord(cmd, before[0]);
  return words.slice(before.length);
}

/** The shell `stsx exec` starts when given no command: $SHELL, else /bin/sh (%COMSPEC% on Windows). */
function userShell(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') return env['COMSPEC'] || 'cmd.exe';
  return env['SHELL'] || '/bin/sh';
}

/**
 * Runs a parsed command: `load` gives the command's function, `opts` is the options object it
 * will receive (for decode, with the message argument), so tests can check the flag-to-option
 * mapping without running anything.
 */
type Runner = (load: () => Promise<(ctx: CommandContext) => Promise<CommandResult>>, cmd: Command, opts: OptionValues) => Promise<void>;
/** A command's own exit status when it has one other than 0 without an error (status: 1 none, 3 expired). */
type CommandResult = void | number;

/** A commander action for a command module that is loaded only when the command runs (a lazy chunk). */
/** A command's first argument, handed to its run function beside the options. */
const argFirst = (opts: OptionValues, args: unknown[]): OptionValues => ({ ...opts, profileArg: args[0] });

function lazyAction<M>(
  run: Runner,
  load: () => Promise<M>,
  call: (m: M, ctx: CommandContext, opts: OptionValues) => Promise<CommandResult>,
  adapt: (opts: OptionValues, args: unknown[]) => OptionValues = (o) => o,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    if (cmd.registeredArguments[0]?.name() === 'profile') takeProfileWord(cmd, args[0]);
    const opts = adapt(cmd.opts(), args.slice(0, -2));
    await run(async () => {
      const m = await load();
      return (ctx) => call(m, ctx, opts);
    }, cmd, opts);
  };
}

/** A commander action for a command whose module is part of the main bundle (not lazily loaded). */
function commandAction(
  run: Runner,
  call: (ctx: CommandContext, opts: OptionValues) => Promise<CommandResult>,
  adapt: (opts: OptionValues, args: unknown[]) => OptionValues = (o) => o,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    if (cmd.registeredArguments[0]?.name() === 'profile') takeProfileWord(cmd, args[0]);
    const opts = adapt(cmd.opts(), args.slice(0, -2));
    await run(async () => (ctx) => call(ctx, opts), cmd, opts);
  };
}

/** --shell is an alias of --format (the name other tools use). */
/** The "Use it from your shell" help block, generated from the FORMATS table. */
const USAGE_BY_SHELL = (command: string): string => `\nUse it from your shell:\n${usageText(command).replace(/^/gm, '  ')}`;

/** Parses argv, runs the command, and returns the exit code. The only place errors become text. */
export async function runCli(argv: string[], deps: Deps): Promise<number> {
  const debug = argv.includes('--debug');
  // The environment's secrets never appear on stderr, whatever a server or the SDK echoes of them.
  rememberSecrets(deps.env.AWS_SECRET_ACCESS_KEY, deps.env.AWS_SESSION_TOKEN, deps.env.AWS_SECURITY_TOKEN);
  const diag = await createDiagnostics(deps.stderr, deps.env, debug);
  const report = (error: StsxError): number => {
    deps.stderr.write(`${formatError(error)}\n`);
    if (debug) deps.stderr.write(`${debugDetails(error)}\n`);
    return error.exitCode;
  };
  let commandExit: number = ExitCode.ok;
  const program = buildProgram(async (load, cmd) => {
    const ctx: CommandContext = { deps, diag, flags: contextFlags(cmd.optsWithGlobals<GivenGlobalFlags>()) };
    const command = await load();
    const result = await command(ctx);
    if (typeof result === 'number') commandExit = result;
  }, );
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      outputError: () => undefined,
    });
  for (const sub of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) sub.exitOverride().configureOutput({ writeOut: (t) => deps.stdout.write(t), writeErr: (t) => deps.stderr.write(t), outputError: () => undefined });
  try {
    if (argv.length === 0) {
      // Help the user did not ask for is a diagnostic: stderr, and a usage exit code.
      program.outputHelp({ error: true });
      return ExitCode.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    // Whatever a command wrote without waiting must have arrived before we say it went well.
    await writeOutput(deps.stdout, '');
    return commandExit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        // Help and version went to stdout too: make sure they arrived.
        return await writeOutput(deps.stdout, '').then(() => ExitCode.ok, (e: unknown) => report(toStsxError(e)));
      }
      const message = suggestLonger(program, argv, error).replace(/^error:\s*/, '');
      return report(new UsageError(message, { hint: 'see stsx --help' }));
    }
    return report(toStsxError(error));
  }
}

/**
 * An unknown option that begins a real one is a shortened name (`--role` for `--role-arn`):
 * suggested instead of commander's nearest by edit distance (which offers `--profile`).
 */
function suggestLonger(program: Command, argv: readonly string[], error: CommanderError): string {
  const flag = error.code === 'commander.unknownOption' ? /unknown option '(--[^'=]+)/.exec(error.message)?.[1] : undefined;
  if (flag === undefined) return error.message;
  let cmd = program;
  for (const word of argv) {
    if (word === '--') break;
    const sub = cmd.commands.find((c) => c.name() === word);
    if (sub) cmd = sub;
  }
  const longer = cmd.options.map((o) => o.long).filter((l): l is string => l?.startsWith(`${flag}-`) === true).sort((a, b) => a.length - b.length)[0];
  if (longer === undefined) return error.message;
  return `${error.message.split('\n')[0] ?? ''}\n(Did you mean ${longer}?)`;
}

function debugDetails(error: Error): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    lines.push(`stsx: debug: ${depth === 0 ? '' : 'caused by '}${current.stack ?? current.message}`);
    current = current.cause;
  }
  return terminalLines(redact(seaMappedStack(lines.join('\n'))));
}
