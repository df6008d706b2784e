// The one table of output formats: name, aliases, how the output is consumed, notes, and the
// renderer. Everything else is generated from it: parseFormat, the --format help and the "Use it
// from your shell" block of `assume --help` and `session-token --help` (src/cli.ts), the warning
// when stdout is a terminal (src/steps/emit-credentials.ts), and the format blocks of
// docs/usage.md (`npm run docs`, scripts/docs.ts; a unit test fails when they are out of date).
import { UsageError } from '../../errors.ts';
import { renderCmd } from './cmd.ts';
import { renderDotenv } from './dotenv.ts';
import { credentialEnv, unsetEnv } from './env-vars.ts';
import { renderFish } from './fish.ts';
import { missingGithubEnvError, renderGithub } from './github.ts';
import { renderJson } from './json.ts';
import { renderNu } from './nu.ts';
import { renderPosix } from './posix.ts';
import { renderPowerShell } from './powershell.ts';
import type { CredentialOutput, EnvAssignment, RenderContext, RenderedCredentials } from './types.ts';

export interface FormatSpec {
  /** Other spellings accepted by --format, e.g. the AWS CLI's `export-credentials --format` names. */
  readonly aliases: readonly string[];
  /**
   * How to consume the output, with `{stsx}` for `stsx <command>` and `{args}` for the rest of
   * the command line. Formats whose output no shell would guess pin it with `--format`.
   */
  readonly usage: string;
  /** A short note printed under the usage line in help and docs/usage.md, if any. */
  readonly usageNote?: string;
  /** What the output is, for the format table of docs/usage.md. */
  readonly notes: string;
  /** The credentials as text (json, or the lines of a shell or file format). */
  render(out: CredentialOutput, ctx: RenderContext): RenderedCredentials;
  /** The lines that clear every variable stsx sets; only formats that can unset have it. */
  unset?(): string;
}

/** A format that is a pure function of the shared variable list (env-vars.ts). */
function envFormat(render: (list: readonly EnvAssignment[]) => string, canUnset: boolean): Pick<FormatSpec, 'render' | 'unset'> {
  return {
    render: (out) => ({ stdout: render(credentialEnv(out)) }),
    ...(canUnset ? { unset: () => render(unsetEnv()) } : {}),
  };
}

const EVAL = 'eval "$({stsx} {args})"';
const POSIX_NOTES = "`export NAME='value';` and `unset NAME;` lines (POSIX single quotes, `'\\''` for a quote; the `;` keeps the unquoted `eval $(...)` working too)";

// Order is the order of help, errors and docs/usage.md.
const TABLE = {
  bash: { aliases: [], usage: EVAL, notes: POSIX_NOTES, ...envFormat((l) => renderPosix(l, 'bash'), true) },
  zsh: { aliases: [], usage: EVAL, notes: 'the same lines as `bash`', ...envFormat((l) => renderPosix(l, 'zsh'), true) },
  sh: {
    aliases: ['dash', 'env'],
    usage: EVAL,
    notes: 'the same lines as `bash`, for dash, ksh, busybox sh and other POSIX shells (`env` is the AWS CLI\'s name for them)',
    ...envFormat((l) => renderPosix(l, 'sh'), true),
  },
  fish: {
    aliases: [],
    usage: '{stsx} {args} | source',
    notes: "`set -gx NAME 'value'` and `set -e -g NAME` lines (fish single quotes, `\\\\` and `\\'`); a universal variable that cannot be erased is reported",
    ...envFormat(renderFish, true),
  },
  powershell: {
    aliases: ['pwsh'],
    usage: '{stsx} {args} | Invoke-Expression',
    notes: "`$Env:NAME = 'value'` and `Remove-Item Env:NAME` lines; non-ASCII as `[char]0xNNNN` (PowerShell reads program output in the OEM code page)",
    ...envFormat(renderPowerShell, true),
  },
  nu: {
    aliases: ['nushell'],
    usage: '{stsx} {args} --format nu | from json | load-env',
    usageNote: '(nushell cannot eval text; `stsx init nu` applies it for you, hiding removed variables)',
    notes: 'one JSON object for `load-env`; a variable to remove is `null`, which nushell does not pass on to programs (the `stsx init nu` wrapper `hide-env`s it); NUL and lone surrogates are refused',
    ...envFormat(renderNu, true),
  },
  cmd: {
    aliases: ['windows-cmd'],
    // `@` stops cmd echoing each `set` line, and with it the secrets, to the console.
    usage: `for /f "delims=" %i in ('{stsx} {args} --format cmd') do @%i`,
    usageNote: '(in a .bat file write %%i instead of %i)',
    notes: '`set "NAME=value"` lines; an empty value removes the variable (Windows has no empty variables); `%`, `"`, `!` and non-ASCII are refused',
    ...envFormat(renderCmd, true),
  },
  dotenv: {
    aliases: ['env-no-export'],
    usage: '{stsx} {args} --format dotenv > .env',
    notes: "`NAME=value` lines, single-quoted unless plainly safe for every reader (`set -a; . file` in bash, zsh and dash, docker, Node's `--env-file`, python-dotenv); `'`, `\\` and `${` are refused; cannot unset, so unset lines are left out",
    ...envFormat(renderDotenv, false),
  },
  json: {
    aliases: ['process'],
    // With no --profile, the process would inherit AWS_PROFILE of the very profile that runs it
    // and call itself again: name the source profile explicitly.
    usage: 'credential_process = {stsx} --profile <source-profile> {args} --format json',
    usageNote: '(in ~/.aws/config, in a profile other than <source-profile>)',
    notes: 'exactly the `credential_process` contract (`Version`, `AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`)',
    render: (out: CredentialOutput) => ({ stdout: renderJson(out) }),
  },
  github: {
    aliases: ['github-actions'],
    usage: 'run: {stsx} {args} --format github',
    usageNote: '(a GitHub Actions step; later steps get the variables)',
    notes: '`::add-mask::` for the secrets on stdout, variables appended to `$GITHUB_ENV` with heredoc delimiters',
    render: (out: CredentialOutput, ctx: RenderContext) => {
      if (!ctx.githubEnvFile) throw missingGithubEnvError();
      // Web Crypto's randomUUID: node:crypto is not loaded by every cache hit for this one format.
      return renderGithub(credentialEnv(out), ctx.randomId ?? (() => globalThis.crypto.randomUUID()));
    },
  },
} satisfies Record<string, FormatSpec>;

