// The AWS shared config/credentials format, parsed by the same rules as the SDK's own parser
// (@smithy/core shared-ini-file-loader parseIni + getConfigData): `[profile x]` -> `x`,
// `[services x]` -> `services.x`, indented `key = value` lines after `key =` -> `key.sub`,
// comments after whitespace + `#`/`;`. Ported rather than imported because the SDK's copy sits in
// a 35 KB chunk of @smithy/core whose loading would cost every cache hit; a unit test checks this
// port against the SDK on tricky files, so the two cannot drift apart unnoticed.
import type { IniFile, IniSection } from './config-files.ts';

const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];
const BLOCKED = ['__proto__', 'profile __proto__'];

/** A line the AWS CLI's parser refuses (config-files.ts words the error): a bad `[header]`, a setting before any section, a line without `key =`. */
export type IniProblem = 'header' | 'before-section' | 'no-equals';

export interface IniScan {
  data: IniFile;
  /** The SDK parser's refusal (a `[__proto__]` section), which it throws: parseIni throws it, loadConfigFiles after both files' lint. */
  refused?: string | undefined;
}

// A valid header line, whole (the AWS CLI's rule): `[name]`, then blanks and an optional comment.
const HEADER = /^\[[^[\]]+\]\s*([#;].*)?$/;
const COMMENT = /(^|\s)[;#]/;
const LEADING_BLANK = /^\s/;

/** /^\s/.test(line), without a regex call for the common line that starts with a letter. */
function leadingBlank(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9) return true;
  return c > 32 && c < 127 ? false : LEADING_BLANK.test(line);
}

/** Section and key names come from the file, so every object is null-prototype: `[toString]` or `constructor = x` is a name like any other. */
export function parseIni(text: string): IniFile {
  const scan = scanIni(text);
  if (scan.refused !== undefined) throw new Error(scan.refused);
  return scan.data;
}

/**
 * One pass over a file's lines: the SDK's parse and, with `lint`, the AWS CLI's stricter checks,
 * which report the first bad line through `lint` (it throws). After a refusal the parse stops;
 * the lint goes on to the end, so a bad line anywhere in either file is still reported first.
 */
export function scanIni(text: string, lint?: (problem: IniProblem, lineNumber: number) => never): IniScan {
  const data: IniFile = Object.create(null) as IniFile;
  let refused: string | undefined;
  let section: string | undefined;
  let target: IniSection | undefined;
  let subSection: string | undefined;
  let inSection = false;
  // indexOf from line to line rather than split: no array of 30,000 lines for a large config.
  for (let start = 0, index = 0; start <= text.length; index += 1) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // As split(/\r?\n/): a \r only goes with the \n after it.
    const line = text.slice(start, end > start && end < text.length && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    const whole = line.trim();
    if (lint) {
      // The lint reads the first line without its byte order mark (which would count as a blank).
      if (whole === '' || whole.startsWith('#') || whole.startsWith(';')) {
        // a blank or comment line
      } else if (whole.startsWith('[')) {
        if (!HEADER.test(whole)) lint('header', index + 1);
        inSection = true;
      } else if (!(inSection && leadingBlank(index === 0 ? line.replace(/^\uFEFF/, '') : line))) {
        if (!inSection) lint('before-section', index + 1);
        if (whole.indexOf('=') <= 0) lint('no-equals', index + 1);
      }
      if (refused !== undefined) continue;
    }
    // Most lines have no comment: the regex only for those that might.
    const trimmed = line.includes('#') || line.includes(';') ? line.slice(0, COMMENT.exec(line)?.index ?? line.length).trim() : whole;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      subSection = undefined;
      target = undefined;
      const name = trimmed.slice(1, -1);
      section = sectionKey(name);
      if (BLOCKED.includes(name)) {
        refused = `Found invalid profile name "${name}"`;
        if (!lint) break;
      }
    } else if (section !== undefined) {
      const eq = trimmed.indexOf('=');
      if (eq > 0) {
        const key = trimmed.slice(0, eq).trim();
        const value = trimmed.slice(eq + 1).trim();
        if (value === '') {
          subSection = key;
        } else {
          if (subSection !== undefined && line.trimStart() === line) subSection = undefined;
          target ??= data[section] ??= newSection();
          target[subSection !== undefined ? `${subSection}.${key}` : key] = value;
        }
      }
    }
  }
  return { data, refused };
}

/**
 * An empty null-prototype section. Object.create(null) makes a hash-table object; this one keeps
 * V8's fast layout, shared by the thousands of sections with the same keys (3x faster to copy).
 */
export function newSection(): IniSection {
  return Object.setPrototypeOf({}, null) as IniSection;
}

/** The key a `[name]` header files its settings under (`profile.x`, `default`), or undefined for one that is ignored. */
function sectionKey(name: string): string | undefined {
  const m = PREFIX_KEY.exec(name);
  if (m) return SECTION_TYPES.includes(m[1] ?? '') ? `${m[1]}.${m[3]}` : undefined;
  return name;
}

/**
 * The section keys of a file as parseIni files them, from the header lines alone (completion
 * needs names only: ~10x faster than parseIni on a 30,000-line config). Unlike parseIni it keeps
 * sections without settings, and skips the names parseIni refuses.
 */
export function sectionKeys(text: string): string[] {
  const keys: string[] = [];
  // From one `[` to the next (values rarely hold one), looking back only to see whether it is the
  // first non-blank character of its line: neither splitting the text nor visiting every line.
  for (let at = text.indexOf('['); at >= 0; ) {
    let first = at;
    while (first > 0 && (text.charCodeAt(first - 1) === 32 || text.charCodeAt(first - 1) === 9)) first -= 1;
    if (first > 0 && text.charCodeAt(first - 1) !== 10) {
      at = text.indexOf('[', at + 1);
      continue;
    }
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const trimmed = (/[;#]/.test(line) ? (line.split(/(^|\s)[;#]/)[0] ?? '') : line).trim();
    const name = trimmed.endsWith(']') ? trimmed.slice(1, -1) : undefined;
    const key = name === undefined || BLOCKED.includes(name) ? undefined : sectionKey(name);
    if (key !== undefined) keys.push(key);
    at = text.indexOf('[', end);
  }
  return keys;
}

/** The name configFileView gives the section filed under `key`, or undefined for one it leaves out. */
export function configViewName(key: string): string | undefined {
  if (key === 'default') return key;
  const dot = key.indexOf('.');
  if (dot === -1 || !SECTION_TYPES.includes(key.slice(0, dot))) return undefined;
  return key.startsWith('profile.') ? key.slice(dot + 1) : key;
}

/** The config file's view: `profile.x` -> `x`, `default` kept, other prefixed sections as they are. */
export function configFileView(data: IniFile): IniFile {
  const out: IniFile = Object.create(null) as IniFile;
  if (data.default) out.default = data.default;
  // Object.keys, not entries (a pair per section) nor for-in (several times slower over the
  // hash table of a 5,000-section file); null-prototype, so nothing is inherited.
  for (const key of Object.keys(data)) {
    const name = key === 'default' ? undefined : configViewName(key);
    if (name !== undefined) out[name] = data[key] as IniSection;
  }
  return out;
}
