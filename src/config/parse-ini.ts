// The AWS shared config/credentials format, parsed by the same rules as the SDK's own parser
// (@smithy/core shared-ini-file-loader parseIni + getConfigData): `[profile x]` -> `x`,
// `[services x]` -> `services.x`, indented `key = value` lines after `key =` -> `key.sub`,
// comments after whitespace + `#`/`;`. Ported rather than imported because the SDK's copy sits in
// a 35 KB chunk of @smithy/core whose loading would cost every cache hit; a unit test checks this
// port against the SDK on tricky files, so the two cannot drift apart unnoticed.
import type { IniFile, IniSection, IniSections } from './ini-types.ts';

const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = ['profile', 'sso-session', 'services'];
/** `profile x` as PREFIX_KEY takes it, x unquoted. */
const PLAIN_PROFILE = /^profile [\w-@+.%:/]+$/;
const BLOCKED = ['__proto__', 'profile __proto__'];

/** A line the AWS CLI's parser refuses (config-files.ts words the error): a bad `[header]`, a setting before any section, a line without `key =`. */
export type IniProblem = 'header' | 'before-section' | 'no-equals';

// A valid header line, whole (the AWS CLI's rule): `[name]`, then blanks and an optional comment.
const HEADER = /^\[[^[\]]+\]\s*([#;].*)?$/;
const COMMENT = /(^|\s)[;#]/;
// After the first header: a header line the lint refuses, i.e. one not `[name]`, blanks and an
// optional comment (HEADER on the trimmed line: its `.` stops at \r, \u2028 and \u2029).
const BAD_HEADER = /\n[^\S\n]*\[(?![^[\]\n]+\][^\S\n]*(?:[#;][^\n\r\u2028\u2029]*)?[^\S\n]*(?:\n|$))/g;
// After the first header: a line the lint refuses unless it is a header, a blank, a comment or a
// continuation, i.e. one that starts with `=` or with a non-blank and has no `=` at all.
const NO_EQUALS = /\n(?:=|[^\s#;[=][^\n=]*(?:\n|$))/g;

// What the plain path of parseLines leaves to the SDK's rules: anything but a line feed and
// printable ASCII without the comment characters `#` and `;`.
const ODD = /[^\n -"$-:<-~]/g;

/** The end of the line starting at `start`: its \n, or the end of the text. */
function lineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end < 0 ? text.length : end;
}

/** The line from `start` to its \n, without a \r before that \n (as split(/\r?\n/)). */
function lineAt(text: string, start: number, end: number): string {
  return text.slice(start, end > start && end < text.length && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
}

/** A line without its comment (after whitespace + `#`/`;`), trimmed: the SDK's view of it. */
function uncommented(line: string): string {
  // Most lines have no comment: the regex only for those that might.
  return line.includes('#') || line.includes(';') ? line.slice(0, COMMENT.exec(line)?.index ?? line.length).trim() : line.trim();
}

/**
 * The AWS CLI's checks, stricter than the SDK's parse: reports the first bad line of the whole
 * file through `lint` (it throws). Line by line only up to the first header; after it, regexes
 * find the few lines that could be bad (headers, lines without `=`) without visiting the others.
 */
export function lintIni(text: string, lint: (problem: IniProblem, lineNumber: number) => never): void {
  let start = 0;
  let index = 0;
  // Up to and including the first line that starts a section, every line as the AWS CLI reads it.
  for (; start <= text.length; index += 1) {
    const end = lineEnd(text, start);
    const line = lineAt(text, start, end);
    const whole = line.trim();
    start = end + 1;
    if (whole === '' || whole.startsWith('#') || whole.startsWith(';')) continue;
    if (!whole.startsWith('[')) lint('before-section', index + 1);
    if (!HEADER.test(whole)) lint('header', index + 1);
    break;
  }
  if (start > text.length) return;
  // From here on every line is in a section: the first bad header or bad setting, whichever comes first.
  const from = start - 1;
  NO_EQUALS.lastIndex = from;
  BAD_HEADER.lastIndex = from;
  const noEquals = NO_EQUALS.exec(text)?.index ?? Infinity;
  const badHeader = BAD_HEADER.exec(text)?.index ?? Infinity;
  const bad = Math.min(noEquals, badHeader);
  if (bad === Infinity) return;
  const problem: IniProblem = badHeader < noEquals ? 'header' : 'no-equals';
  for (let at = text.indexOf('\n', from); at >= 0 && at <= bad; at = text.indexOf('\n', at + 1)) index += 1;
  lint(problem, index + 1);
}

/** Space, tab, \v, \f, \r: the ASCII blanks trim() removes from the end of a line. */
function asciiBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * The `]` that ends a header line as the SDK trims it (without its comment), or -1 for a line that
 * is none for the SDK although it starts with `[` (`[a #b]`: the comment cuts it). `open` is the
 * line's `[`; a line without a comment character or odd blanks (nearly all) is measured in place.
 */
function headerClose(text: string, start: number, open: number, end: number, mayComment: boolean): number {
  let last = end;
  while (last > open && asciiBlank(text.charCodeAt(last - 1))) last -= 1;
  const c = text.charCodeAt(last - 1);
  if (!mayComment && c <= 126) return c === 93 ? last - 1 : -1;
  const trimmed = uncommented(lineAt(text, start, end));
  return trimmed.endsWith(']') ? open + trimmed.length - 1 : -1;
}

/**
 * The body starts of the sections filed under `key`, in file order, found without going through
 * every header: sectionKey gives `key` for the name `key` itself, or `type x` / `type "x"` for
 * `type.x`, so the name ends with x, or x and a quote, right before the line's closing `]`. Each
 * place where that text occurs is checked as a header line.
 */
function findSections(text: string, key: string): number[] {
  const x = key.slice(key.indexOf('.') + 1);
  const closes: number[] = [];
  for (const needle of [`${x}]`, `${x}"]`, `${x}']`]) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) closes.push(at + needle.length - 1);
  }
  closes.sort((a, b) => a - b);
  const bodies: number[] = [];
  // Each line once, however many places on it matched (a hostile line of `]]]...` stays linear).
  for (let i = 0, end = -1; i < closes.length; i += 1) {
    if ((closes[i] as number) <= end) continue;
    const start = text.lastIndexOf('\n', closes[i]) + 1;
    end = lineEnd(text, start);
    const line = lineAt(text, start, end);
    const open = start + line.length - line.trimStart().length;
    if (text.charCodeAt(open) !== 91) continue;
    const close = headerClose(text, start, open, end, line.includes('#') || line.includes(';'));
    if (close >= 0 && sectionKey(text.slice(open + 1, close)) === key) bodies.push(end + 1);
  }
  return bodies;
}

/** Where the settings under a section key go: asked once per header, at its first setting. */
type Filer = (key: string) => IniSection;

/** The SDK's parse result: each section under its key, repeated headers merged. */
function byKey(data: IniFile): Filer {
  return (key) => (data[key] ??= newSection());
}

/** The same, into a Map (a listing's 5,000 sections: twice as fast to fill as an object's keys). */
function intoMap(data: Map<string, IniSection>): Filer {
  return (key) => {
    let section = data.get(key);
    if (!section) data.set(key, (section = newSection()));
    return section;
  };
}

/**
 * The config file's view (configFileView) filed as the parse goes, instead of copied after it:
 * `profile x` under `x`, `default` and the `sso-session`/`services` sections under their keys,
 * other keys nowhere. Where two keys share a name (`[default]` and `[profile default]`,
 * `[sso-session x]` and `[profile sso-session.x]`), configFileView's rule: `profile default`
 * wins, else the key whose first setting came last; the other's settings go nowhere.
 */
function viewFiler(view: Map<string, IniSection>): Filer {
  const plain = intoMap(view);
  const shared = new Map<string, IniSection>();
  return (key) => {
    const name = configViewName(key);
    if (name === undefined) return newSection();
    if (name !== 'default' && !name.includes('.')) return plain(name);
    let section = shared.get(key);
    if (!section) {
      shared.set(key, (section = newSection()));
      if (!(key === 'default' && shared.has('profile.default'))) view.set(name, section);
    }
    return section;
  };
}

/**
 * The SDK's parse (@smithy/core parseIni) of the lines from `from` on, filed by `file`: the
 * settings before the first header under `key` (a section's body, when `from` is right after its
 * header line), then each `[name]` section's under sectionKey(name). With `one`, stops at the
 * first header. Returns the SDK's refusal of a `[__proto__]` header (the parse stops there).
 */
function parseLines(text: string, from: number, file: Filer, key: string | undefined, one: boolean): string | undefined {
  let section = key;
  let target: IniSection | undefined;
  let subSection: string | undefined;
  // The next `=` and the next character the plain path below leaves to the SDK's rules: found by
  // native searches that only move forward (a whole file is searched once). A single section
  // (`one`) is a few lines: it takes the SDK's way only, and never searches ahead.
  let equalsAt = -1;
  let oddAt = -1;
  // indexOf from line to line rather than split: no array of 30,000 lines for a large config.
  for (let start = from; start <= text.length; ) {
    const end = lineEnd(text, start);
    const lineStart = start;
    start = end + 1;
    if (!one && oddAt < lineStart) {
      ODD.lastIndex = lineStart;
      oddAt = ODD.test(text) ? ODD.lastIndex - 1 : Infinity;
    }
    // A \r before the \n is not part of the line (as lineAt has it).
    const plainEnd = one ? -1 : oddAt >= end ? end : oddAt === end - 1 && end < text.length && text.charCodeAt(oddAt) === 13 ? oddAt : -1;
    if (plainEnd >= 0 && (lineStart === plainEnd || text.charCodeAt(lineStart) !== 32)) {
      // Printable ASCII without `#`, `;` or a tab, not indented: what the SDK's rules make of it,
      // with trim() as a walk over spaces and one slice per name and value.
      if (lineStart === plainEnd) continue;
      let last = plainEnd;
      while (text.charCodeAt(last - 1) === 32) last -= 1;
      if (text.charCodeAt(lineStart) === 91 && text.charCodeAt(last - 1) === 93) {
        const name = text.slice(lineStart + 1, last - 1);
        subSection = undefined;
        target = undefined;
        section = sectionKey(name);
        if (BLOCKED.includes(name)) return `Found invalid profile name "${name}"`;
        continue;
      }
      if (!section) continue;
      if (equalsAt < lineStart) equalsAt = text.indexOf('=', lineStart) >>> 0;
      if (equalsAt >= plainEnd || equalsAt === lineStart) continue;
      let nameEnd = equalsAt;
      while (text.charCodeAt(nameEnd - 1) === 32) nameEnd -= 1;
      let valueStart = equalsAt + 1;
      while (valueStart < last && text.charCodeAt(valueStart) === 32) valueStart += 1;
      const name = text.slice(lineStart, nameEnd);
      if (valueStart === last) {
        subSection = name;
      } else {
        subSection = undefined;
        target ??= file(section);
        target[name] = text.slice(valueStart, last);
      }
      continue;
    }
    const line = lineAt(text, lineStart, end);
    const c = line.charCodeAt(0);
    // A line whose first non-blank is `[` may be a header (headerClose decides, as the SDK does).
    const open = c === 91 ? lineStart : asciiBlank(c) || c > 126 ? lineStart + line.length - line.trimStart().length : -1;
    if (open >= 0 && text.charCodeAt(open) === 91) {
      const close = headerClose(text, lineStart, open, end, line.includes('#') || line.includes(';'));
      if (close >= 0) {
        if (one) return undefined;
        subSection = undefined;
        target = undefined;
        const name = text.slice(open + 1, close);
        section = sectionKey(name);
        if (BLOCKED.includes(name)) return `Found invalid profile name "${name}"`;
        continue;
      }
    }
    // The SDK files a setting only under a section name that is not empty (`[]` files nothing).
    if (!section) continue;
    const trimmed = uncommented(line);
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    const name = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (value === '') {
      subSection = name;
    } else {
      if (subSection !== undefined && line.trimStart() === line) subSection = undefined;
      target ??= file(section);
      target[subSection !== undefined ? `${subSection}.${name}` : name] = value;
    }
  }
  return undefined;
}

/** Section and key names come from the file, so no object inherits anything (null-prototype maps, sections from newSection): `[toString]` or `constructor = x` is a name like any other. */
export function parseIni(text: string): IniFile {
  const data: IniFile = Object.create(null) as IniFile;
  const refused = parseLines(text, 0, byKey(data), undefined, false);
  if (refused !== undefined) throw new Error(refused);
  return data;
}

/**
 * A file's sections as parseIni (`view`: and configFileView) would give them, each parsed when
 * first asked for: a command reads a few profiles of a config that may hold thousands. Throws the
 * SDK parser's refusal (a `[__proto__]` section) as an Error, as parseIni.
 */
export function lazySections(text: string, view: boolean): IniSections {
  const sections = new LazySections(text, view);
  // Only a file that holds `__proto__` can have a header the SDK refuses: only it is parsed now.
  if (text.includes('__proto__')) sections.names();
  return sections;
}

class LazySections implements IniSections {
  readonly #text: string;
  readonly #view: boolean;
  readonly #parsed = new Map<string, IniSection | undefined>();
  /** Every section, once names() was asked (`stsx profiles` reads them all: one pass is faster). */
  #all: Map<string, IniSection> | undefined;

  constructor(text: string, view: boolean) {
    this.#text = text;
    this.#view = view;
  }

  /** A key's settings from all its sections, in file order, and where its first setting's section starts. */
  #parseKey(key: string): { section: IniSection; at: number } | undefined {
    const data: IniFile = Object.create(null) as IniFile;
    let at = -1;
    for (const body of findSections(this.#text, key)) {
      parseLines(this.#text, body, byKey(data), key, true);
      if (at < 0 && data[key]) at = body;
    }
    const section = data[key];
    return section && { section, at };
  }

  get(name: string): IniSection | undefined {
    if (this.#all) return this.#all.get(name);
    if (this.#parsed.has(name)) return this.#parsed.get(name);
    // Past a few dozen names, one pass over all sections costs less than a look per name.
    if (this.#parsed.size >= 64) return this.#every().get(name);
    let section: IniSection | undefined;
    if (!this.#view) {
      section = this.#parseKey(name)?.section;
    } else {
      // The keys configFileView files under this name: `profile x`, and the name itself for
      // `default`, `sso-session x` and `services x`. Of two, `profile default` wins over
      // `default`; otherwise the one whose first setting comes last (configFileView's last write).
      const own = this.#parseKey(`profile.${name}`);
      const other = configViewName(name) === name ? this.#parseKey(name) : undefined;
      section = (own && (!other || name === 'default' || own.at > other.at) ? own : other)?.section;
    }
    this.#parsed.set(name, section);
    return section;
  }

  #every(): Map<string, IniSection> {
    if (!this.#all) {
      const all = new Map<string, IniSection>();
      const refused = parseLines(this.#text, 0, this.#view ? viewFiler(all) : intoMap(all), undefined, false);
      if (refused !== undefined) throw new Error(refused);
      // The same objects as get() gave before (equal to the new ones), so a section is one object.
      for (const [name, section] of this.#parsed) if (section) all.set(name, section);
      this.#all = all;
    }
    return this.#all;
  }

  names(): string[] {
    return [...this.#every().keys()];
  }
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

/** The key a `[name]` header files its settings under (`profile.x`, `default`), or undefined for one that is ignored. */
function sectionKey(name: string): string | undefined {
  // `[profile x]`, nearly every header, without the match: the same answer as PREFIX_KEY's.
  if (name.startsWith('profile ') && PLAIN_PROFILE.test(name)) return `profile.${name.slice(8)}`;
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
