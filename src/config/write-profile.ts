// `--write-profile NAME`: temporary credentials as section [NAME] of the shared credentials file,
// for tools that read only that file, and the region as [profile NAME] of the config file. The
// section body is encoded with the `ini` package. stsx replaces or removes only its own lines: every
// other line of the file stays byte for byte (settings and comments a user added to the section,
// order, line endings, a missing final newline), and a line stsx cannot tell from its own stops it.
// Each file is replaced atomically (temp file and rename beside it, through a symlink), mode 0600,
// under a lock beside the credentials file, so parallel writers all land.
import { encode } from 'ini';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, rename } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, NetworkError, UsageError } from '../errors.ts';
import { describeError, errorCode } from '../files/fs-errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { readCapped, writeThroughTemp } from '../files/bounded-io.ts';

/** Larger than any hand-kept credentials file; anything bigger is not read whole. */
const MAX_CREDENTIALS_FILE_BYTES = 1024 * 1024;
/** The key that marks a section as written by stsx (and says when it stops working). */
const EXPIRATION_KEY = 'x_stsx_expiration';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@+:/-]{0,127}$/;

export interface ProfileCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** Whether stsx writes a section of this name: one header and nothing else, and one every AWS tool (the JS SDK too) reads back. */
export function isWritableProfileName(name: string): boolean {
  return PROFILE_NAME.test(name) && !(name in Object.prototype);
}

/** A name that is one section header and nothing else: no `]`, no newline, no `__proto__`. */
export function checkProfileName(name: string, flag = '--write-profile'): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`${flag} ${terminalText(JSON.stringify(name))} is not a profile name stsx writes`, {
      hint: 'use letters, digits and _ . @ + : / - (starting with a letter or digit), at most 128 characters',
    });
  }
  // The JS SDK reads the file into a plain object: [constructor] finds Object's own constructor
  // there, and the profile is lost (the AWS CLI would read it, the SDKs would not).
  if (name in Object.prototype) {
    throw new UsageError(`${flag} ${name} is a name the AWS SDK for JavaScript cannot read back (every JavaScript object has a ${name})`, {
      hint: 'pick another name',
    });
  }
  return name;
}

/** `[name]` and its lines, in the file's line ending. Values AWS's parsers read verbatim only. */
export function encodeSection(name: string, creds: ProfileCredentials, eol: string): string {
  const body: Record<string, string> = Object.create(null) as Record<string, string>;
  body.aws_access_key_id = creds.accessKeyId;
  body.aws_secret_access_key = creds.secretAccessKey;
  if (creds.sessionToken) body.aws_session_token = creds.sessionToken;
  if (creds.expiration) body[EXPIRATION_KEY] = creds.expiration.toISOString();
  for (const [key, value] of Object.entries(body)) {
    // Base64 and ISO dates only: nothing a reader could take for a comment, quote or new line.
    if (!/^[A-Za-z0-9+/=_.:-]+$/.test(value)) throw new NetworkError(`STS answered a ${key} that cannot be written to a credentials file safely`);
  }
  const lines = encode(body, { whitespace: true, platform: 'linux' })
    .split('\n')
    .filter((line) => line !== '')
    // ini quotes a value with `=` (base64 padding, e.g. the end of a session token) as JSON,
    // but the AWS CLI and SDKs split at the first `=` and never unquote: write it as it is.
    .map((line) => line.replace(/^([a-z_]+) = "([A-Za-z0-9+/=_.:-]+)"$/, '$1 = $2'));
  return [`[${name}]`, ...lines].map((line) => `${line}${eol}`).join('');
}

type Kind = 'header' | 'blank' | 'comment' | 'setting' | 'continuation' | 'unknown';

interface Line {
  raw: string;
  kind: Kind;
  /** Settings: the name in lower case (the SDKs' shared-config specification lowercases names). */
  key?: string;
  value?: string;
  /** Headers: the name between the brackets, trimmed. */
  name?: string;
}

interface Section {
  /** Index of the header line. */
  start: number;
  /** One past its last line; blank lines, and comments before a following header, stay outside. */
  end: number;
}

