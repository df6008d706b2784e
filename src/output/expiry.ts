// "2026-11-23T12:34:56Z (in 59m)": when credentials expire, for a person.
export function describeExpiry(expiration: Date, now: Date): string {
  const iso = expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const seconds = Math.round((expiration.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return `${iso} (expired)`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const rel = h > 0 ? `${h}h${m > 0 ? `${m}m` : ''}` : m > 0 ? `${m}m` : `${seconds}s`;
  return `${iso} (in ${rel})`;
}
