// Network limits and proxy settings for STS calls: data only, so resolving them loads nothing.
import type { Env } from '../deps.ts';
import type { Progress } from '../deadline.ts';
import { UsageError } from '../errors.ts';

export interface NetworkLimits {
  /** TCP connect (and TLS) timeout per attempt. */
  connectTimeoutMs: number;
  /** Socket idle timeout per attempt. */
  requestTimeoutMs: number;
  /** Everything at one endpoint (all attempts and retry delays) must finish within this. */
  totalTimeoutMs: number;
  /** Attempts, first included, for throttling, 5xx and transient network errors. */
  maxAttempts: number;
  /** Proxy variables in force (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), if any. */
  proxyEnv?: Record<string, string> | undefined;
  /** Where the session's sockets report the step in progress (DNS, connect, TLS, answer), for timeouts. */
  progress?: Progress | undefined;
}

/**
 * Sizes stsx accepts, from what STS itself allows (shared/reference/sts.md, parameter limits):
 * an answer far beyond any STS response (tokens are a few KB, decoded messages tens of KB), and
 * inputs read from file:// or stdin: a session policy is at most 2048 characters once compacted
 * and an encoded message at most 10240, so 16 KiB leaves room for indentation or the error text
 * around the message, and nothing larger is ever read into memory.
 */
export const SIZE_LIMITS = { responseBytes: 1024 * 1024, policyInputBytes: 16 * 1024, messageInputBytes: 16 * 1024 } as const;

export const DEFAULT_LIMITS: NetworkLimits = { connectTimeoutMs: 3000, requestTimeoutMs: 10000, totalTimeoutMs: 15000, maxAttempts: 3 };

/** Limits from flags, then STSX_* variables, then the defaults. Values are seconds. */
export function resolveLimits(flags: { connectTimeout?: string | undefined; timeout?: string | undefined }, env: Env): NetworkLimits {
  const seconds = (flag: string | undefined, flagName: string, envName: string, fallbackMs: number): number => {
    const raw = flag ?? env[envName];
    if (raw === undefined || raw === '') return fallbackMs;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 600) {
      throw new UsageError(`${flag !== undefined ? flagName : envName} must be a number of seconds between 0 and 600, not ${JSON.stringify(raw)}`);
    }
    return Math.round(value * 1000);
  };
  const connectTimeoutMs = seconds(flags.connectTimeout, '--connect-timeout', 'STSX_CONNECT_TIMEOUT', DEFAULT_LIMITS.connectTimeoutMs);
  const totalTimeoutMs = seconds(flags.timeout, '--timeout', 'STSX_TIMEOUT', DEFAULT_LIMITS.totalTimeoutMs);
  return { connectTimeoutMs, requestTimeoutMs: Math.min(DEFAULT_LIMITS.requestTimeoutMs, totalTimeoutMs), totalTimeoutMs, maxAttempts: DEFAULT_LIMITS.maxAttempts, proxyEnv: proxyEnv(env) };
}

/** The proxy variables Node's agents understand (`proxyEnv`, Node 22.21+/24.5+), upper or lower case. */
export function proxyEnv(env: Env): Record<string, string> | undefined {
  const pick = (name: string): string | undefined => env[name] || env[name.toLowerCase()] || undefined;
  const out: Record<string, string> = {};
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) {
    const value = pick(name);
    if (value) out[name] = value;
  }
  return out.HTTPS_PROXY || out.HTTP_PROXY ? out : undefined;
}

