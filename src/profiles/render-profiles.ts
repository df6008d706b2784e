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
  const widths = header.map((h) => h.length);
  // Loops rather than map/filter/spread: 5,000 rows are 35,000 cells.
  for (const r of rows) {
    const row = r.error
      ? [r.name, KIND_LABEL.error, `${r.error.message}${r.error.hint ? ` (hint: ${r.error.hint})` : ''}`]
      : [
          r.name,
          KIND_LABEL[r.kind],
          r.roleArn ?? r.account ?? '-',
          r.chain.join(' -> '),
          r.region ?? '-',
          r.mfaSerial !== undefined ? 'yes' : '-',
          r.cached ? `cached until ${clockTime(r.cached.credentials.expiration, now)}` : '-',
        ];
    // Error rows' message is one long last cell: it does not widen the columns it spills over.
    const widening = row.length === header.length ? row.length : row.length - 1;
    for (let i = 0; i < row.length; i += 1) {
      const cell = terminalText(row[i] ?? '');
      row[i] = cell;
      if (i < widening && cell.length > (widths[i] ?? 0)) widths[i] = cell.length;
    }
    cells.push(row);
  }
  const lines: string[] = [];
  for (const row of cells) {
    let line = '';
    const last = row.length - 1;
    for (let i = 0; i < last; i += 1) line += `${(row[i] ?? '').padEnd(widths[i] ?? 0)}  `;
    lines.push(line + (row[last] ?? ''));
  }
  return `${lines.join('\n')}\n`;
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