export type Format = keyof typeof TABLE;

/** Every format with its spec, in table order. */
export const FORMATS: readonly (FormatSpec & { name: Format })[] = (Object.keys(TABLE) as Format[]).map((name) => ({ name, ...TABLE[name] }));
export const FORMAT_NAMES: readonly Format[] = FORMATS.map((f) => f.name);

export function formatSpec(format: Format): FormatSpec {
  return TABLE[format];
}

/** Formats that can unset variables: the ones a user evaluates in an interactive shell. */
export const SHELL_FORMATS: readonly Format[] = FORMATS.filter((f) => f.unset !== undefined).map((f) => f.name);

const BY_NAME: ReadonlyMap<string, Format> = new Map(FORMATS.flatMap((f) => [[f.name, f.name] as const, ...f.aliases.map((a) => [a, f.name] as const)]));

/** `--shell` is an alias of `--format` (the one rule for every command that takes both; --format wins). */
export function withFormat<T extends { format?: string | undefined; shell?: string | undefined }>(opts: T): T {
  return { ...opts, format: opts.format ?? opts.shell };
}

export function parseFormat(name: string): Format {
  const found = BY_NAME.get(name.trim().toLowerCase());
  if (found) return found;
  throw new UsageError(`unknown output format "${name}"`, { hint: `use one of: ${formatChoices()}` });
}

/** `bash, zsh, sh (dash, env), ...`: every name with its aliases, for help and errors. */
export function formatChoices(): string {
  return FORMATS.map((f) => (f.aliases.length > 0 ? `${f.name} (${f.aliases.join(', ')})` : f.name)).join(', ');
}

/**
 * How to consume `format`'s output, for `command` as the user types it (`stsx assume --role-arn
 * ...`): its first two words are the `{stsx}` of the template, the rest `{args}`.
 */
export function usageLine(format: Format, command: string): string {
  const [program = 'stsx', sub = '', ...rest] = command.trim().split(/\s+/);
  const stsx = sub ? `${program} ${sub}` : program;
  const args = rest.length > 0 ? ` ${rest.join(' ')}` : '';
  // Function replacers: a `$&` or `$'` in the command must stay literal.
  return TABLE[format].usage.replace('{stsx}', () => stsx).replace(' {args}', () => args);
}

/**
 * The "Use it from your shell" lines of help and docs/usage.md: one per distinct usage (bash, zsh
 * and sh share theirs), each followed by its note, names in a column.
 */
export function usageText(command: string): string {
  const rows = new Map<string, { names: string[]; note: string | undefined }>();
  for (const f of FORMATS) {
    const usage = usageLine(f.name, command);
    const row = rows.get(usage);
    if (row) row.names.push(f.name);
    else rows.set(usage, { names: [f.name], note: f.usageNote });
  }
  const width = Math.max(...[...rows.values()].map((r) => r.names.join(', ').length)) + 2;
  return [...rows].flatMap(([usage, r]) => [`${r.names.join(', ').padEnd(width)}${usage}`, ...(r.note ? [`${' '.repeat(width)}${r.note}`] : [])]).join('\n');
}
