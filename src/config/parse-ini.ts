// The AWS shared config and credentials files, read by the rules all AWS SDKs share (the
// cross-SDK profile-file specification, whose test cases test/unit/profile-spec.test.ts runs):
// - a line is blank, a comment (`#` or `;` in its first column), a `[section]` (`[` in its first
//   column; a `#` or `;` anywhere after it starts a comment), a continuation (it starts with a
//   space or a tab) or a `name = value` property (a comment there needs a blank before it);
// - a continuation adds `\n` and the trimmed line to the property above; under a property with an
//   empty value (`s3 =`) it must itself be `name = value` (a sub-property);
// - property names are lower-cased; names and section names outside letters, digits and
//   `_-/.%@:+` are ignored; the config file's profiles are `[profile x]` (and `[default]`, ignored
//   when `[profile default]` is there too), the credentials file's are `[x]`; a section with no
//   settings is a profile all the same;
// - anything else (a property before any section, a continuation under no property, a header
//   without its `]`, a line without `=`) makes the whole file unreadable.
// The AWS CLI and the JavaScript SDK read some lines differently (docs/config-files.md): each such
// line is noted, with what the other tool makes of it, for the lint to show.
import type { IniSection } from './ini-types.ts';

/** One line another AWS tool reads differently, and how (a whole sentence, without the file and line). */
interface IniNote {
  line: number;
  text: string;
}

/** A file the SDKs refuse: the spec's wording of why (`reason`), at `line`; `kind` words the error for the user. */
export class IniError extends Error {
  readonly line: number;
  readonly kind: IniErrorKind;
  constructor(kind: IniErrorKind, line: number, reason: string) {
    super(reason);
    this.kind = kind;
    this.line = line;
  }
}

export type IniErrorKind = 'header' | 'before-section' | 'no-equals' | 'continuation' | 'indented-comment' | 'sub-property' | 'bom';

export type IniKind = 'config' | 'credentials';

/** A parsed file: its profiles, and (config file) its `[sso-session x]` and `[services x]` sections, by name. */
export interface ParsedIni {
  profiles: Map<string, IniSection>;
  ssoSessions: Map<string, IniSection>;
  services: Map<string, IniSection>;
  /** Lines another AWS tool reads differently (the first MAX_NOTES), and how many there were in all. */
  notes: IniNote[];
  noteCount: number;
}

const MAX_NOTES = 50;

/** A profile, property or section name the spec accepts. */
const IDENTIFIER = /^[A-Za-z0-9_\-/.%@:+]+$/;
/** The JS SDK's `[prefix name]` rule (@smithy/core parseIni): one blank, an optional quote. */
const JS_PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const JS_SECTION_TYPES = ['profile', 'sso-session', 'services'];
/** Names the JS SDK refuses to load at all. */
const JS_BLOCKED = ['__proto__', 'profile __proto__'];

/** Space and tab: the only blanks of the spec (a line's ends, around `=`, before a continuation). */
function blank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Unicode White_Space (as the spec's reference parsers test the character before a comment). */
function whiteSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** `s` without the spec's blanks (space, tab) at either end. */
function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && blank(s.charCodeAt(a))) a += 1;
  while (b > a && blank(s.charCodeAt(b - 1))) b -= 1;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Where a property line's comment starts: a `#` or `;` right after a blank, or -1. */
function commentStart(s: string): number {
  for (let i = 1; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if ((c === 35 || c === 59) && whiteSpace(s.charCodeAt(i - 1))) return i;
  }
  return -1;
}

/** A `name = value` line as the spec splits it (comment cut, blanks trimmed): undefined without `=`, name '' without a name. */
function splitProperty(line: string): { name: string; value: string; comment: boolean } | undefined {
  let s = trimBlanks(line);
  const cut = s.includes('#') || s.includes(';') ? commentStart(s) : -1;
  if (cut >= 0) s = trimBlanks(s.slice(0, cut));
  const eq = s.indexOf('=');
  if (eq < 0) return undefined;
  return { name: trimBlanks(s.slice(0, eq)), value: trimBlanks(s.slice(eq + 1)), comment: cut >= 0 };
}

