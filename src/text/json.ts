// The one JSON writer for stdout. JSON.stringify escapes C0 controls but passes DEL, the C1
// controls (U+009B is a CSI on many terminals, U+0085 a line break), U+2028/U+2029 and the
// bidirectional controls through as they are: an ARN or a decoded message carrying them would
// reorder or break what a terminal shows, now or when the saved file is printed. Here they leave
// as `\uXXXX`, which every JSON reader turns back into the same string. The set is the terminal
// escaper's (terminal-text.ts), so the two cannot drift apart.
import { unsafe } from '../text/terminal-text.ts';

/** `JSON.stringify(value, null, indent)` with every display control escaped. */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  // Printable ASCII and line feeds only (nearly always): one native scan, nothing to do.
  if (/^[ -~\n]*$/.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // C0 controls are already escaped by JSON.stringify; the indentation's line feeds stay.
    if (code <= 0x1f || !unsafe(code)) continue;
    out += `${text.slice(last, i)}\\u${code.toString(16).padStart(4, '0')}`;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
