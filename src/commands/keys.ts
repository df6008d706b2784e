// `stsx keys add | get | list | remove | import`: long-term keys in the OS keyring (or an encrypted
// file) instead of a plaintext ~/.aws/credentials, reached by every AWS tool through one
// `credential_process = stsx keys get PROFILE` line, which stsx itself reads directly.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { configFilePaths, readConfigText } from '../config/config-files.ts';
import { checkProfileName, editSharedFile } from '../config/write-profile.ts';
import { AuthError, AwsRequestError, ConfigError, NetworkError, UsageError } from '../errors.ts';
import { maskAccessKeyId } from '../cache/cache-entry.ts';
import { terminalText } from '../text/terminal-text.ts';
import { mfaCodes, resolveLocalForCommand, withSession, type CommandContext } from '../steps/command-context.ts';
import { checkNewKeys, type KeyStore, type StoredKeys } from '../keys/key-store.ts';
import { chosenBackend, openStore, storedKeysOf } from '../keys/open-store.ts';
import { ownLine, parseOwnLine } from '../keys/own-line.ts';
import { dropOwnLine, findSection, plainKeys, putOwnLine } from '../keys/credentials-section.ts';

export interface KeysFlags {
  backend?: string | undefined;
  stdin?: boolean | undefined;
  output?: string | undefined;
}

const isOwn = (line: string): boolean => parseOwnLine(line) !== undefined;

function checkProfileArg(ctx: CommandContext, profile: string): void {
  if (ctx.flags.profile !== undefined) throw new UsageError('name the profile as the argument (stsx keys add NAME), not with --profile');
  checkProfileName(profile, 'the profile name');
}

/** Reads the key id and the secret: two lines on stdin (`--stdin`), else asked on the terminal with echo off. */
async function readNewKeys(ctx: CommandContext, fromStdin: boolean): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (fromStdin) {
    let text = '';
    for await (const chunk of ctx.deps.stdin) {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (text.length > 4096) throw new UsageError('--stdin takes two short lines: the access key id, then the secret access key');
    }
    const [id = '', secret = ''] = text.split(/\r?\n/).map((l) => l.trim());
    return { accessKeyId: id, secretAccessKey: secret };
  }
  const terminal = await ctx.deps.openTerminal?.();
  if (!terminal) throw new UsageError('there is no terminal to ask for the keys on', { hint: 'pipe them in: printf "%s\\n%s\\n" "$KEY_ID" "$SECRET" | stsx keys add NAME --stdin' });
  try {
    const accessKeyId = (await terminal.readHidden('Access key id: ', 128)).trim();
    const secretAccessKey = (await terminal.readHidden('Secret access key: ', 256)).trim();
    return { accessKeyId, secretAccessKey };
  } finally {
    terminal.close();
  }
}

/** The words that start this stsx for another program: `stsx` when that is us on PATH, else absolute paths. */
async function launcherWords(ctx: CommandContext): Promise<string[]> {
  const own = ctx.deps.launcher ?? ['stsx'];
  const script = own.at(-1) ?? '';
  for (const dir of (ctx.deps.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      if ((await realpath(path.join(dir, 'stsx'))) === (await realpath(script))) return ['stsx'];
    } catch {
      // not there
    }
  }
  return [...own];
}

/** The credentials file, edited as every stsx edit of it is (config/write-profile.ts editSharedFile). */
function editCredentials(ctx: CommandContext, edit: (text: string) => string | undefined): Promise<boolean> {
  const files = configFilePaths(ctx.deps.env, ctx.deps.homedir);
  return editSharedFile(files, 'credentials', ctx.deps.platform === 'win32' ? undefined : process.getuid?.(), edit);
}

/** One GetCallerIdentity with the keys: they work, and whose they are. */
async function identityOf(ctx: CommandContext, profile: string, keys: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const local = await resolveLocalForCommand(ctx);
  const identity = await withSession(ctx, local, { kind: 'keys', profile, file: undefined, accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }, mfaCodes(ctx, undefined), (s) => s.getCallerIdentity());
  return identity.arn;
}

async function storeAndLink(ctx: CommandContext, store: KeyStore, profile: string, keys: StoredKeys): Promise<void> {
  await store.set(profile, keys);
  const line = ownLine(await launcherWords(ctx), profile, store.backend);
  await editCredentials(ctx, (text) => putOwnLine(text, profile, line, isOwn));
}

export async function runKeysAdd(ctx: CommandContext, profile: string, flags: KeysFlags): Promise<void> {
  checkProfileArg(ctx, profile);
  const keys = await readNewKeys(ctx, flags.stdin === true);
  checkNewKeys(keys.accessKeyId, keys.secretAccessKey);
  const arn = await identityOf(ctx, profile, keys);
  const store = await openStore(ctx.deps, chosenBackend(flags.backend, ctx.deps.env), (l) => ctx.diag.note(l));
  await storeAndLink(ctx, store, profile, { ...keys, storedAt: ctx.deps.now().toISOString() });
  ctx.diag.note(`stored the keys of ${terminalText(arn)} (${maskAccessKeyId(keys.accessKeyId)}) for profile "${profile}" in ${store.where}`);
}

