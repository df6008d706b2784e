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
      section = undefined;
      subSection = undefined;
      const name = trimmed.slice(1, -1);
      const m = PREFIX_KEY.exec(name);
      if (m) {
        if (SECTION_TYPES.includes(m[1] ?? '')) section = `${m[1]}.${m[3]}`;
      } else {
        section = name;
      }
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
