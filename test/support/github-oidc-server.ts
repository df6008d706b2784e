// A local stand-in for GitHub Actions' OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL):
// GET <url>&audience=<aud> with `Authorization: bearer <request token>` answers {"value": "<JWT>"}.
// The JWT is unsigned-looking (the STS emulator reads its claims without a signature check).
// Faults, each for `times` requests: an HTTP status, a delay, a raw body (non-JSON, huge).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface OidcFault {
  status?: number;
  /** a Location header (with a 3xx status: a redirect) */
  location?: string;
  delayMs?: number;
  body?: string;
  times?: number;
}

export interface GithubOidcServer {
  /** What ACTIONS_ID_TOKEN_REQUEST_URL is set to (it already has a query, as GitHub's has). */
  requestUrl: string;
  requestToken: string;
  /** Claims of the next tokens (aud comes from the request unless set here). */
  claims: Record<string, unknown>;
  requests: Array<{ url: string; authorization: string | undefined; audience: string | null }>;
  fault(f: OidcFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** header.payload.signature, base64url, with a fake signature. */
export function makeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${part(claims)}.${Buffer.from('not-a-real-signature').toString('base64url')}`;
}

export async function startGithubOidcServer(claims: Record<string, unknown> = {}): Promise<GithubOidcServer> {
  const requestToken = 'runner-request-token-SECRET';
  const faults: Array<OidcFault & { left: number }> = [];
  const state: GithubOidcServer = {
    requestUrl: '',
    requestToken,
    claims: { iss: GITHUB_ISSUER, sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', ...claims },
    requests: [],
    fault: (f) => void faults.push({ ...f, left: f.times ?? Infinity }),
    clearFaults: () => void faults.splice(0),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const audience = url.searchParams.get('audience');
    state.requests.push({ url: req.url ?? '', authorization: req.headers.authorization, audience });
    const fault = faults.find((f) => f.left > 0);
    if (fault) {
      fault.left -= 1;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined || fault.body !== undefined) {
        res.writeHead(fault.status ?? 200, { 'Content-Type': 'application/json', ...(fault.location !== undefined ? { Location: fault.location } : {}) });
        res.end(fault.body ?? '{"message":"injected"}');
        return;
      }
    }
    if (req.headers.authorization !== `bearer ${requestToken}`) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"message":"Bad credentials"}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = makeJwt({ aud: audience ?? 'https://github.com/octo-org', iat: now, nbf: now, exp: now + 300, ...state.claims });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ count: token.length, value: token }));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  state.requestUrl = `http://127.0.0.1:${port}/_apis/distributedtask/hubs/build/plans/p/jobs/j/idtoken?api-version=2.0`;
  return state;
}
