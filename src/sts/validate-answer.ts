// Is what answered really STS, and is what it issued usable? Pure functions of the raw answer
// (sts/client.ts records it) and the parsed output, so session.ts has one place for the rules
// and the table tests need no server. shared/reference/sts.md A.3/A.4: a success is a 200 with
// `<Op>Response`; an error is a 4xx/5xx `<ErrorResponse>` with `<Error><Code>`.
import { AuthError, NetworkError } from '../errors.ts';
import type { RawAnswer } from './client.ts';
import { terminalText } from '../text/terminal-text.ts';
import { elapsedText, isoSeconds } from '../text/expiry.ts';

const STS_ERROR = /<ErrorResponse[\s>][\s\S]*<Code>[^<]+<\/Code>/;

/** "HTTP 200, content-type text/html, server nginx, body "<html>..."": what answered, escaped. */
export function describeAnswer(answer: RawAnswer): string {
  const header = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(answer.headers)) if (k.toLowerCase() === name) return String(v);
    return undefined;
  };
  const parts = [`HTTP ${answer.status}`];
  parts.push(`content-type ${header('content-type') ?? 'none'}`);
  const server = header('server');
  if (server) parts.push(`server ${server.slice(0, 60)}`);
  const location = header('location');
  if (location) parts.push(`location ${location.slice(0, 100)}`);
  const head = answer.body.subarray(0, 60).toString('utf8').replace(/\uFFFD$/, '');
  parts.push(answer.body.length === 0 ? 'empty body' : `body ${JSON.stringify(head)}${answer.body.length > 60 ? '...' : ''}`);
  return terminalText(parts.join(', '));
}

export function notStsError(answer: RawAnswer, host: string, operation: string, why?: string): NetworkError {
  return new NetworkError(`this is not an STS answer: ${host} answered ${operation} with ${describeAnswer(answer)}${why ? ` (${why})` : ''}`, {
    host,
    hint: 'something other than STS answered (a captive portal, a proxy, another service): check --endpoint-url / AWS_ENDPOINT_URL_STS, HTTPS_PROXY, and that this network lets you out',
  });
}

/**
 * On the error path: true when the answer that made the SDK fail is not an STS error at all, so
 * the SDK's guess ("Unknown", a parse error, a bug) must not reach the user. A 5xx without XML
 * stays a server failure (retried, failed over).
 */
export function isNotStsError(answer: RawAnswer | undefined): answer is RawAnswer {
  if (!answer) return false;
  if (answer.status >= 500) return false;
  if (answer.status < 400) return true;
  return !STS_ERROR.test(answer.body.toString('utf8'));
}

/** On the success path: the answer must be the operation's own `<OpResponse>`. */
export function checkSuccessAnswer(answer: RawAnswer | undefined, host: string, operation: string): void {
  if (!answer) return;
  const text = answer.body.toString('utf8');
  if (answer.status !== 200 || !new RegExp(`<${operation}Response[\\s>]`).test(text)) throw notStsError(answer, host, operation);
}

/** Every named field must be a non-empty string, or the answer is not STS's. */
export function requireFields(fields: Record<string, unknown>, answer: RawAnswer | undefined, host: string, operation: string): void {
  const missing = Object.entries(fields).filter(([, v]) => typeof v !== 'string' || v === '').map(([k]) => k);
  if (missing.length === 0) return;
  const why = `no ${missing.join(', ')}`;
  if (answer) throw notStsError(answer, host, operation, why);
  throw new NetworkError(`this is not an STS answer: ${host} answered ${operation} without ${missing.join(', ')}`, { host });
}

const SKEW_MS = 5 * 60 * 1000;

/**
 * Credentials that are already expired are refused (an `eval` would replace working credentials
 * with dead ones). The server's Date header tells a wrong local clock from a wrong server.
 */
export function checkNotExpired(expiration: Date, now: Date, answer: RawAnswer | undefined, host: string, operation: string): void {
  if (expiration.getTime() > now.getTime()) return;
  const dateHeader = answer ? Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'date')?.[1] : undefined;
  const serverMs = dateHeader ? Date.parse(String(dateHeader)) : Number.NaN;
  const skew = Number.isNaN(serverMs) ? undefined : now.getTime() - serverMs;
  const expired = `${host} answered ${operation} with credentials that expired at ${isoSeconds(expiration)}, ${elapsedText(now.getTime() - expiration.getTime())} ago by this machine's clock`;
  if (skew !== undefined && Math.abs(skew) > SKEW_MS) {
    throw new AuthError(`${expired}; this machine's clock looks wrong: it is ${elapsedText(skew)} ${skew > 0 ? 'ahead of' : 'behind'} the server's (its Date header)`, {
      host,
      hint: 'synchronise the clock (NTP, `timedatectl set-ntp true`) and try again; nothing was printed',
    });
  }
  if (skew === undefined) {
    throw new AuthError(`${expired}; the server sent no Date header to compare clocks with`, {
      host,
      hint: "nothing was printed; check this machine's clock (NTP) and that --endpoint-url points at STS",
    });
  }
  throw new AuthError(`${expired}; this machine's clock agrees with the server's, so the endpoint issued dead credentials`, {
    host,
    hint: 'nothing was printed; check that --endpoint-url points at STS, or try again',
  });
}
