// The one redactor: every line stsx writes to stderr (notes, warnings, errors, --debug lines and
// the --debug cause chain) passes through redact(), which replaces each secret this run has seen
// with `****`. A server that echoes a secret back rarely echoes it as sent: JSON writes `/` as
// `\/` or `\u002f`, a URL writes it as `%2F` (and `%252F` when encoded twice), a form decoder
// turns `+` into a space, HTML writes `&#47;`. So each character of a secret matches any of its
// spellings, in any mix, rather than a list of whole-string variants that always misses one.

/** Secrets this run has read or been issued: source keys, session tokens, sign-in tokens. */
const known = new Set<string>();
let pattern: RegExp | undefined;

/** Shorter strings are not secrets worth a pattern, and would mask ordinary words. */
const MIN_SECRET_LENGTH = 12;

/** Remembers secrets, so every later stderr line hides them. Empty and short values are ignored. */
export function rememberSecrets(...secrets: ReadonlyArray<string | undefined>): void {
  for (const s of secrets) {
    if (s === undefined || s.length < MIN_SECRET_LENGTH || known.has(s)) continue;
    known.add(s);
    pattern = undefined;
  }
}

const hexDigit = (d: string): string => (/[a-f]/i.test(d) ? `[${d.toLowerCase()}${d.toUpperCase()}]` : d);
const hex = (code: number, width: number): string => [...code.toString(16).padStart(width, '0')].map(hexDigit).join('');

/** Every spelling of one character: itself, percent-encoded (once or twice), JSON \u, HTML &#. */
function spellings(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const forms = [ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')];
  if (code < 0x80) forms.push(`%(?:25)?${hex(code, 2)}`);
  forms.push(`\\\\u${hex(code, 4)}`, `&#(?:[xX]0*${hex(code, 1)}|0*${code});`);
  // JSON may write `/` as `\/`, itself percent-encoded when the JSON travels in a URL.
  if (ch === '/') forms.push('(?:\\\\|%(?:25)?5[cC])(?:/|%(?:25)?2[fF])');
  // A form decoder reads `+` as a space.
  if (ch === '+') forms.push(' ');
  return forms.length === 1 ? (forms[0] ?? '') : `(?:${forms.join('|')})`;
}

function secretsPattern(): RegExp | undefined {
  if (known.size === 0) return undefined;
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...known].sort((a, b) => b.length - a.length);
  pattern ??= new RegExp(sorted.map((s) => [...s].map(spellings).join('')).join('|'), 'g');
  return pattern;
}

/** The text with every remembered secret, in any spelling, replaced by `****`. */
export function redact(text: string): string {
  const p = secretsPattern();
  return p === undefined ? text : text.replace(p, '****');
}

/** True when the text holds a remembered secret in some spelling. */
export function holdsSecret(text: string): boolean {
  const p = secretsPattern();
  if (p === undefined) return false;
  p.lastIndex = 0;
  const found = p.test(text);
  p.lastIndex = 0;
  return found;
}
