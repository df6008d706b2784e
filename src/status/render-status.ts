// `stsx status` for a person (text), a script (JSON) and a shell prompt (`Admin@222222222222 42m`).
// Everything read from the environment or the cache reaches a terminal escaped; the JSON is
// escaped by JSON.stringify. No secret appears: the access key id is masked.
import { describeExpiry, durationText, isoSeconds } from '../text/expiry.ts';
import { describePrincipal } from '../output/identity.ts';
import { terminalText } from '../text/terminal-text.ts';
import type { Status } from './read-status.ts';
import { accountFromArn } from '../cache/cache-entry.ts';
import { jsonText } from '../text/json.ts';

/** `42m`, `1h05m`, `30s`: short enough for a prompt. */
export function shortDuration(seconds: number): string {
  return durationText(seconds, { padMinutes: true });
}

/** Who, for the prompt: the role and account of an assumed role, else what is known. */
function shortIdentity(status: Status): string {
  const e = status.entry;
  if (!e) return 'unknown';
  if (e.kind === 'session-token') return e.profile !== undefined ? `session@${e.profile}` : 'session';
  const principal = e.assumedRoleArn !== undefined ? describePrincipal(e.assumedRoleArn) : undefined;
  const role = principal?.kind === 'assumed-role' ? principal.role : (e.roleArn?.split('/').pop() ?? 'role');
  const account = e.account ?? accountFromArn(e.roleArn);
  return account ? `${role}@${account}` : role;
}

/** One line (or nothing when there are no credentials), for PS1, starship or oh-my-posh. */
export function statusPrompt(status: Status): string {
  if (status.state === 'none') return '';
  const left = status.state === 'expired' ? 'expired' : status.remainingSeconds !== undefined ? shortDuration(status.remainingSeconds) : '';
  return `${terminalText([shortIdentity(status), left].filter((s) => s !== '').join(' '))}\n`;
}

export function statusText(status: Status, now: Date): string {
  const rows: Array<[string, string]> = [];
  if (status.state === 'none') {
    rows.push(['status', 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID is not set)']);
  } else {
    const e = status.entry;
    rows.push(['status', status.state === 'expired' ? 'expired' : 'valid']);
    rows.push(['access key', `${status.accessKeyId ?? ''} (AWS_ACCESS_KEY_ID)`]);
    if (e) {
      if (e.assumedRoleArn !== undefined) rows.push(['identity', e.assumedRoleArn]);
      if (e.roleArn !== undefined) rows.push(['role', e.roleArn]);
      if (e.account !== undefined) rows.push(['account', e.account]);
      if (e.sessionName !== undefined) rows.push(['session', e.sessionName]);
      rows.push(['source', `stsx ${e.kind === 'assume-role' ? 'assume' : 'session-token'}${e.profile !== undefined ? ` --profile ${e.profile}` : ''}, by ${e.endpoint} at ${isoSeconds(e.createdAt)}${e.mfaSerial !== undefined ? ', with MFA' : ''}`]);
    } else {
      rows.push(['identity', 'unknown, not issued by stsx (or its cache entry is gone); `stsx whoami` asks STS']);
    }
    rows.push(['expires', status.expiration ? `${describeExpiry(status.expiration, now)}${status.expirationFrom === 'cache' ? ' (from the cache entry)' : ''}` : 'unknown (no AWS_CREDENTIAL_EXPIRATION)']);
  }
  for (const problem of status.problems) rows.push(['warning', problem]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${terminalText(v)}\n`).join('');
}

export function statusJson(status: Status): string {
  const e = status.entry;
  return `${jsonText(
    {
      state: status.state,
      accessKeyId: status.accessKeyId ?? null,
      issuedByStsx: e !== undefined,
      identity: e
        ? { assumedRoleArn: e.assumedRoleArn ?? null, roleArn: e.roleArn ?? null, account: e.account ?? null, sessionName: e.sessionName ?? null }
        : null,
      source: e
        ? { command: e.kind === 'assume-role' ? 'assume' : 'session-token', profile: e.profile ?? null, endpoint: e.endpoint, region: e.region, mfa: e.mfaSerial !== undefined, createdAt: isoSeconds(e.createdAt) }
        : null,
      expiration: status.expiration ? isoSeconds(status.expiration) : null,
      expirationFrom: status.expirationFrom ?? null,
      remainingSeconds: status.remainingSeconds ?? null,
      problems: status.problems,
    },
    2,
  )}\n`;
}
