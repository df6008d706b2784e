// `stsx profiles` as text (aligned columns, every cell escaped for the terminal) or JSON (a stable
// array for scripts). No secret is shown: keys appear only as the kind `keys`.
import { isoSeconds } from '../text/expiry.ts';
import { terminalText } from '../text/terminal-text.ts';
import { accountOf, type ProfileRow } from './list-profiles.ts';
import { jsonText } from '../text/json.ts';

const KIND_LABEL: Readonly<Record<ProfileRow['kind'], string>> = {
  keys: 'keys', role: 'role', sso: 'SSO', process: 'process', 'web-identity': 'web identity', 'instance-role': 'instance role',
  'container-role': 'container role', environment: 'environment', 'console-login': 'console login', none: '-', error: 'error',
};

/** `14:05` today, `2026-12-01 14:05` another day: local time, as a person reads a clock. */
export function clockTime(date: Date, now: Date): string {
  const hm = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return sameDay ? hm : `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')} ${hm}`;
}

/** A profile in a few words, as its KIND and ROLE OR ACCOUNT columns show it (`role arn:aws:iam::...`), for completion menus. */
export function profileSummary(r: ProfileRow): string {
  if (r.error) return KIND_LABEL.error;
  const what = r.roleArn ?? accountOf(r);
  return what === undefined ? KIND_LABEL[r.kind] : `${KIND_LABEL[r.kind]} ${what}`;
}

const HEADER = ['PROFILE', 'KIND', 'ROLE OR ACCOUNT', 'CHAIN', 'REGION', 'MFA', 'CACHED'];

export function profilesText(rows: readonly ProfileRow[], now: Date): string {
  // Nearly always every cell is printable ASCII, which terminalText leaves as it is: laid out
  // unescaped, each line is checked once (5,000 checks rather than one per cell of 35,000). A line
  // with anything else makes the table laid out again with every cell escaped, as the rule is.
  return table(rows, now, false) ?? (table(rows, now, true) as string);
}

/**
 * A row's cells, into `cells` (one array reused for every row: a listing has 5,000); an error row
 * has three: its name, its kind and the message.
 */
function cellsOf(r: ProfileRow, now: Date, escape: boolean, cells: string[]): readonly string[] {
  cells.length = 0;
  if (r.error) {
    cells.push(r.name, KIND_LABEL.error, `${r.error.message}${r.error.hint ? ` (hint: ${r.error.hint})` : ''}`);
  } else {
    cells.push(
      r.name,
      KIND_LABEL[r.kind],
      r.roleArn ?? accountOf(r) ?? '-',
      r.chain.length === 1 ? (r.chain[0] as string) : r.chain.join(' -> '),
      r.region ?? '-',
      r.mfaSerial !== undefined ? 'yes' : '-',
      r.cached ? `cached until ${clockTime(r.cached.credentials.expiration, now)}` : '-',
    );
  }
  if (escape) for (let i = 0; i < cells.length; i += 1) cells[i] = terminalText(cells[i] as string);
  return cells;
}

const PRINTABLE_LINE = /^[ -~]*$/;

/**
 * The aligned table, or undefined when `escape` is false and some line needs escaping. Two passes
 * over the rows (widths, then lines), each making a row's cells again rather than keeping 5,000
 * arrays of them: only the lines stay, and each is one string.
 */
function table(rows: readonly ProfileRow[], now: Date, escape: boolean): string | undefined {
  const widths = HEADER.map((h) => h.length);
  const row: string[] = [];
  for (const r of rows) {
    const cells = cellsOf(r, now, escape, row);
    // The last cell is not padded; an error row's message spills over the columns after its kind.
    for (let i = 0; i < cells.length - 1; i += 1) widths[i] = Math.max(widths[i] as number, (cells[i] as string).length);
  }
  // Padding from a table of blank strings: no padEnd call per cell.
  const blanks = [''];
  for (let n = 1; n <= Math.max(...widths) + 2; n += 1) blanks.push(`${blanks[n - 1] as string} `);
  const line = (cells: readonly string[]): string => {
    let text = '';
    const last = cells.length - 1;
    for (let i = 0; i < last; i += 1) text += (cells[i] as string) + (blanks[(widths[i] as number) - (cells[i] as string).length + 2] as string);
    return text + (cells[last] as string);
  };
  const lines = [line(HEADER)];
  for (const r of rows) {
    const text = line(cellsOf(r, now, escape, row));
    if (!escape && !PRINTABLE_LINE.test(text)) return undefined;
    lines.push(text);
  }
  lines.push('');
  return lines.join('\n');
}

export function profilesJson(rows: readonly ProfileRow[]): string {
  return `${jsonText(
    rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      roleArn: r.roleArn ?? null,
      account: accountOf(r) ?? null,
      chain: r.chain,
      region: r.region ?? null,
      mfaSerial: r.mfaSerial ?? null,
      cachedUntil: r.cached ? isoSeconds(r.cached.credentials.expiration) : null,
      cachedRoleArn: r.cached?.assumedRoleArn ?? null,
      error: r.error ? { message: r.error.message, hint: r.error.hint ?? null } : null,
    })),
    2,
  )}\n`;
}
