// `--write-profile NAME`: temporary credentials as section [NAME] of the shared credentials file,
// for tools that read only that file. The section body is encoded with the `ini` package; the
// splice keeps every other line of the file byte for byte (comments, order, line endings), and the
// file is replaced atomically (temp file and rename in the same directory), mode 0600.
import { encode } from 'ini';
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename } from 'node:fs/promises';
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

/** A name that is one section header and nothing else: no `]`, no newline, no `__proto__`. */
export function checkProfileName(name: string, flag = '--write-profile'): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`${flag} ${terminalText(JSON.stringify(name))} is not a profile name stsx writes`, {
      hint: 'use letters, digits and _ . @ + : / - (starting with a letter or digit), at most 128 characters',
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

interface Section {
  /** Index of the header line. */
  start: number;
  /** One past the last line that belongs to it (trailing blank and comment lines stay outside). */
  end: number;
  values: Map<string, string>;
}

const HEADER = /^\s*\[([^\]\r\n]*)\]\s*(?:[#;].*)?$/;

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function findSections(lines: string[], name: string): Section[] {
  const found: Section[] = [];
  let current: Section | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r?\n$/, '');
    const header = HEADER.exec(line);
    if (header) {
      current = header[1]?.trim() === name ? { start: i, end: i + 1, values: new Map() } : undefined;
      if (current) found.push(current);
      return;
    }
    if (!current) return;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    current.end = i + 1;
    const eq = line.indexOf('=');
    if (eq > 0) current.values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  return found;
}

/** Why stsx must not replace or remove this section without --force, or undefined. */
function notOurs(section: Section, removing: boolean): string | undefined {
  const v = section.values;
  if (v.has(EXPIRATION_KEY)) return undefined;
  const keyId = v.get('aws_access_key_id');
  const token = v.get('aws_session_token') ?? v.get('aws_security_token');
  if (keyId !== undefined && (/^AKIA/.test(keyId) || !token)) return 'holds long-term keys';
  if (removing && v.size > 0) return 'was not written by stsx';
  // Temporary credentials another tool wrote may be replaced; other settings may not.
  const others = [...v.keys()].filter((k) => !['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_security_token'].includes(k));
  return others.length > 0 ? `holds settings stsx did not write (${others.slice(0, 3).map((k) => terminalText(k)).join(', ')})` : undefined;
}

function refuse(file: string, name: string, why: string, removing: boolean): ConfigError {
  return new ConfigError(`profile [${name}] in ${terminalText(file)} ${why}; stsx does not ${removing ? 'remove' : 'overwrite'} it`, {
    hint: `pick another name, or pass --force to ${removing ? 'remove' : 'replace'} it anyway`,
  });
}

/** The new file text with [name] replaced (every section of that name) or appended. */
export function spliceProfile(text: string, file: string, name: string, creds: ProfileCredentials, force: boolean): string {
  const lines = splitLines(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const sections = findSections(lines, name);
  for (const s of sections) {
    const why = notOurs(s, false);
    if (why && !force) throw refuse(file, name, why, false);
  }
  const section = encodeSection(name, creds, eol);
  if (sections.length === 0) {
    let head = text;
    if (head !== '' && !head.endsWith('\n')) head += eol;
    if (head !== '' && !/(^|\n)\s*\n$/.test(head)) head += eol;
    return head + section;
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    const s = sections.find((x) => i >= x.start && i < x.end);
    if (!s) out.push(line);
    else if (s === sections[0] && i === s.start) out.push(section);
  });
  // A last line without a newline that we replaced: the new section brings its own.
  return out.join('');
}

/** The new file text without [name], or undefined when there is no such section. */
export function removeProfile(text: string, file: string, name: string, force: boolean): string | undefined {
  const lines = splitLines(text);
  const sections = findSections(lines, name);
  if (sections.length === 0) return undefined;
  for (const s of sections) {
    const why = notOurs(s, true);
    if (why && !force) throw refuse(file, name, why, true);
  }
  const drop = new Set<number>();
  for (const s of sections) for (let i = s.start; i < s.end; i++) drop.add(i);
  // The blank line written before an appended section goes with it when it was the last one.
  const last = sections.at(-1);
  if (last && lines.slice(last.end).every((l) => l.trim() === '') && last.start > 0 && lines[last.start - 1]?.trim() === '') drop.add(last.start - 1);
  return lines.filter((_, i) => !drop.has(i)).join('');
}

/** The credentials file to edit: a symlink is followed (dotfile setups), then it must be our regular file. */
async function target(file: string, uid: number | undefined): Promise<{ real: string; text: string }> {
  let real = file;
  let st;
  try {
    st = await lstat(file);
    if (st.isSymbolicLink()) {
      real = await realpath(file);
      st = await lstat(real);
    }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { real, text: '' };
    throw fileError(file, describeError(error));
  }
  if (!st.isFile()) throw fileError(file, st.isDirectory() ? 'it is a directory' : st.isFIFO() ? 'it is a FIFO' : 'it is not a regular file');
  if (uid !== undefined && st.uid !== uid) throw fileError(file, `it is owned by uid ${st.uid}, not ${uid}`);
  if (st.size > MAX_CREDENTIALS_FILE_BYTES) throw fileError(file, `it is ${st.size} bytes, more than ${MAX_CREDENTIALS_FILE_BYTES}`);
  let fh;
  try {
    fh = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fileError(file, describeError(error));
  }
  try {
    const text = await readCapped(fh, MAX_CREDENTIALS_FILE_BYTES);
    if (text === undefined) throw fileError(file, `it is more than ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
    return { real, text };
  } finally {
    await fh.close();
  }
}

function fileError(file: string, why: string): ConfigError {
  return new ConfigError(`cannot write the credentials file ${terminalText(file)}: ${why}`, {
    hint: 'point AWS_SHARED_CREDENTIALS_FILE at a regular file of yours',
  });
}

async function replaceFile(file: string, real: string, text: string): Promise<void> {
  const dir = path.dirname(real);
  // node:crypto only when writing: assume imports this module, and a cache hit must not load it.
  const { randomBytes } = (await import('node:crypto')).default;
  const temp = path.join(dir, `.${path.basename(real)}.stsx-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeThroughTemp(temp, text, () => rename(temp, real));
  } catch (error) {
    throw fileError(file, describeError(error));
  }
}

export interface ProfileFileOptions {
  uid: number | undefined;
  force: boolean;
}

/** Throws now what writing would throw later (a file or section stsx will not touch). */
export async function checkWritable(file: string, name: string, options: ProfileFileOptions): Promise<void> {
  const { text } = await target(file, options.uid);
  spliceProfile(text, file, name, { accessKeyId: 'ASIACHECK', secretAccessKey: 'check', sessionToken: 'check' }, options.force);
}

export async function writeProfile(file: string, name: string, creds: ProfileCredentials, options: ProfileFileOptions): Promise<void> {
  const { real, text } = await target(file, options.uid);
  await replaceFile(file, real, spliceProfile(text, file, name, creds, options.force));
}

/** Whether a section was removed. */
export async function unsetProfile(file: string, name: string, options: ProfileFileOptions): Promise<boolean> {
  const { real, text } = await target(file, options.uid);
  const next = removeProfile(text, file, name, options.force);
  if (next === undefined) return false;
  await replaceFile(file, real, next);
  return true;
}