export async function runKeysGet(ctx: CommandContext, profile: string, flags: KeysFlags): Promise<void> {
  const keys = await storedKeysOf(ctx.deps, (l) => ctx.diag.note(l), profile, chosenBackend(flags.backend, ctx.deps.env) ?? 'keyring');
  ctx.deps.stdout.write(`${JSON.stringify({ Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey })}\n`);
}


export async function runKeysList(ctx: CommandContext, flags: KeysFlags): Promise<void> {
  const store = await openStore(ctx.deps, chosenBackend(flags.backend, ctx.deps.env), (l) => ctx.diag.note(l));
  const entries = [...(await store.list())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const now = ctx.deps.now().getTime();
  const rows = entries.map(([profile, k]) => ({ profile, accessKeyId: maskAccessKeyId(k.accessKeyId), backend: store.backend, ageDays: k.storedAt ? Math.floor((now - Date.parse(k.storedAt)) / 86400_000) : null }));
  if (flags.output === 'json') {
    ctx.deps.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    ctx.diag.note(`no keys are stored in ${store.where}`);
    return;
  }
  const cells = [['PROFILE', 'KEY', 'BACKEND', 'AGE'], ...rows.map((r) => [terminalText(r.profile), r.accessKeyId, r.backend, r.ageDays === null ? '?' : `${String(r.ageDays)}d`])];
  const width = cells[0]?.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length))) ?? [];
  ctx.deps.stdout.write(cells.map((c) => c.map((x, i) => x.padEnd(width[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n');
}

export async function runKeysRemove(ctx: CommandContext, profile: string, flags: KeysFlags): Promise<void> {
  const store = await openStore(ctx.deps, chosenBackend(flags.backend, ctx.deps.env), (l) => ctx.diag.note(l));
  const removed = await store.remove(profile);
  const file = configFilePaths(ctx.deps.env, ctx.deps.homedir).credentials;
  const dropped = await editCredentials(ctx, (text) => dropOwnLine(text, profile, isOwn));
  if (!removed && !dropped) throw new ConfigError(`no keys are stored for profile "${profile}" in ${store.where}`);
  ctx.diag.note(`removed the keys of profile "${profile}" from ${store.where}${dropped ? ` and its credential_process line from ${terminalText(file)}` : ''}`);
}

/** Moves plaintext keys of the credentials file into the store, each replaced by stsx's line; no plaintext copy is left. */
export async function runKeysImport(ctx: CommandContext, profiles: string[], flags: KeysFlags): Promise<void> {
  const file = configFilePaths(ctx.deps.env, ctx.deps.homedir).credentials;
  const text = await readConfigText(file, ctx.deps.readFile);
  const lines = text.split('\n');
  const names = profiles.length > 0 ? profiles : sectionNames(lines);
  const found = names.map((name) => ({ name, keys: ((s) => (s ? plainKeys(s) : undefined))(findSection(lines, name)) }));
  for (const f of found) if (profiles.length > 0 && !f.keys) throw new ConfigError(`[${f.name}] of ${terminalText(file)} holds no plaintext long-term keys to import`);
  const todo = found.filter((f): f is { name: string; keys: { accessKeyId: string; secretAccessKey: string } } => f.keys !== undefined);
  if (todo.length === 0) {
    ctx.diag.note(`${terminalText(file)} holds no plaintext long-term keys`);
    return;
  }
  for (const t of todo) checkNewKeys(t.keys.accessKeyId, t.keys.secretAccessKey);
  const store = await openStore(ctx.deps, chosenBackend(flags.backend, ctx.deps.env), (l) => ctx.diag.note(l));
  const words = await launcherWords(ctx);
  const now = ctx.deps.now().toISOString();
  // Every key stored first, then one rewrite of the file: a failure half-way leaves the file whole.
  for (const t of todo) await store.set(t.name, { ...t.keys, storedAt: now });
  await editCredentials(ctx, (current) => todo.reduce((next, t) => putOwnLine(next, t.name, ownLine(words, t.name, store.backend), isOwn), current));
  ctx.diag.note(`moved the keys of ${todo.map((t) => `"${t.name}"`).join(', ')} into ${store.where}; ${terminalText(file)} now runs \`stsx keys get\` for them`);
}

function sectionNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const l of lines) {
    const m = /^[ \t]*\[([^\]]*)\]/.exec(l);
    if (m?.[1] !== undefined) names.push(m[1].trim());
  }
  return names;
}

/** How long a new key may take to work (IAM is eventually consistent: usually seconds). */
const NEW_KEY_WAIT_MS = 60_000;

/**
 * `stsx keys rotate PROFILE` (aws-vault's rotate): a new access key for the stored user, used once
 * it works, stored, and only then the old one deleted — with the new key, so a failure at any step
 * leaves working keys stored. A user who already has two keys is refused: IAM allows two, and
 * which one to give up is the user's call.
 */
export async function runKeysRotate(ctx: CommandContext, profile: string, flags: KeysFlags): Promise<void> {
  const file = configFilePaths(ctx.deps.env, ctx.deps.homedir).credentials;
  const section = findSection((await readConfigText(file, ctx.deps.readFile)).split('\n'), profile);
  const own = section?.settings.get('credential_process');
  const line = own ? parseOwnLine(own.value) : undefined;
  const backend = chosenBackend(flags.backend, ctx.deps.env) ?? line?.backend ?? 'keyring';
  const store = await openStore(ctx.deps, backend, (l) => ctx.diag.note(l));
  const old = await store.get(profile);
  if (!old) throw new ConfigError(`no keys are stored for profile "${profile}" in ${store.where}`, { hint: `store them first: stsx keys add ${profile}` });
  const local = await resolveLocalForCommand(ctx);
  const { IAMClient, ListAccessKeysCommand, CreateAccessKeyCommand, DeleteAccessKeyCommand } = await import('@aws-sdk/client-iam');
  const endpoint = ctx.deps.env.AWS_ENDPOINT_URL_IAM || ctx.deps.env.AWS_ENDPOINT_URL || undefined;
  const iam = (keys: { accessKeyId: string; secretAccessKey: string }): InstanceType<typeof IAMClient> =>
    new IAMClient({ region: local.region?.region ?? 'us-east-1', credentials: keys, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) });
  const oldClient = iam(old);
  try {
    const listed = await iamCall('ListAccessKeys', () => oldClient.send(new ListAccessKeysCommand({})));
    const keys = listed.AccessKeyMetadata ?? [];
    if (keys.length >= 2) {
      throw new ConfigError(`the IAM user already has two access keys (${keys.map((k) => maskAccessKeyId(k.AccessKeyId ?? '')).join(', ')}), the most IAM allows: nothing was changed`, {
        hint: 'delete the one that is not stored here first (aws iam delete-access-key --access-key-id ...), then rotate',
      });
    }
    const created = await iamCall('CreateAccessKey', () => oldClient.send(new CreateAccessKeyCommand({})));
    const fresh = created.AccessKey;
    if (!fresh?.AccessKeyId || !fresh.SecretAccessKey) throw new ConfigError('IAM answered CreateAccessKey without a key');
    const next = { accessKeyId: fresh.AccessKeyId, secretAccessKey: fresh.SecretAccessKey };
    const started = ctx.deps.now().getTime();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await identityOf(ctx, profile, next);
        break;
      } catch (error) {
        if (ctx.deps.now().getTime() - started > NEW_KEY_WAIT_MS) {
          throw new ConfigError(`the new key ${maskAccessKeyId(next.accessKeyId)} did not work within ${String(NEW_KEY_WAIT_MS / 1000)} s; the old key is still stored and was not deleted`, { hint: 'delete the new key in IAM, or run the rotation again later', cause: error });
        }
        ctx.diag.debug(`the new key does not work yet (attempt ${String(attempt)}); IAM is eventually consistent`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    await store.set(profile, { ...next, storedAt: ctx.deps.now().toISOString() });
    const newClient = iam(next);
    try {
      await iamCall('DeleteAccessKey', () => newClient.send(new DeleteAccessKeyCommand({ AccessKeyId: old.accessKeyId })));
    } catch (error) {
      ctx.diag.warn(`the new key ${maskAccessKeyId(next.accessKeyId)} is stored, but the old key ${maskAccessKeyId(old.accessKeyId)} could not be deleted (${terminalText((error as Error).message)}): delete it in IAM`);
      return;
    } finally {
      newClient.destroy();
    }
    ctx.diag.note(`rotated profile "${profile}": ${maskAccessKeyId(old.accessKeyId)} deleted, ${maskAccessKeyId(next.accessKeyId)} stored in ${store.where}`);
  } finally {
    oldClient.destroy();
  }
}

async function iamCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const detail = terminalText(`${e.name ?? 'error'}: ${e.message ?? ''}`).slice(0, 200);
    if (e.name === 'AccessDenied' || e.name === 'AccessDeniedException') throw new AuthError(`IAM refused ${operation} (${detail})`, { hint: 'the user needs iam:ListAccessKeys, iam:CreateAccessKey and iam:DeleteAccessKey on itself', cause: error });
    if (e.name === 'LimitExceeded' || e.name === 'LimitExceededException') throw new ConfigError(`IAM refused ${operation}: the user already has two access keys (${detail})`, { cause: error });
    if (e.$metadata?.httpStatusCode !== undefined) throw new AwsRequestError(`IAM answered ${operation} with HTTP ${String(e.$metadata.httpStatusCode)} (${detail})`, { cause: error });
    throw new NetworkError(`cannot reach IAM for ${operation} (${detail})`, { hint: 'check the network, or AWS_ENDPOINT_URL_IAM', cause: error });
  }
}
