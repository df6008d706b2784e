// An IAM Identity Center stand-in on loopback, faithful to the real wire protocol (rest-json, the
// botocore `sso-oidc` and `sso` models): OIDC RegisterClient, StartDeviceAuthorization, CreateToken
// (authorization code with PKCE verification, device code, refresh token) with the real error
// codes, the browser's authorize page, and the portal's ListAccounts, ListAccountRoles (paginated),
// GetRoleCredentials and Logout. Reached through AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO
// (one server answers both: their paths do not overlap). Faults: slow, 5xx, throttling, revoked tokens.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** epoch milliseconds */
  expiration: number;
}

export interface IdentityCenterOptions {
  /** The start URL this instance answers for. */
  startUrl?: string;
  /** Accounts and the roles assigned in each. */
  accounts?: { accountId: string; accountName: string; roles: string[] }[];
  /** Mints the role credentials GetRoleCredentials returns (e.g. the STS stand-in's issueSession). */
  issue?: (accountId: string, roleName: string) => RoleCredentials;
  /** Seconds an access token lives (default 3600). */
  accessTokenSeconds?: number;
  /** Page size of the list calls when the caller asks for more (default 100, the API's maximum). */
  pageSize?: number;
}

export interface IdentityCenter {
  url: string;
  env: Record<string, string>;
  /** Every request, in order: `METHOD path`. */
  calls: string[];
  /** authorize pages served (browser tabs that reached us) */
  authorizePages: number;
  registrations: number;
  /** Revoke every refresh token issued so far (invalid_grant on refresh). */
  revokeRefreshTokens(): void;
  /** Revoke every access token issued so far (UnauthorizedException at the portal). */
  revokeAccessTokens(): void;
  /** Approve a pending device code by its user code (what the user does in a browser). */
  approveDevice(userCode: string): boolean;
  /** The next N requests to `path` fail like this. */
  fault(path: string, kind: 'throttle' | 'server-error' | 'slow', count?: number, slowMs?: number): void;
  /** Tokens issued, for assertions. */
  issuedAccessTokens(): string[];
  /** Unassign a role: GetRoleCredentials then answers ForbiddenException "No access". */
  unassign(accountId: string, roleName: string): void;
  deviceInterval: number;
  close(): Promise<void>;
}

interface Client {
  secret: string;
  grantTypes: string[];
  redirectUris: string[];
}