/** What a `[name]` header is, by the spec: its type and name, for `name` as written between the brackets. */
function specSection(raw: string): { type: 'profile' | 'sso-session' | 'services' | 'plain'; name: string } {
  const s = trimBlanks(raw);
  let split = -1;
  for (let i = 0; i < s.length; i += 1) {
    if (blank(s.charCodeAt(i))) {
      split = i;
      break;
    }
  }
  if (split > 0) {
    const prefix = s.slice(0, split);
    if (prefix === 'profile' || prefix === 'sso-session' || prefix === 'services') return { type: prefix, name: trimBlanks(s.slice(split + 1)) };
  }
  return { type: 'plain', name: s };
}

/** The profile the JS SDK files a header's settings under, or undefined for a section it ignores (or none at all). */
function jsProfile(raw: string, kind: IniKind): string | undefined {
  const m = JS_PREFIX_KEY.exec(raw);
  const key = m ? (JS_SECTION_TYPES.includes(m[1] ?? '') ? `${m[1]}.${m[3]}` : undefined) : raw;
  if (key === undefined || raw === '') return undefined;
  if (kind === 'credentials') return key;
  if (key === 'default') return key;
  return key.startsWith('profile.') ? key.slice(8) : undefined;
}

/** Python's shlex.split, for the plain cases (blanks, one level of quotes): how botocore splits `profile x`. */
function shlexWords(s: string): string[] {
  const words: string[] = [];
  for (const m of s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/** The profile the AWS CLI (botocore) reads a header as, or undefined for a section it ignores. */
function cliProfile(raw: string, kind: IniKind): string | undefined {
  if (kind === 'credentials') return raw;
  if (raw === 'default') return raw;
  if (!raw.startsWith('profile')) return undefined;
  const words = shlexWords(raw);
  return words.length === 2 ? words[1] : undefined;
}

/** A name as a note shows it: quoted, so blanks and odd characters are seen. */
function q(name: string): string {
  return JSON.stringify(name);
}

/**
 * Parses one file. Throws IniError for a file the spec refuses, unless `lenient`, which skips
 * such lines instead (completion: a broken file still offers what it can).
 */
export function parseProfileFile(text: string, kind: IniKind, lenient = false): ParsedIni {
  const profiles = new Map<string, IniSection>();
  const ssoSessions = new Map<string, IniSection>();
  const services = new Map<string, IniSection>();
  const notes: IniNote[] = [];
  let noteCount = 0;
  const note = (line: number, what: string): void => {
    noteCount += 1;
    if (notes.length < MAX_NOTES) notes.push({ line, text: what });
  };
  const fail = (error: IniError): void => {
    if (!lenient) throw error;
  };

  // `[default]` of a config file counts only without `[profile default]`: kept apart until the end.
  let plainDefault: IniSection | undefined;
  let plainDefaultLine = 0;
  let prefixedDefaultLine = 0;
  /** Profiles whose section had no settings, and its line: noted at the end if none came later (the JS SDK does not see those). */
  const empty: Array<[IniSection, number]> = [];
  /** The names set in the current section when the spec ignores it, and the headers of such sections (the AWS CLI refuses repeats of either). */
  let ignored: IniSection | undefined;
  const ignoredHeaders = new Set<string>();
  /** The setting names of the current section so far. */
  const seenKeys: string[] = [];
  let sectionLine = 0;
  let sectionIsProfile = false;
  let settingsInSection = 0;
  /** A property name as written -> its lower-cased name, or null for one the spec ignores (a config repeats a few names 5,000 times). */
  const keys = new Map<string, string | null>();
  // The next `#`, `;` and `=` from where the scan is, found by native searches that only move
  // forward (the whole file is searched once for each): most lines have no comment.
  let hashAt = -1;
  let semiAt = -1;
  let equalsAt = -1;
  let inSection = false;
  /** Where the current section's settings go; undefined for a section the spec ignores. */
  let target: IniSection | undefined;
  /** The current section is `[services x]`: sub-properties are also filed as `svc.name` (the JS SDK's shape, which stsx reads). */
  let isServices = false;
  /** The property the next continuation belongs to (lower-cased), and whether it is filed. */
  let property: string | undefined;
  let propertyFiled = false;
  let subProperties = false;
  /** A `name =` line not yet followed by a sub-property: the JS SDK drops that setting. */
  let emptyLine = 0;

  // No closure shares this state (a closure would move it off the stack for the whole loop):
  // the steps at a section's and a property's end are written out where they happen.
  const emptyValueNote = (line: number, name: string): void => note(line, `${q(name)} has an empty value, which the JS SDK ignores (the spec and the AWS CLI read it as "")`);

  let start = 0;
  let lineNo = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    // The spec's parsers and the AWS CLI (Python's configparser) refuse it; only the JS SDK trims it.
    fail(new IniError('bom', 1, 'Expected a profile definition'));
    start = 1;
  }
  const length = text.length;
  // indexOf from line to line rather than split: no array of 30,000 lines for a large config.
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop -= 1;
    const lineStart = start;
    start = end + 1;
    lineNo += 1;
    // Blank: only spaces and tabs.
    let first = lineStart;
    while (first < stop && blank(text.charCodeAt(first))) first += 1;
    if (first === stop) continue;
    const c = text.charCodeAt(lineStart);
    if (c === 35 || c === 59) continue;

    if (hashAt < lineStart) hashAt = text.indexOf('#', lineStart) >>> 0;
    if (semiAt < lineStart) semiAt = text.indexOf(';', lineStart) >>> 0;
    const hasComment = hashAt < stop || semiAt < stop;

    if (c === 91) {
      // `[section]`: everything from a `#` or `;` on is a comment; then it must end with `]`.
      // The end of the property and of the section above, then a new section's state.
      if (emptyLine > 0 && propertyFiled) emptyValueNote(emptyLine, property ?? '');
      emptyLine = 0;
      if (sectionIsProfile && settingsInSection === 0 && target) empty.push([target, sectionLine]);
      sectionIsProfile = false;
      inSection = true;
      target = undefined;
      property = undefined;
      propertyFiled = false;
      subProperties = false;
      isServices = false;
      settingsInSection = 0;
      sectionLine = lineNo;
      ignored = undefined;
      seenKeys.length = 0;
      // Nearly every header is `[profile x]` (config) or `[x]` (credentials) with a valid x and no
      // comment, which every AWS tool reads alike: filed with one slice and none of the checks below.
      if (!hasComment) {
        let last = stop;
        while (blank(text.charCodeAt(last - 1))) last -= 1;
        const from = kind === 'config' ? lineStart + 9 : lineStart + 1;
        if (last - 1 > from && text.charCodeAt(last - 1) === 93 && (kind === 'credentials' || text.startsWith('profile ', lineStart + 1))) {
          const plain = text.slice(from, last - 1);
          if (plain !== 'default' && plain !== '__proto__' && IDENTIFIER.test(plain)) {
            target = profiles.get(plain);
            if (target) note(lineNo, 'repeats an earlier section: the spec and the JS SDK merge the two, the AWS CLI refuses the file');
            else profiles.set(plain, (target = newSection()));
            sectionIsProfile = true;
            continue;
          }
        }
      }
      let line = text.slice(lineStart, stop);
      let commentRightAfter = false;
      if (hasComment) {
        const cut = line.search(/[#;]/);
        commentRightAfter = cut > 0 && line.charCodeAt(cut - 1) === 93;
        line = line.slice(0, cut);
      }
      line = trimBlanks(line);
      if (line.length < 2 || line.charCodeAt(line.length - 1) !== 93) {
        fail(new IniError('header', lineNo, "Profile definition must end with ']'"));
        continue;
      }
      const raw = line.slice(1, -1);
      const section = specSection(raw);
      const valid = section.name !== '' && IDENTIFIER.test(section.name);
      let name: string | undefined;
      let repeated = false;
      target = undefined;
      if (valid) {
        if (section.type === 'sso-session' || section.type === 'services') {
          if (kind === 'config') {
            const map = section.type === 'sso-session' ? ssoSessions : services;
            target = map.get(section.name);
            repeated = target !== undefined;
            if (!target) map.set(section.name, (target = newSection()));
            isServices = section.type === 'services';
          }
        } else if (kind === 'credentials' ? section.type === 'plain' : section.type === 'profile' || section.name === 'default') {
          name = section.name;
          if (kind === 'config' && name === 'default' && section.type === 'plain') {
            repeated = plainDefault !== undefined;
            plainDefault ??= newSection();
            target = plainDefault;
            plainDefaultLine ||= lineNo;
          } else {
            target = profiles.get(name);
            repeated = target !== undefined;
            if (!target) profiles.set(name, (target = newSection()));
            if (kind === 'config' && name === 'default') prefixedDefaultLine ||= lineNo;
          }
          sectionIsProfile = true;
        }
      }
      // What the other tools make of this header, where it differs.
      const js = JS_BLOCKED.includes(raw) ? undefined : jsProfile(raw, kind);
      const cli = cliProfile(raw, kind);
      if (JS_BLOCKED.includes(raw)) {
        note(lineNo, 'the JS SDK refuses the whole file because of this section name');
      } else if (commentRightAfter) {
        note(lineNo, 'the JS SDK does not read this line as a section header (a comment right after "]"): it files the settings below under the section above; put a blank before the comment');
      } else if (name !== js && !(name === undefined && target !== undefined)) {
        note(lineNo, js === undefined ? `the JS SDK ignores this section, which the spec reads as profile ${q(name ?? '')}` : name === undefined ? `ignored (${q(raw)} is not a valid ${kind === 'config' ? '[profile name]' : 'profile name'}), but the JS SDK reads it as profile ${q(js)}` : `the JS SDK reads this header as profile ${q(js)}, not ${q(name)}`);
      }
      if (cli !== name && !(name === undefined && target !== undefined)) {
        note(lineNo, cli === undefined ? `the AWS CLI ignores this section, which the spec reads as profile ${q(name ?? '')}` : name === undefined ? `ignored (${q(raw)} is not a valid ${kind === 'config' ? '[profile name]' : 'profile name'}), but the AWS CLI reads it as profile ${q(cli)}` : `the AWS CLI reads this header as profile ${q(cli)}, not ${q(name)}`);
      } else if (name === undefined && target === undefined && js === undefined && cli === undefined && kind === 'config' && section.type === 'plain' && valid) {
        note(lineNo, `ignored by every AWS tool: a config file's profiles are [profile ${section.name}]`);
      }
      if (target === undefined) {
        // A section the spec ignores still counts for the AWS CLI, which refuses a repeated one
        // or a repeated setting in it: its settings are kept aside, only to see those.
        ignored = newSection();
        repeated = ignoredHeaders.has(raw);
        ignoredHeaders.add(raw);
      }
      if (repeated) note(lineNo, target === undefined ? 'repeats an earlier section: the AWS CLI refuses the file' : 'repeats an earlier section: the spec and the JS SDK merge the two, the AWS CLI refuses the file');
      continue;
    }

    if (blank(c)) {
      // A continuation of the property above.
      if (!inSection) {
        fail(new IniError('before-section', lineNo, 'Expected a profile definition'));
        continue;
      }
      const content = trimBlanks(text.slice(first, stop));
      if (property === undefined) {
        const d = content.charCodeAt(0);
        fail(new IniError(d === 35 || d === 59 ? 'indented-comment' : 'continuation', lineNo, 'Expected a property definition, found continuation'));
        continue;
      }
      if (subProperties) {
        const sub = splitProperty(content);
        if (sub === undefined) {
          fail(new IniError('sub-property', lineNo, "Expected an '=' sign defining a sub-property"));
          continue;
        }
        if (sub.name === '') {
          fail(new IniError('sub-property', lineNo, 'Sub-property did not have a name'));
          continue;
        }
        emptyLine = 0;
        if (isServices && propertyFiled && target && IDENTIFIER.test(sub.name)) target[`${property}.${sub.name.toLowerCase()}`] = sub.value;
      } else {
        const d = content.charCodeAt(0);
        note(lineNo, d === 35 || d === 59 ? `an indented comment continues the value of ${q(property)} (the spec); the AWS CLI and the JS SDK read it as a comment` : d === 91 ? `continues the value of ${q(property)} (the spec); the JS SDK reads it as a section header` : `continues the value of ${q(property)} (the spec and the AWS CLI); the JS SDK reads it as a line of its own`);
      }
      if (propertyFiled && target) target[property] = `${target[property] ?? ''}\n${content}`;
      continue;
    }

    // `name = value`.
    if (emptyLine > 0 && propertyFiled) emptyValueNote(emptyLine, property ?? '');
    emptyLine = 0;
    if (!inSection) {
      fail(new IniError('before-section', lineNo, 'Expected a profile definition'));
      continue;
    }
    // The name and the value: on a line without a comment, cut out in place (no copy of the line).
    let name: string;
    let value: string;
    let comment = false;
    if (equalsAt < lineStart) equalsAt = text.indexOf('=', lineStart) >>> 0;
    if (!hasComment && equalsAt < stop) {
      let nameEnd = equalsAt;
      while (nameEnd > lineStart && blank(text.charCodeAt(nameEnd - 1))) nameEnd -= 1;
      let valueStart = equalsAt + 1;
      let valueEnd = stop;
      while (valueStart < valueEnd && blank(text.charCodeAt(valueStart))) valueStart += 1;
      while (valueEnd > valueStart && blank(text.charCodeAt(valueEnd - 1))) valueEnd -= 1;
      name = text.slice(lineStart, nameEnd);
      value = text.slice(valueStart, valueEnd);
    } else {
      const p = hasComment ? splitProperty(text.slice(lineStart, stop)) : undefined;
      if (p === undefined) {
        fail(new IniError('no-equals', lineNo, "Expected an '=' sign defining a property"));
        property = undefined;
        continue;
      }
      ({ name, value, comment } = p);
    }
    if (name === '') {
      fail(new IniError('no-equals', lineNo, 'Property did not have a name'));
      property = undefined;
      continue;
    }
    let known = keys.get(name);
    if (known === undefined) keys.set(name, (known = IDENTIFIER.test(name) ? name.toLowerCase() : null));
    const valid = known !== null;
    const key = known ?? name;
    property = key;
    subProperties = value === '';
    propertyFiled = valid && target !== undefined;
    if (!target) {
      const lower = name.toLowerCase();
      if (ignored?.[lower] !== undefined) note(lineNo, `sets ${q(name)} again: the AWS CLI refuses the file`);
      else if (ignored) ignored[lower] = '';
      continue;
    }
    if (!valid) {
      note(lineNo, `ignored: ${q(name)} is not a valid setting name (letters, digits and _-/.%@:+), but the AWS CLI and the JS SDK read it`);
      continue;
    }
    if (key !== name) note(lineNo, `the JS SDK does not read ${q(name)} (it reads names as written, and looks for ${q(key)}); the spec and the AWS CLI lower-case it`);
    const v0 = value.charCodeAt(0);
    const v1 = value.charCodeAt(value.length - 1);
    if ((v0 > 126 || v0 < 32 || v1 > 126 || v1 < 32) && value !== value.trim()) note(lineNo, `the value of ${q(key)} starts or ends with a blank other than space or tab, which the spec keeps and the JS SDK drops`);
    if (comment) note(lineNo, 'the AWS CLI keeps the comment after the value as part of the value; the spec and the JS SDK drop it');
    // Repeats within one section, by the few names seen in it (the same strings: keys hands them out).
    if (seenKeys.includes(key)) note(lineNo, `sets ${q(key)} again: the spec and the JS SDK use this one, the AWS CLI refuses the file`);
    else seenKeys.push(key);
    target[key] = value;
    settingsInSection += 1;
    if (value === '') emptyLine = lineNo;
  }
  if (emptyLine > 0 && propertyFiled) emptyValueNote(emptyLine, property ?? '');
  if (sectionIsProfile && settingsInSection === 0 && target) empty.push([target, sectionLine]);

  if (kind === 'config' && plainDefault) {
    if (!profiles.has('default')) {
      profiles.set('default', plainDefault);
    } else if (plainDefaultLine > prefixedDefaultLine) {
      note(plainDefaultLine, '[default] is ignored where the file also has [profile default] (the spec and the JS SDK); the AWS CLI uses whichever comes last, this one');
    } else {
      note(plainDefaultLine, '[default] is ignored where the file also has [profile default]');
    }
  }
  for (const [section, line] of empty) {
    let settings = false;
    for (const key in section) {
      settings = key !== '';
      break;
    }
    if (!settings) note(line, 'a profile with no settings: the spec and the AWS CLI know it, the JS SDK does not');
  }
  return { profiles, ssoSessions, services, notes: notes.sort((a, b) => a.line - b.line), noteCount };
}

/**
 * The profile names of a file from its header lines alone (completion: ~10x faster than a full
 * parse of a 30,000-line config). By the spec a section with no settings is a profile too, so the
 * headers are all it takes; lines the spec refuses are skipped, not errors.
 */
export function profileNamesOf(text: string, kind: IniKind): string[] {
  const names: string[] = [];
  // Only a `[` in the first column starts a section.
  for (let at = text.charCodeAt(0) === 91 ? 0 : text.indexOf('\n['); at >= 0; at = text.indexOf('\n[', at + 1)) {
    const open = text.charCodeAt(at) === 91 ? at : at + 1;
    let end = text.indexOf('\n', open);
    if (end < 0) end = text.length;
    let last = end;
    while (last > open && (blank(text.charCodeAt(last - 1)) || text.charCodeAt(last - 1) === 13)) last -= 1;
    // The common `[profile x]` / `[x]` without a comment: one slice and one test.
    const from = kind === 'config' ? open + 9 : open + 1;
    if (text.charCodeAt(last - 1) === 93 && last - 1 > from && (kind === 'credentials' || text.startsWith('profile ', open + 1))) {
      const plain = text.slice(from, last - 1);
      if (IDENTIFIER.test(plain)) {
        names.push(plain);
        continue;
      }
    }
    let line = text.slice(open, end);
    const cut = line.search(/[#;]/);
    if (cut >= 0) line = line.slice(0, cut);
    line = trimBlanks(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!line.endsWith(']') || line.length < 2) continue;
    const section = specSection(line.slice(1, -1));
    if (section.name === '' || !IDENTIFIER.test(section.name)) continue;
    if (kind === 'credentials' ? section.type === 'plain' : section.type === 'profile' || (section.type === 'plain' && section.name === 'default')) names.push(section.name);
  }
  return names;
}

/**
 * The sub-properties of a property whose value came in indented lines (`s3 =` then `  name =
 * value`), by name (lower-cased), as the spec keeps them: the value's lines after the first.
 */
export function subPropertiesOf(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of value.split('\n').slice(1)) {
    const p = splitProperty(line);
    if (p && p.name !== '' && IDENTIFIER.test(p.name)) out.set(p.name.toLowerCase(), p.value);
  }
  return out;
}

/** What every section inherits from: nothing (no members, no prototype, frozen). */
const SECTION: object = Object.freeze(Object.create(null) as object);

/**
 * An empty section that inherits nothing (its prototype, SECTION, is empty, frozen and has none
 * itself), so `toString` or `__proto__` in a file is a name like any other. Object.create(null)
 * makes a hash-table object; this one keeps V8's fast layout, shared by the thousands of sections
 * with the same keys, and is made without setPrototypeOf's slow path (a listing makes 5,000).
 */
export function newSection(): IniSection {
  return Object.create(SECTION) as IniSection;
}
