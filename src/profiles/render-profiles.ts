// `stsx profiles` as text (aligned columns, every cell escaped for the terminal) or JSON (a stable
// array for scripts). No secret is shown: keys appear only as the kind `keys`.
import { isoSeconds } from '../output/expiry.ts';
import { terminalText } from '../output/terminal-text.ts';
import type { ProfileRow } from './list-profiles.ts';

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

export function profilesText(rows: readonly ProfileRow[], now: Date): string {
  const header = ['PROFILE', 'KIND', 'ROLE OR ACCOUNT', 'CHAIN', 'REGION', 'MFA', 'CACHED'];
  const cells: string[][] = [header];
  for (const r of rows) {
    cells.push(
      r.error
        ? [r.name, KIND_LABEL.error, `${r.error.message}${r.error.hint ? ` (hint: ${r.error.hint})` : ''}`]
        : [
            r.name,
            KIND_LABEL[r.kind],
            r.roleArn ?? r.account ?? '-',
            r.chain.join(' -> '),
            r.region ?? '-',
            r.mfaSerial !== undefined ? 'yes' : '-',
            r.cached ? `cached until ${clockTime(r.cached.credentials.expiration, now)}` : '-',
          ],
    );
  }
  // Nearly always every cell is printable ASCII, which terminalText leaves as it is: laid out
  // unescaped, each line is checked once (5,000 checks rather than one per cell of 35,000). A line
  // with anything else is laid out again with every cell escaped, as the rule is.
  return layout(cells, header.length, false) ?? (layout(cells, header.length, true) as string);
}

const PRINTABLE_LINE = /^[ -~]*$/;

/** The aligned table, or undefined when `escape` is false and some cell needs escaping. */
function layout(cells: string[][], columns: number, escape: boolean): string | undefined {
  const rows = escape ? cells.map((row, i) => (i === 0 ? row : row.map(terminalText))) : cells;
  const widths: number[] = new Array<number>(columns).fill(0);
  for (const row of rows) {
    // Error rows' message is one long last cell: it does not widen the columns it spills over.
    const widening = row.length === columns ? columns : row.length - 1;
    for (let i = 0; i < widening; i += 1) {
      const length = (row[i] ?? '').length;
      if (length > (widths[i] ?? 0)) widths[i] = length;
    }
  }
  // Padding from a table of blank strings: string concatenation only, no padEnd call per cell.
  const blanks = [''];
  for (let n = 1; n <= Math.max(...widths) + 2; n += 1) blanks.push(`${blanks[n - 1] ?? ''} `);
  let out = '';
  for (const row of rows) {
    let line = '';
    const last = row.length - 1;
    for (let i = 0; i < last; i += 1) {
      const cell = row[i] ?? '';
      line += cell + (blanks[Math.max(0, (widths[i] ?? 0) - cell.length) + 2] ?? '');
    }
    line += row[last] ?? '';
    if (!escape && !PRINTABLE_LINE.test(line)) return undefined;
    out += `${line}\n`;
  }
  return out;
}

export function profilesJson(rows: readonly ProfileRow[]): string {
  return `${JSON.stringify(
    rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      roleArn: r.roleArn ?? null,
      account: r.account ?? null,
      chain: r.chain,
      region: r.region ?? null,
      mfaSerial: r.mfaSerial ?? null,
      cachedUntil: r.cached ? isoSeconds(r.cached.credentials.expiration) : null,
      cachedRoleArn: r.cached?.assumedRoleArn ?? null,
      error: r.error ? { message: r.error.message, hint: r.error.hint ?? null } : null,
    })),
    null,
    2,
  )}\n`;
}
