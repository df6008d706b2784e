// awsQuery XML for the STS emulator (sts.md A.3 / A.4), plus a tiny reader for tests and moto.
// Only what STS needs: nested elements in insertion order, every text node escaped.

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A result member: text, a number, or nested members (undefined members are omitted). */
export type XmlValue = string | number | XmlObject;
export interface XmlObject {
  [name: string]: XmlValue | undefined;
}

/** Escapes text for element content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;'); // a literal CR would be normalised away by XML parsers
}

/** Reverses xmlEscape and the numeric character references a peer may send. */
export function xmlUnescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, ent: string) => {
    if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ent] ?? '';
  });
}

function render(name: string, value: XmlValue, indent: string): string {
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .filter((e): e is [string, XmlValue] => e[1] !== undefined)
      .map(([k, v]) => render(k, v, indent + '  '))
      .join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${xmlEscape(String(value))}</${name}>\n`;
}

/** `<Op>Response` with `<Op>Result` and ResponseMetadata/RequestId, as real STS sends it. */
export function successXml(op: string, result: XmlObject, requestId: string): string {
  const body =
    render(`${op}Result`, result, '  ') + render('ResponseMetadata', { RequestId: requestId }, '  ');
  return `<${op}Response xmlns="${STS_XMLNS}">\n${body}</${op}Response>\n`;
}

/** ErrorResponse; RequestId is a sibling of Error (not in ResponseMetadata), per A.4. */
export function errorXml(status: number, code: string, message: string, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    render('Error', { Type: type, Code: code, Message: message }, '  ') +
    render('RequestId', requestId, '  ');
  return `<ErrorResponse xmlns="${STS_XMLNS}">\n${body}</ErrorResponse>\n`;
}

/** Timestamps as real STS emits them: YYYY-MM-DDTHH:MM:SSZ (no milliseconds). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Text of the first `<tag>` element (no attributes expected), unescaped; undefined if absent. */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1] === undefined ? undefined : xmlUnescape(m[1].trim());
}
