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
  const cells = rows.map((r) =>
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
  ).map((row) => row.map(terminalText));
  // Error rows' message is one long last cell: it does not widen the columns it spills over.
  const widths = header.map((h, i) => Math.max(h.length, ...cells.filter((c) => c.length === header.length || i < c.length - 1).map((c) => (c[i] ?? '').length)));
  const line = (row: string[]): string => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[header, ...cells].map(line).join('\n')}\n`;
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