export async function startIdentityCenter(opts: IdentityCenterOptions = {}): Promise<IdentityCenter> {
  const startUrl = opts.startUrl ?? 'https://d-1234567890.awsapps.com/start';
  const accounts = opts.accounts ?? [{ accountId: '111122223333', accountName: 'dev', roles: ['Developer', 'ReadOnly'] }];
  const unassigned = new Set<string>();
  const clients = new Map<string, Client>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; used: boolean }>();
  const devices = new Map<string, { clientId: string; userCode: string; approved: boolean; expiresAt: number; lastPoll: number }>();
  const access = new Map<string, { expiresAt: number; revoked: boolean }>();
  const refresh = new Map<string, { clientId: string; revoked: boolean }>();
  const faults = new Map<string, { kind: 'throttle' | 'server-error' | 'slow'; count: number; slowMs: number }>();
  const state = { authorizePages: 0, registrations: 0 };
  const calls: string[] = [];
  const tokenSeconds = opts.accessTokenSeconds ?? 3600;
  const pageSize = opts.pageSize ?? 100;
  const id = (n = 16): string => randomBytes(n).toString('base64url');

  const json = (res: ServerResponse, status: number, body: unknown, errorType?: string): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-ErrorType': `${errorType}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/` } : {}), 'x-amzn-RequestId': id(8) });
    res.end(JSON.stringify(body));
  };
  const oidcError = (res: ServerResponse, status: number, type: string, error: string, description: string): void => json(res, status, { error, error_description: description }, type);
  const portalError = (res: ServerResponse, status: number, type: string, message: string): void => json(res, status, { message }, type);

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '') return {};
    return JSON.parse(text) as Record<string, unknown>;
  };

  const issueToken = (clientId: string): { accessToken: string; tokenType: string; expiresIn: number; refreshToken: string } => {
    const accessToken = `aoa${id(24)}`;
    const refreshToken = `aor${id(24)}`;
    access.set(accessToken, { expiresAt: Date.now() + tokenSeconds * 1000, revoked: false });
    refresh.set(refreshToken, { clientId, revoked: false });
    return { accessToken, tokenType: 'Bearer', expiresIn: tokenSeconds, refreshToken };
  };

  const bearer = (req: IncomingMessage, res: ServerResponse): boolean => {
    const token = req.headers['x-amz-sso_bearer_token'];
    const t = typeof token === 'string' ? access.get(token) : undefined;
    if (!t || t.revoked || t.expiresAt < Date.now()) {
      portalError(res, 401, 'UnauthorizedException', 'Session token not found or invalid');
      return false;
    }
    return true;
  };

  const page = <T>(items: T[], url: URL): { items: T[]; next: string | undefined } => {
    const max = Math.min(Number(url.searchParams.get('max_result') ?? pageSize) || pageSize, pageSize);
    const start = Number(url.searchParams.get('next_token') ?? '0') || 0;
    const slice = items.slice(start, start + max);
    return { items: slice, next: start + max < items.length ? String(start + max) : undefined };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      calls.push(`${req.method ?? ''} ${url.pathname}`);
      const fault = faults.get(url.pathname);
      if (fault && fault.count > 0) {
        fault.count -= 1;
        if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.slowMs));
        else if (fault.kind === 'throttle') return url.pathname.startsWith('/client') || url.pathname === '/token' || url.pathname === '/device_authorization' ? oidcError(res, 429, 'SlowDownException', 'slow_down', 'Rate exceeded') : portalError(res, 429, 'TooManyRequestsException', 'Rate exceeded');
        else return url.pathname.startsWith('/client') || url.pathname === '/token' ? oidcError(res, 500, 'InternalServerException', 'server_error', 'internal failure') : portalError(res, 500, 'InternalServerException', 'internal failure');
      }
      // --- OIDC ---
      if (req.method === 'POST' && url.pathname === '/client/register') {
        const b = await readBody(req);
        const grantTypes = Array.isArray(b.grantTypes) ? (b.grantTypes as string[]) : [];
        const redirectUris = Array.isArray(b.redirectUris) ? (b.redirectUris as string[]) : [];
        if (b.clientType !== 'public' || typeof b.clientName !== 'string') return oidcError(res, 400, 'InvalidRequestException', 'invalid_request', 'clientName and clientType=public are required');
        if (grantTypes.includes('authorization_code') && (redirectUris.length === 0 || b.issuerUrl !== startUrl)) return oidcError(res, 400, 'InvalidRequestException', 'invalid_request', 'authorization_code needs redirectUris and the issuerUrl of this instance');
        const clientId = `client-${id(8)}`;
        const secret = `secret-${id(24)}`;
        clients.set(clientId, { secret, grantTypes, redirectUris });
        state.registrations += 1;
        return json(res, 200, { clientId, clientSecret: secret, clientIdIssuedAt: Math.floor(Date.now() / 1000), clientSecretExpiresAt: Math.floor(Date.now() / 1000) + 90 * 86400 });
      }
      if (req.method === 'GET' && url.pathname === '/authorize') {
        state.authorizePages += 1;
        const p = url.searchParams;
        const client = clients.get(p.get('client_id') ?? '');
        const redirect = p.get('redirect_uri') ?? '';
        if (!client || !client.grantTypes.includes('authorization_code')) return oidcError(res, 400, 'InvalidClientException', 'invalid_client', 'unknown client');
        let redirectUrl: URL;
        try {
          redirectUrl = new URL(redirect);
        } catch {
          return oidcError(res, 400, 'InvalidRedirectUriException', 'invalid_redirect_uri', 'bad redirect_uri');
        }
        // Registered as http://127.0.0.1/oauth/callback; any loopback port is allowed (RFC 8252 7.3).
        const registered = client.redirectUris.some((r) => {
          const u = new URL(r);
          return u.hostname === redirectUrl.hostname && u.pathname === redirectUrl.pathname && u.protocol === redirectUrl.protocol;
        });
        if (!registered || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) return oidcError(res, 400, 'InvalidRequestException', 'invalid_request', 'bad authorize request');
        const code = `code-${id(16)}`;
        codes.set(code, { clientId: p.get('client_id') ?? '', redirectUri: redirect, challenge: p.get('code_challenge') ?? '', used: false });
        redirectUrl.searchParams.set('code', code);
        redirectUrl.searchParams.set('state', p.get('state') ?? '');
        res.writeHead(302, { location: redirectUrl.href });
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/device_authorization') {
        const b = await readBody(req);
        const client = clients.get(String(b.clientId));
        if (!client || client.secret !== b.clientSecret) return oidcError(res, 401, 'InvalidClientException', 'invalid_client', 'bad client');
        if (b.startUrl !== startUrl) return oidcError(res, 400, 'InvalidRequestException', 'invalid_request', 'unknown start URL');
        const deviceCode = `dev-${id(16)}`;
        const userCode = `${id(3).toUpperCase().slice(0, 4)}-${id(3).toUpperCase().slice(0, 4)}`;
        devices.set(deviceCode, { clientId: String(b.clientId), userCode, approved: false, expiresAt: Date.now() + 600_000, lastPoll: 0 });
        const base = `http://${req.headers.host ?? 'localhost'}/device`;
        return json(res, 200, { deviceCode, userCode, verificationUri: base, verificationUriComplete: `${base}?user_code=${encodeURIComponent(userCode)}`, expiresIn: 600, interval: iface.deviceInterval });
      }
      if (req.method === 'GET' && url.pathname === '/device') {
        state.authorizePages += 1;
        const ok = iface.approveDevice(url.searchParams.get('user_code') ?? '');
        res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
        return res.end(ok ? 'approved' : 'unknown code');
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const b = await readBody(req);
        const client = clients.get(String(b.clientId));
        if (!client || client.secret !== b.clientSecret) return oidcError(res, 401, 'InvalidClientException', 'invalid_client', 'bad client');
        if (b.grantType === 'authorization_code') {
          const c = codes.get(String(b.code));
          if (!c || c.used || c.clientId !== b.clientId || c.redirectUri !== b.redirectUri) return oidcError(res, 400, 'InvalidGrantException', 'invalid_grant', 'Invalid authorization code');
          const expect = createHash('sha256').update(String(b.codeVerifier ?? '')).digest('base64url');
          if (expect !== c.challenge) return oidcError(res, 400, 'InvalidGrantException', 'invalid_grant', 'PKCE verification failed');
          c.used = true;
          return json(res, 200, issueToken(String(b.clientId)));
        }
        if (b.grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
          const d = devices.get(String(b.deviceCode));
          if (!d || d.clientId !== b.clientId) return oidcError(res, 400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code');
          if (d.expiresAt < Date.now()) return oidcError(res, 400, 'ExpiredTokenException', 'expired_token', 'Device code expired');
          const now = Date.now();
          const tooSoon = now - d.lastPoll < iface.deviceInterval * 1000 - 200;
          d.lastPoll = now;
          if (!d.approved) return tooSoon ? oidcError(res, 400, 'SlowDownException', 'slow_down', 'Client is polling too quickly') : oidcError(res, 400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
          devices.delete(String(b.deviceCode));
          return json(res, 200, issueToken(String(b.clientId)));
        }
        if (b.grantType === 'refresh_token') {
          const r = refresh.get(String(b.refreshToken));
          if (!r || r.revoked || r.clientId !== b.clientId) return oidcError(res, 400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
          r.revoked = true; // rotated, as Identity Center does
          return json(res, 200, issueToken(String(b.clientId)));
        }
        return oidcError(res, 400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'unsupported grant type');
      }
      // --- portal ---
      if (req.method === 'GET' && url.pathname === '/federation/credentials') {
        if (!bearer(req, res)) return;
        const accountId = url.searchParams.get('account_id') ?? '';
        const roleName = url.searchParams.get('role_name') ?? '';
        const account = accounts.find((a) => a.accountId === accountId);
        if (!account || !account.roles.includes(roleName) || unassigned.has(`${accountId}/${roleName}`)) return portalError(res, 403, 'ForbiddenException', 'No access');
        const creds = opts.issue?.(accountId, roleName) ?? { accessKeyId: `ASIA${id(12).toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 16)}`, secretAccessKey: id(30), sessionToken: id(60), expiration: Date.now() + 3600_000 };
        return json(res, 200, { roleCredentials: creds });
      }
      if (req.method === 'GET' && url.pathname === '/assignment/accounts') {
        if (!bearer(req, res)) return;
        const { items, next } = page(accounts.map(({ accountId, accountName }) => ({ accountId, accountName, emailAddress: `${accountName}@example.com` })), url);
        return json(res, 200, { accountList: items, ...(next ? { nextToken: next } : {}) });
      }
      if (req.method === 'GET' && url.pathname === '/assignment/roles') {
        if (!bearer(req, res)) return;
        const account = accounts.find((a) => a.accountId === url.searchParams.get('account_id'));
        if (!account) return portalError(res, 404, 'ResourceNotFoundException', 'account not found');
        const { items, next } = page(account.roles.filter((r) => !unassigned.has(`${account.accountId}/${r}`)).map((roleName) => ({ roleName, accountId: account.accountId })), url);
        return json(res, 200, { roleList: items, ...(next ? { nextToken: next } : {}) });
      }
      if (req.method === 'POST' && url.pathname === '/logout') {
        const token = req.headers['x-amz-sso_bearer_token'];
        const t = typeof token === 'string' ? access.get(token) : undefined;
        if (!t) return portalError(res, 401, 'UnauthorizedException', 'Session token not found or invalid');
        t.revoked = true;
        res.writeHead(200);
        return res.end();
      }
      return portalError(res, 404, 'ResourceNotFoundException', `no ${req.method ?? ''} ${url.pathname}`);
    })().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { message: String(error) }, 'InternalServerException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const iface: IdentityCenter = {
    url,
    env: { AWS_ENDPOINT_URL_SSO_OIDC: url, AWS_ENDPOINT_URL_SSO: url },
    calls,
    get authorizePages() {
      return state.authorizePages;
    },
    get registrations() {
      return state.registrations;
    },
    revokeRefreshTokens: () => {
      for (const r of refresh.values()) r.revoked = true;
    },
    revokeAccessTokens: () => {
      for (const a of access.values()) a.revoked = true;
    },
    approveDevice: (userCode) => {
      for (const d of devices.values()) {
        if (d.userCode === userCode) {
          d.approved = true;
          return true;
        }
      }
      return false;
    },
    fault: (path, kind, count = 1, slowMs = 0) => faults.set(path, { kind, count, slowMs }),
    issuedAccessTokens: () => [...access.keys()],
    unassign: (accountId, roleName) => unassigned.add(`${accountId}/${roleName}`),
    deviceInterval: 1,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return iface;
}
