// Expiry times: ISO 8601 UTC with whole seconds and a `Z`, as STS itself sends them, and
// "2026-11-23T12:34:56Z (in 59m)" for a person.

/** `2026-11-23T12:34:56Z`: what the credential formats, the cache listing and people see. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function describeExpiry(expiration: Date, now: Date): string {
  const iso = isoSeconds(expiration);
  const seconds = Math.round((expiration.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return `${iso} (expired)`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const rel = h > 0 ? `${h}h${m > 0 ? `${m}m` : ''}` : m > 0 ? `${m}m` : `${seconds}s`;
  return `${iso} (in ${rel})`;
}