const HEADER = /^\s*\[([^\]\r\n]*)\]\s*(?:[#;].*)?$/;
const SETTING = /^([A-Za-z0-9_.-]+)[ \t]*=(.*)$/;

function classify(raw: string): Line {
  const line = raw.replace(/\r?\n$/, '');
  const header = HEADER.exec(line);
  if (header) return { raw, kind: 'header', name: header[1]?.trim() ?? '' };
  const trimmed = line.trim();
  if (trimmed === '') return { raw, kind: 'blank' };
  if (trimmed.startsWith('#') || trimmed.startsWith(';')) return { raw, kind: 'comment' };
  const setting = SETTING.exec(line);
  // A value's own comment (` ; note`) is not part of what the SDKs read.
  if (setting) return { raw, kind: 'setting', key: setting[1]?.toLowerCase() ?? '', value: (setting[2] ?? '').split(/\s[;#]/)[0]?.trim() ?? '' };
  // Indented: the continuation of the setting above (or a sub-setting of it).
  if (/^[ \t]/.test(line)) return { raw, kind: 'continuation' };
  // `name: value` (which the AWS CLI accepts), or anything else no SDK reads as ours.
  return { raw, kind: 'unknown' };
}

function parse(text: string): Line[] {
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map(classify);
}

function findSections(lines: Line[], matches: (name: string) => boolean): Section[] {
  const found: Section[] = [];
  lines.forEach((line, i) => {
    if (line.kind !== 'header' || !matches(line.name ?? '')) return;
    let next = lines.findIndex((l, j) => j > i && l.kind === 'header');
    const last = next === -1;
    if (last) next = lines.length;
    let end = next;
    while (end > i + 1 && (lines[end - 1]?.kind === 'blank' || (!last && lines[end - 1]?.kind === 'comment'))) end--;
    found.push({ start: i, end });
  });
  return found;
}

interface Judged {
  /** Lines stsx wrote and replaces or removes. */
  ours: Set<number>;
  /** The first line that is neither a setting, a comment nor a blank (1-based), if any. */
  unknownLine: number | undefined;
  /** Every setting, first value of each name. */
  settings: Map<string, string>;
  /** Names of settings that are not stsx's. */
  others: string[];
}

/** Sorts a section's lines into stsx's and everything else; `owns` says which settings are stsx's. */
function judge(lines: Line[], s: Section, owns: (line: Line, settings: Map<string, string>) => boolean): Judged {
  const settings = new Map<string, string>();
  for (let i = s.start + 1; i < s.end; i++) {
    const l = lines[i];
    if (l?.kind === 'setting' && !settings.has(l.key ?? '')) settings.set(l.key ?? '', l.value ?? '');
  }
  const judged: Judged = { ours: new Set(), unknownLine: undefined, settings, others: [] };
  let previous: 'ours' | 'other' | undefined;
  for (let i = s.start + 1; i < s.end; i++) {
    const l = lines[i];
    if (!l) continue;
    if (l.kind === 'setting') {
      previous = owns(l, settings) ? 'ours' : 'other';
      if (previous === 'ours') judged.ours.add(i);
      else judged.others.push(l.key ?? '');
    } else if (l.kind === 'unknown' || (l.kind === 'continuation' && previous !== 'other')) {
      judged.unknownLine ??= i + 1;
    }
  }
  return judged;
}

/** Temporary credentials: the keys stsx writes, and the token's old name, which must not outlive them. */
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token', EXPIRATION_KEY]);
const ownsCredential = (line: Line): boolean => CREDENTIAL_KEYS.has(line.key ?? '');

/** Why stsx must not write into or remove this section without --force, or undefined. */
function refusal(j: Judged, removing: boolean): string | undefined {
  if (j.unknownLine !== undefined) return `holds line ${j.unknownLine}, which is not a \`name = value\` setting stsx can tell from its own`;
  const v = j.settings;
  const keyId = v.get('aws_access_key_id');
  const token = v.get('aws_session_token') ?? v.get('aws_security_token');
  if (keyId !== undefined && (/^AKIA/.test(keyId) || !token)) return 'holds long-term keys';
  // Written by stsx: the settings the user added to it are theirs and stay where they are.
  if (v.has(EXPIRATION_KEY)) return undefined;
  if (removing && v.size > 0) return 'was not written by stsx';
  // Temporary credentials another tool wrote may be replaced; other settings may not.
  return j.others.length > 0 ? `holds settings stsx did not write (${j.others.slice(0, 3).map((k) => terminalText(k)).join(', ')})` : undefined;
}

function refuse(file: string, name: string, why: string, removing: boolean): ConfigError {
  return new ConfigError(`profile [${name}] in ${terminalText(file)} ${why}; stsx does not ${removing ? 'remove' : 'overwrite'} it`, {
    hint: `pick another name, or pass --force to ${removing ? 'remove' : 'replace'} it anyway`,
  });
}

interface Edit {
  section: Section;
  drop: ReadonlySet<number>;
  /** Lines put where the first dropped line was (or after the header); without it, a section left with nothing goes whole. */
  insert?: string[] | undefined;
}

function applyEdits(text: string, lines: Line[], edits: readonly Edit[], eol: string): string {
  const dropped = new Set<number>();
  const inserts = new Map<number, string[]>();
  for (const { section: { start, end }, drop, insert } of edits) {
    for (const i of drop) dropped.add(i);
    if (insert) {
      inserts.set(drop.size > 0 ? Math.min(...drop) : start + 1, insert);
      continue;
    }
    let left = false;
    for (let i = start + 1; i < end; i++) if (!dropped.has(i) && lines[i]?.kind !== 'blank') left = true;
    if (left) continue;
    for (let i = start; i < end; i++) dropped.add(i);
    // The blank line written before an appended section goes with it, so write then unset is a no-op.
    if (start > 0 && lines[start - 1]?.kind === 'blank' && (end === lines.length || lines[end]?.kind === 'blank')) dropped.add(start - 1);
  }
  const out: string[] = [];
  for (let i = 0; i <= lines.length; i++) {
    const insert = inserts.get(i);
    if (insert) {
      const before = out.at(-1);
      if (before !== undefined && !before.endsWith('\n')) out[out.length - 1] = `${before}${eol}`;
      out.push(...insert);
    }
    const line = lines[i];
    if (line && !dropped.has(i)) out.push(line.raw);
  }
  return keepFinalNewline(text, out.join(''));
}

/** A file that did not end in a newline still does not: nothing of the user's style changes. */
function keepFinalNewline(before: string, after: string): string {
  return before !== '' && !before.endsWith('\n') ? after.replace(/\r?\n$/, '') : after;
}

/** `section` after the file, one blank line between. */
function appendSection(text: string, section: readonly string[], eol: string): string {
  if (text === '') return section.join('');
  return keepFinalNewline(text, `${text.endsWith('\n') ? text : text + eol}${eol}${section.join('')}`);
}

const eolOf = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');
const lineList = (section: string): string[] => section.match(/[^\n]*\n/g) ?? [];

/**
 * The new file text with stsx's lines of [name] replaced (the first section of that name; stsx's
 * lines in later ones go) or [name] appended. Settings and comments a user added stay.
 */
export function spliceProfile(text: string, file: string, name: string, creds: ProfileCredentials, force: boolean): string {
  const lines = parse(text);
  const eol = eolOf(text);
  const sections = findSections(lines, (n) => n === name);
  const [header, ...body] = lineList(encodeSection(name, creds, eol));
  if (sections.length === 0) return appendSection(text, [header ?? '', ...body], eol);
  const edits = sections.map((section, k): Edit => {
    const j = judge(lines, section, ownsCredential);
    const why = refusal(j, false);
    if (why && !force) throw refuse(file, name, why, false);
    // --force replaces the section whole, as it says.
    const drop = why ? new Set(range(section.start + 1, section.end)) : j.ours;
    return { section, drop, insert: k === 0 ? body : undefined };
  });
  return applyEdits(text, lines, edits, eol);
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** The new file text without stsx's lines of [name] (the section goes when nothing else is left), or undefined when there are none. */
export function removeProfile(text: string, file: string, name: string, force: boolean): string | undefined {
  const lines = parse(text);
  const sections = findSections(lines, (n) => n === name);
  if (sections.length === 0) return undefined;
  const edits = sections.map((section): Edit => {
    const j = judge(lines, section, ownsCredential);
    const why = refusal(j, true);
    if (why && !force) throw refuse(file, name, why, true);
    return { section, drop: why ? new Set(range(section.start + 1, section.end)) : j.ours };
  });
  const next = applyEdits(text, lines, edits, eolOf(text));
  return next === text ? undefined : next;
}

// The AWS CLI reads a profile's region only from the config file, so a profile written to the
// credentials file works as `AWS_PROFILE=dev aws ...` only with a region there. stsx writes
// `region` with a twin `x_stsx_region` of the same value into [profile NAME]: the twin tells unset
// which region line is its own. A region the user set (or changed) is theirs and is never touched.
const REGION_MARK = 'x_stsx_region';

const configSection = (name: string) => (header: string): boolean => {
  const words = header.split(/\s+/);
  return (name === 'default' && header === 'default') || (words.length === 2 && words[0] === 'profile' && words[1] === name);
};

const ownsRegion = (line: Line, settings: Map<string, string>): boolean =>
  line.key === REGION_MARK || (line.key === 'region' && settings.has(REGION_MARK) && line.value === settings.get(REGION_MARK));

/** The config file text with stsx's region for profile [name], or the text as it is when the user set one. */
export function spliceRegion(text: string, name: string, region: string): string {
  const lines = parse(text);
  const eol = eolOf(text);
  const sections = findSections(lines, configSection(name));
  const judged = sections.map((s) => judge(lines, s, ownsRegion));
  if (judged.some((j) => j.others.includes('region'))) return text;
  const body = [`region = ${region}${eol}`, `${REGION_MARK} = ${region}${eol}`];
  if (sections.length === 0) return appendSection(text, [`[${name === 'default' ? 'default' : `profile ${name}`}]${eol}`, ...body], eol);
  return applyEdits(text, lines, sections.map((section, k) => ({ section, drop: judged[k]?.ours ?? new Set<number>(), insert: k === 0 ? body : undefined })), eol);
}

/** The config file text without stsx's region for [name], or undefined when it has none. */
export function removeRegion(text: string, name: string): string | undefined {
  const lines = parse(text);
  const sections = findSections(lines, configSection(name));
  const edits = sections.map((section) => ({ section, drop: judge(lines, section, ownsRegion).ours })).filter((e) => e.drop.size > 0);
  return edits.length === 0 ? undefined : applyEdits(text, lines, edits, eolOf(text));
}

/** Follows a symlink chain to the path to edit, also to a target that does not exist yet (the link stays a link). */
async function resolveLinks(file: string): Promise<string> {
  let p = file;
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = await lstat(p);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return p;
      throw fileError(file, describeError(error));
    }
    if (!st.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), await readlink(p));
  }
  throw fileError(file, 'it is a chain of more than 40 symbolic links');
}

/** The file to edit: a symlink is followed (dotfile setups), then it must be our regular file. */
async function target(file: string, uid: number | undefined, what = 'credentials'): Promise<{ real: string; text: string; device: boolean }> {
  const real = await resolveLinks(file);
  let st;
  try {
    st = await lstat(real);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { real, text: '', device: false };
    throw fileError(file, describeError(error), what);
  }
  // AWS_CONFIG_FILE=/dev/null: a file that holds nothing and takes nothing.
  if (st.isCharacterDevice()) return { real, text: '', device: true };
  if (!st.isFile()) throw fileError(file, st.isDirectory() ? 'it is a directory' : st.isFIFO() ? 'it is a FIFO' : 'it is not a regular file', what);
  if (uid !== undefined && st.uid !== uid) throw fileError(file, `it is owned by uid ${st.uid}, not ${uid}`, what);
  if (st.size > MAX_CREDENTIALS_FILE_BYTES) throw fileError(file, `it is ${st.size} bytes, more than ${MAX_CREDENTIALS_FILE_BYTES}`, what);
  let fh;
  try {
    fh = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fileError(file, describeError(error), what);
  }
  try {
    const text = await readCapped(fh, MAX_CREDENTIALS_FILE_BYTES);
    if (text === undefined) throw fileError(file, `it is more than ${MAX_CREDENTIALS_FILE_BYTES} bytes`, what);
    return { real, text, device: false };
  } finally {
    await fh.close();
  }
}

function fileError(file: string, why: string, what = 'credentials'): ConfigError {
  return new ConfigError(`cannot write the ${what} file ${terminalText(file)}: ${why}`, {
    hint: `point ${what === 'credentials' ? 'AWS_SHARED_CREDENTIALS_FILE' : 'AWS_CONFIG_FILE'} at a regular file of yours`,
  });
}

async function replaceFile(file: string, real: string, text: string, what = 'credentials'): Promise<void> {
  const dir = path.dirname(real);
  // node:crypto only when writing: assume imports this module, and a cache hit must not load it.
  const { randomBytes } = (await import('node:crypto')).default;
  const temp = path.join(dir, `.${path.basename(real)}.stsx-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeThroughTemp(temp, text, () => rename(temp, real));
  } catch (error) {
    throw fileError(file, describeError(error), what);
  }
}

/** How long a writer waits for another stsx editing the same file: they hold it for milliseconds. */
const LOCK_WAIT_MS = 10_000;

/** Runs read-splice-rename under a lock beside the credentials file, so parallel writers all land. */
async function locked<T>(files: ProfileFiles, uid: number | undefined, edit: () => Promise<T>): Promise<T> {
  const real = await resolveLinks(files.credentials);
  const dir = path.dirname(real);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError(files.credentials, describeError(error));
  }
  const lockPath = path.join(dir, `.${path.basename(real)}.stsx-lock`);
  const { acquireKeyLock } = await import('../files/key-lock.ts');
  const result = await acquireKeyLock(lockPath, { uid, waitMs: LOCK_WAIT_MS, pid: process.pid });
  if (result.state === 'unusable') throw fileError(files.credentials, `its lock ${terminalText(lockPath)} cannot be used (${result.why})`);
  if (result.state === 'timeout') {
    throw new ConfigError(`another stsx kept ${terminalText(files.credentials)} locked for ${Math.round(result.waitedMs / 1000)}s; nothing was written`, {
      hint: `try again; if no stsx is running, remove ${terminalText(lockPath)}`,
    });
  }
  try {
    return await edit();
  } finally {
    await result.lock.release();
  }
}

export interface ProfileFiles {
  credentials: string;
  config: string;
}

export interface ProfileFileOptions {
  uid: number | undefined;
  force: boolean;
}

const REGION = /^[a-z0-9-]{1,64}$/;

/** Throws now what writing would throw later (a file or section stsx will not touch). */
export async function checkWritable(files: ProfileFiles, name: string, options: ProfileFileOptions): Promise<void> {
  const { text } = await target(files.credentials, options.uid);
  spliceProfile(text, files.credentials, name, { accessKeyId: 'ASIACHECK', secretAccessKey: 'check', sessionToken: 'check' }, options.force);
  await target(files.config, options.uid, 'config');
}

/** Writes [name] to the credentials file and, when known, its region to the config file; says whether the region was written. */
export async function writeProfile(files: ProfileFiles, name: string, creds: ProfileCredentials, region: string | undefined, options: ProfileFileOptions): Promise<{ region: boolean }> {
  return locked(files, options.uid, async () => {
    const credentials = await target(files.credentials, options.uid);
    const next = spliceProfile(credentials.text, files.credentials, name, creds, options.force);
    const config = region !== undefined && REGION.test(region) ? await target(files.config, options.uid, 'config') : undefined;
    const nextConfig = config && !config.device ? spliceRegion(config.text, name, region ?? '') : undefined;
    await replaceFile(files.credentials, credentials.real, next);
    const wroteRegion = config !== undefined && nextConfig !== undefined && nextConfig !== config.text;
    if (wroteRegion) await replaceFile(files.config, config.real, nextConfig, 'config');
    return { region: wroteRegion };
  });
}

/** What was removed: stsx's lines of [name] in the credentials file, its region in the config file. */
export async function unsetProfile(files: ProfileFiles, name: string, options: ProfileFileOptions): Promise<{ credentials: boolean; region: boolean }> {
  return locked(files, options.uid, async () => {
    const credentials = await target(files.credentials, options.uid);
    const next = removeProfile(credentials.text, files.credentials, name, options.force);
    const config = await target(files.config, options.uid, 'config');
    const nextConfig = config.device ? undefined : removeRegion(config.text, name);
    if (next !== undefined) await replaceFile(files.credentials, credentials.real, next);
    if (nextConfig !== undefined) await replaceFile(files.config, config.real, nextConfig, 'config');
    return { credentials: next !== undefined, region: nextConfig !== undefined };
  });
}

/**
 * Edits one shared file as stsx edits any (`stsx keys` the credentials file, `stsx sso populate`
 * the config file): under the lock beside the credentials file, read with its bounds and checks,
 * `edit` turning the text into the new one (undefined: leave it), written through a private temp
 * file and a rename; a symbolic link stays a link. Says whether it wrote.
 */
export async function editSharedFile(files: ProfileFiles, which: 'credentials' | 'config', uid: number | undefined, edit: (text: string) => string | undefined): Promise<boolean> {
  return locked(files, uid, async () => {
    const file = files[which];
    const current = await target(file, uid, which);
    if (current.device) return false;
    const next = edit(current.text);
    if (next === undefined || next === current.text) return false;
    await replaceFile(file, current.real, next, which);
    return true;
  });
}
