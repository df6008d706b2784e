// Edits of one section of the shared credentials file for `stsx keys`: the plaintext key lines
// give way to stsx's `credential_process` line, and every other byte of the file stays as it was
// (comments, other settings, other sections, line endings, a missing final newline). Keys are
// matched as the AWS tools match them: case-insensitive, `=` or `:`.
import { ConfigError } from '../errors.ts';

const KEY_LINE = /^[ \t]*([A-Za-z0-9_.-]+)[ \t]*[=:][ \t]*(.*?)[ \t]*\r?$/;
const HEADER = /^[ \t]*\[([^\]]*)\][ \t]*(?:[;#].*)?\r?$/;

export interface Section {
  start: number;
  /** index after the last line of the section */
  end: number;
  settings: Map<string, { line: number; value: string }>;
}

export function findSection(lines: readonly string[], profile: string): Section | undefined {
  let found: Section | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const h = HEADER.exec(lines[i] ?? '');
    if (h) {
      if (found) return { ...found, end: i };
      if ((h[1] ?? '').trim() === profile) found = { start: i, end: lines.length, settings: new Map() };
      continue;
    }
    if (!found) continue;
    const kv = KEY_LINE.exec(lines[i] ?? '');
    if (kv?.[1] !== undefined) found.settings.set(kv[1].toLowerCase(), { line: i, value: kv[2] ?? '' });
  }
  return found;
}

export interface PlainKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The plaintext long-term keys of a section, if it holds a pair and no session token. */
export function plainKeys(section: Section): PlainKeys | undefined {
  const id = section.settings.get('aws_access_key_id')?.value;
  const secret = section.settings.get('aws_secret_access_key')?.value;
  if (!id || !secret || section.settings.has('aws_session_token')) return undefined;
  return { accessKeyId: id, secretAccessKey: secret };
}

/**
 * The text with the section's key lines replaced by `credential_process = line` (at the first key
 * line's place), or the section appended when there is none. A section whose credential_process
 * is not stsx's is refused: it is someone else's way to get keys.
 */
export function putOwnLine(text: string, profile: string, line: string, isOwn: (commandLine: string) => boolean): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n');
  const section = findSection(lines, profile);
  const setting = `credential_process = ${line}`;
  if (!section) {
    if (text === '') return `[${profile}]${eol}${setting}${eol}`;
    const sep = text.endsWith('\n') ? '' : eol;
    return `${text}${sep}${text.endsWith(`${eol}${eol}`) || text.endsWith('\n\n') ? '' : eol}[${profile}]${eol}${setting}${eol}`;
  }
  const existing = section.settings.get('credential_process');
  if (existing && !isOwn(existing.value)) throw new ConfigError(`[${profile}] of the credentials file already has a credential_process of its own`, { hint: 'remove that line first, or store the keys under another profile' });
  const drop = new Set(['aws_access_key_id', 'aws_secret_access_key', 'credential_process'].map((k) => section.settings.get(k)?.line).filter((n): n is number => n !== undefined));
  const at = drop.size > 0 ? Math.min(...drop) : section.start + 1;
  const cr = (lines[at] ?? lines[section.start] ?? '').endsWith('\r') ? '\r' : '';
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (i === at) out.push(`${setting}${cr}`);
    if (!drop.has(i)) out.push(lines[i] ?? '');
  }
  if (at >= lines.length) out.push(setting);
  return out.join('\n');
}

/** The text without stsx's credential_process line in the section (the section itself stays). */
export function dropOwnLine(text: string, profile: string, isOwn: (commandLine: string) => boolean): string {
  const lines = text.split('\n');
  const section = findSection(lines, profile);
  const cp = section?.settings.get('credential_process');
  if (!section || !cp || !isOwn(cp.value)) return text;
  return lines.filter((_, i) => i !== cp.line).join('\n');
}
