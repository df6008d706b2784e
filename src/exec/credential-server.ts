// `stsx exec --server`: the container-credentials endpoint (what ECS gives a task) on loopback, so
// the child's SDKs and the AWS CLI fetch credentials themselves and refresh them before they
// expire, however long the child runs.
//
// Security: bound to 127.0.0.1 only; every request must carry the exact random token in
// Authorization (403 otherwise); a Host header other than 127.0.0.1:<port> or localhost:<port> is
// refused (a web page that rebinds a DNS name to 127.0.0.1 cannot read it); GET of the one path
// only. The server lives exactly as long as the child.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isoSeconds } from '../text/expiry.ts';

export interface ServedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  account?: string | undefined;
}

export interface CredentialServerOptions {
  /** The credentials obtained before the child started. */
  initial: ServedCredentials;
  /** Obtains fresh credentials (the cache, else STS); called at most once at a time. */
  refresh(): Promise<ServedCredentials>;
  /** Hand out credentials with at least this much life left (seconds). */
  minTtlSeconds: number;
  now(): Date;
  /** A refresh failed: told once per failed refresh, for stderr. */
  onRefreshError(error: unknown, stillValid: boolean): void;
  /**
   * How long a request waits for a refresh in progress before it is answered with the current,
   * still valid credentials (SDKs give the container endpoint about a second; an MFA prompt or a
   * slow STS takes longer). Default 500 ms.
   */
  refreshWaitMs?: number | undefined;
}

export interface CredentialServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

const CREDENTIALS_PATH = '/stsx/credentials';
/** How long after a failed refresh the still valid credentials are served without trying again. */
const RETRY_AFTER_MS = 5000;

/**
 * When credentials with this lifetime need refreshing: when less than the minimum TTL is left, but
 * never later than half their life (a minimum TTL longer than the session would otherwise ask STS
 * on every request).
 */
export function refreshThresholdSeconds(lifetimeSeconds: number, minTtlSeconds: number): number {
  return Math.min(minTtlSeconds, Math.max(0, lifetimeSeconds) / 2);
}

export function containerAnswer(c: ServedCredentials): string {
  return JSON.stringify({
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: isoSeconds(c.expiration),
    ...(c.account !== undefined ? { AccountId: c.account } : {}),
  });
}

/** Whether a Host header names this server by its loopback address (no other name, no other port). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let current = options.initial;
  let issuedAt = options.now();
  let inFlight: Promise<ServedCredentials> | undefined;
  let failedAt: number | undefined;
  let lastError: unknown;

  const secondsLeft = (): number => (current.expiration.getTime() - options.now().getTime()) / 1000;
  const lifetime = (): number => (current.expiration.getTime() - issuedAt.getTime()) / 1000;

  // Single flight: parallel requests during a refresh all wait for the one call.
  const fresh = async (): Promise<ServedCredentials> => {
    if (secondsLeft() >= refreshThresholdSeconds(lifetime(), options.minTtlSeconds) && secondsLeft() > 0) return current;
    // After a failed refresh, for a few seconds no new call (and no new warning) per request: the
    // current credentials while they are valid, else the same failure.
    if (inFlight === undefined && failedAt !== undefined && options.now().getTime() - failedAt < RETRY_AFTER_MS) {
      if (secondsLeft() > 0) return current;
      throw lastError;
    }
    inFlight ??= options
      .refresh()
      .then(
        (next) => {
          current = next;
          issuedAt = options.now();
          failedAt = undefined;
          return next;
        },
        (error: unknown) => {
          // Told once per failed refresh, however many requests were waiting for it.
          failedAt = options.now().getTime();
          lastError = error;
          options.onRefreshError(error, secondsLeft() > 0);
          throw error;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    const pending = inFlight;
    try {
      // Wait briefly for the refresh; if it takes longer, the current credentials while they last.
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([pending, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), options.refreshWaitMs ?? 500)))]).finally(() => clearTimeout(timer));
      if (waited !== undefined) return waited;
      if (secondsLeft() > 0) {
        pending.catch(() => undefined);
        return current;
      }
      return await pending;
    } catch (error) {
      if (secondsLeft() > 0) return current;
      throw error;
    }
  };

  let port = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void answer(req, res);
  });
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const refuse = (status: number, message: string): void => send(status, JSON.stringify({ Code: 'Refused', Message: message }));
    if (!isLoopbackHost(req.headers.host, port)) return refuse(403, 'the Host header must be this server\'s loopback address');
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return refuse(403, 'missing or wrong authorization token');
    if (req.url !== CREDENTIALS_PATH) return refuse(404, 'no such path');
    if (req.method !== 'GET') return refuse(405, 'only GET');
    try {
      send(200, containerAnswer(await fresh()));
    } catch {
      refuse(500, 'stsx could not refresh the credentials (see its messages on the terminal)');
    }
  };
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
