// A command that uses one profile of a config of thousands should not parse them all: a cache hit
// of `assume --profile p4999` reads a 30,000-line config. The whole file must still be one the
// spec accepts (a single bad line refuses it), so it is checked at once by a few regular
// expressions that jump between the lines that could be bad (native scans, no line visited in
// JavaScript); the check is conservative: anything it cannot clear (a sub-property block, a bad
// line) sends the file through the full parse (parse-ini.ts), which then decides and words the
// error. A profile is then read from its own header lines and bodies only, by the same parser.
import type { IniSection } from './ini-types.ts';
import { newSection, parseProfileFile, type IniKind, type ParsedIni } from './parse-ini.ts';

/** Blanks and comment lines, as the spec skips them between a header or a setting and what follows. */
const SKIPPED = String.raw`(?:\n(?:[ \t]*\r?|[#;][^\n]*))*`;
/** An indented line with something on it (a continuation). */
const INDENTED = String.raw`\n[ \t]+(?![ \t]*\r?(?:\n|$))`;
// Unicode White_Space: the character before a comment on a property line.
const WS = String.raw`[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
const SUSPECT = [
  // A `[` line that is not `[...]`, blanks and an optional comment.
  /\n\[(?![^#;\n]*\][ \t]*(?:[#;][^\n]*)?(?:\n|$))/,
  // A property line without `=` before its comment or end, or starting with `=`.
  new RegExp(String.raw`\n(?:=|(?![ \t[#;\n]|\r?(?:\n|$)|$)[^=\n]*?(?:${WS}[#;]|\n|$))`),
  // A continuation right after a header: it continues no setting.
  new RegExp(String.raw`\n\[[^\n]*${SKIPPED}${INDENTED}`),
  // A setting with an empty value followed by indented lines: sub-properties, checked by the full parse.
  new RegExp(String.raw`\n[^ \t[#;\n][^=\n]*=[ \t]*(?:(?<=[ \t])[#;][^\n]*|\r)?${SKIPPED}${INDENTED}`),
];

/** True when the file is certainly one the spec accepts (false: the full parse decides). */
export function surelyValid(text: string): boolean {
  if (text.charCodeAt(0) === 0xfeff) return false;
  // Up to the first header, every line is blank or a comment (checked line by line: a few lines).
  let at = 0;
  for (;;) {
    if (at >= text.length || text.charCodeAt(at) === 91) break;
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const c = text.charCodeAt(at);
    if (c !== 35 && c !== 59 && !/^[ \t]*\r?$/.test(text.slice(at, end))) return false;
    at = end + 1;
  }
  const lined = `\n${text}`;
  return !SUSPECT.some((re) => re.test(lined));
}

/** Settings merged from several sections, later ones winning (as the spec merges repeated sections). */
function merge(into: IniSection | undefined, from: IniSection): IniSection {
  const out = into ?? newSection();
  for (const key in from) out[key] = from[key];
  return out;
}

/**
 * A file the spec accepts (surelyValid), read one profile at a time: get(name) finds the header
 * lines that name it and parses their bodies; names(), others() and the notes parse it all.
 */
export class LazyIni {
  readonly #text: string;
  readonly #kind: IniKind;
  readonly #found = new Map<string, IniSection | undefined>();
  #all: ParsedIni | undefined;

  constructor(text: string, kind: IniKind) {
    this.#text = text;
    this.#kind = kind;
  }

  /** The whole file, parsed once. */
  all(): ParsedIni {
    this.#all ??= parseProfileFile(this.#text, this.#kind);
    return this.#all;
  }

  /** A profile (type 'profile'), sso-session or services section by name. */
  get(type: 'profile' | 'sso-session' | 'services', name: string): IniSection | undefined {
    if (this.#all) return (type === 'profile' ? this.#all.profiles : type === 'sso-session' ? this.#all.ssoSessions : this.#all.services).get(name);
    const key = `${type} ${name}`;
    if (this.#found.has(key)) return this.#found.get(key);
    // Past a few dozen names, one pass over everything costs less than a search per name.
    if (this.#found.size >= 64) {
      this.all();
      return this.get(type, name);
    }
    let section: IniSection | undefined;
    if (type === 'profile' && name === 'default' && this.#kind === 'config') {
      // `[profile default]` hides `[default]`.
      section = this.#sections('profile', name) ?? this.#sections('plain', name);
    } else {
      section = this.#sections(type === 'profile' && this.#kind === 'credentials' ? 'plain' : type, name);
    }
    this.#found.set(key, section);
    return section;
  }

  /** The merged bodies of the header lines `[type name]` (blanks and a comment allowed) as the spec reads them. */
  #sections(type: 'profile' | 'sso-session' | 'services' | 'plain', name: string): IniSection | undefined {
    if (name === '' || (type === 'plain' && this.#kind === 'config' && name !== 'default')) return undefined;
    if (this.#kind === 'credentials' && type !== 'plain') return undefined;
    const text = this.#text;
    let section: IniSection | undefined;
    let lineEnd = -1;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      // Each line once, however often the name occurs on it.
      if (at < lineEnd) continue;
      let close = at + name.length;
      while (text.charCodeAt(close) === 32 || text.charCodeAt(close) === 9) close += 1;
      if (text.charCodeAt(close) !== 93) continue;
      const start = text.lastIndexOf('\n', at) + 1;
      lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = text.length;
      if (text.charCodeAt(start) !== 91) continue;
      // The header line alone through the full parser: is it this section?
      const header = text.slice(start, lineEnd);
      const parsed = parseProfileFile(header, this.#kind, true);
      const map = type === 'sso-session' ? parsed.ssoSessions : type === 'services' ? parsed.services : parsed.profiles;
      if (!map.has(name)) continue;
      // `[default]` and `[profile default]` are told apart (the first counts only without the second).
      if (this.#kind === 'config' && name === 'default' && (type === 'profile') !== /^\[[ \t]*profile[ \t]/.test(header)) continue;
      // Its body: up to the next header (a `[` in the first column).
      const next = text.indexOf('\n[', lineEnd);
      const body = text.slice(lineEnd, next < 0 ? text.length : next + 1);
      const own = `${type === 'sso-session' ? '[sso-session s]' : type === 'services' ? '[services s]' : this.#kind === 'config' ? '[profile s]' : '[s]'}${body}`;
      const bodyParsed = parseProfileFile(own, this.#kind);
      const sections = type === 'sso-session' ? bodyParsed.ssoSessions : type === 'services' ? bodyParsed.services : bodyParsed.profiles;
      section = merge(section, sections.get('s') ?? newSection());
    }
    return section;
  }
}
