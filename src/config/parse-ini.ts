// The AWS shared config/credentials format, parsed by the same rules as the SDK's own parser
// (@smithy/core shared-ini-file-loader parseIni + getConfigData): `[profile x]` -> `x`,
// `[services x]` -> `services.x`, indented `key = value` lines after `key =` -> `key.sub`,
// comments after whitespace + `#`/`;`. Ported rather than imported because the SDK's copy sits in
// a 35 KB chunk of @smithy/core whose loading would cost every cache hit; a unit test checks this
// port against the SDK on tricky files, so the two cannot drift apart unnoticed.
import type { IniFile } from './config-files.ts';

const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];
const BLOCKED = ['__proto__', 'profile __proto__'];

/** Section and key names come from the file, so every object is null-prototype: `[toString]` or `constructor = x` is a name like any other. */
export function parseIni(text: string): IniFile {
  const map: IniFile = Object.create(null) as IniFile;
  let section: string | undefined;
  let subSection: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    // Most lines have no comment: skip the regex split for them (it dominates a 30,000-line file).
    const trimmed = (line.includes('#') || line.includes(';') ? (line.split(/(^|\s)[;#]/)[0] ?? '') : line).trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      subSection = undefined;
      const name = trimmed.slice(1, -1);
      section = sectionKey(name);
      if (BLOCKED.includes(name)) throw new Error(`Found invalid profile name "${name}"`);
    } else if (section) {
      const eq = trimmed.indexOf('=');
      if (eq > 0) {
        const key = trimmed.slice(0, eq).trim();
        const value = trimmed.slice(eq + 1).trim();
        if (value === '') {
          subSection = key;
        } else {
          if (subSection && line.trimStart() === line) subSection = undefined;
          const target = (map[section] ??= Object.create(null) as Record<string, string | undefined>);
          target[subSection ? `${subSection}.${key}` : key] = value;
        }
      }
    }
  }
  return map;
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
  // indexOf from line to line, looking only at each line's first non-blank character: splitting
  // the text or a multiline regex costs several times more on a large file.
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let first = start;
    while (first < end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first += 1;
    if (text.charCodeAt(first) === 91) {
      const line = text.slice(first, end);
      const trimmed = (/[;#]/.test(line) ? (line.split(/(^|\s)[;#]/)[0] ?? '') : line).trim();
      const name = trimmed.endsWith(']') ? trimmed.slice(1, -1) : undefined;
      const key = name === undefined || BLOCKED.includes(name) ? undefined : sectionKey(name);
      if (key !== undefined) keys.push(key);
    }
    start = end + 1;
  }
  return keys;
}

/** The config file's view: `profile.x` -> `x`, `default` kept, other prefixed sections as they are. */
export function configFileView(data: IniFile): IniFile {
  const out: IniFile = Object.create(null) as IniFile;
  if (data.default) out.default = data.default;
  for (const [key, value] of Object.entries(data)) {
    const dot = key.indexOf('.');
    if (dot === -1 || !SECTION_TYPES.includes(key.slice(0, dot))) continue;
    out[key.startsWith('profile.') ? key.slice(dot + 1) : key] = value;
  }
  return out;
}
