// Times and lengths of time for people, written once: expiry times as ISO 8601 UTC with whole
// seconds and a `Z` (as STS itself sends them), "2026-11-23T12:34:56Z (in 59m)", lengths as
// `1h30m` (flags, prompts, expiry) and elapsed times as `5 min`, `1 h 5 min` (in sentences).

/** `2026-11-23T12:34:56Z`: what the credential formats, the cache listing and people see. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `30s`, `42m`, `1h`, `1h30m`, `12h`: hours and minutes, seconds only below a minute (or when
 * exact, for flag limits). `padMinutes`: `1h05m`, `1h00m`, for a prompt of steady width.
 */
export function durationText(seconds: number, options: { padMinutes?: boolean; exact?: boolean } = {}): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h === 0 && m === 0) return `${s}s`;
  const minutes = options.padMinutes && h > 0 ? `${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m` : '';
  const rest = options.exact && s > 0 ? `${s}s` : '';
  return `${h > 0 ? `${h}h` : ''}${minutes}${rest}`;
}

/** How long ago (or how far apart), in a sentence: `45 s`, `10 min`, `1 h`, `2 h 5 min`. */
export function elapsedText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return `${h} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

export function describeExpiry(expiration: Date, now: Date): string {
  const iso = isoSeconds(expiration);
  const seconds = Math.round((expiration.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return `${iso} (expired)`;
  return `${iso} (in ${durationText(seconds)})`;
}
