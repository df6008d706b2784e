// The one escaping function for text that reaches a terminal: whatever a server, a file or the
// environment said is shown with its control characters made visible, so an ARN carrying
// `ESC ] 52 ;` (clipboard write), `ESC [ 2K \r` (erase the line) or a newline (a forged
// `stsx: warning:` line) is shown as text instead of being obeyed. JSON on stdout needs none of
// this: JSON.stringify escapes control characters itself.

// C0 controls, DEL, C1 controls, the Unicode line/paragraph separators and the bidi controls
// (which reorder what is shown: "Trojan Source"). A predicate, not a regex of control characters.
// The JSON writer (json.ts) escapes the same set beyond what JSON.stringify escapes.
export function unsafe(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0x200e || code === 0x200f || code === 0x061c || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// Printable ASCII only: nothing to escape. One native scan instead of a loop over the characters
// (a listing of 5,000 profiles escapes 35,000 cells).
const PLAIN = /^[ -~]*$/;

function escape(text: string, keepNewlines: boolean): string {
  if (PLAIN.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (!unsafe(code) || (keepNewlines && code === 0x0a)) continue;
    out += text.slice(last, i) + escapeOne(text.charAt(i));
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** One line of text, safe for a terminal: every control character (newlines too) escaped. */
export function terminalText(text: string): string {
  return escape(text, false);
}

/** Like terminalText, but keeps line feeds (for multi-line blocks we lay out ourselves, e.g. --debug stacks). */
export function terminalLines(text: string): string {
  return escape(text, true);
}

/** True when terminalText would change the text. */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (unsafe(text.charCodeAt(i))) return true;
  return false;
}
