// A user name or password inside a URL (`http://bob:pw@host`): shown masked, stored never. The
// one masking rule for proxy URLs and endpoint URLs alike.

/** `http://user:secret@proxy:3128` -> `http://user:****@proxy:3128` (a lone token: `http://****@proxy`). */
export function maskPassword(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = value.indexOf('://');
  const start = scheme < 0 ? 0 : scheme + 3;
  const colon = value.slice(start, at).indexOf(':');
  // A user name alone may be a token: mask it too.
  if (colon < 0) return `${value.slice(0, start)}****${value.slice(at)}`;
  return `${value.slice(0, start + colon)}:****${value.slice(at)}`;
}

/** The URL without `user:password@`, and whether it had any; text that is not a URL comes back masked. */
export function stripUserinfo(value: string): { url: string; had: boolean } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { url: maskPassword(value), had: maskPassword(value) !== value };
  }
  // Not http(s) (`bob:pw@` parses as scheme `bob:`): only an error message will show it, masked.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url: maskPassword(value), had: maskPassword(value) !== value };
  if (url.username === '' && url.password === '') return { url: value, had: false };
  url.username = '';
  url.password = '';
  return { url: url.href, had: true };
}
