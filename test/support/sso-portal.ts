// IAM Identity Center portal stand-in (service `sso`, rest-json) on loopback: GetRoleCredentials
// at GET /federation/credentials?role_name=&account_id= with the bearer token in
// `x-amz-sso_bearer_token`. The SDKs reach it through AWS_ENDPOINT_URL_SSO. Errors are
// `{"message": ...}` with `x-amzn-ErrorType`, as the portal sends them. Also writes the token
// cache the AWS CLI and the SDKs share (~/.aws/sso/cache/<sha1>.json).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface PortalRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** epoch milliseconds, as the portal sends it */
  expiration: number;
}

export interface PortalFault {
  status: number;
  /** x-amzn-ErrorType; none: the answer carries only a status and a body */
  type?: string | undefined;
  message: string;
}

export interface SsoPortal {
  url: string;
  /** An access token and what it may get: `${accountId}/${roleName}` -> credentials. */
  grant(accessToken: string, accountId: string, roleName: string, credentials: PortalRoleCredentials): void;
  /** Every GetRoleCredentials answers this until cleared. */
  fault(fault: PortalFault | undefined): void;
  requests: { path: string; accountId: string | null; roleName: string | null; token: string | undefined }[];
  close(): Promise<void>;
}

export async function startSsoPortal(): Promise<SsoPortal> {
  const grants = new Map<string, Map<string, PortalRoleCredentials>>();
  let fault: PortalFault | undefined;
  const requests: SsoPortal['requests'] = [];

  const json = (res: ServerResponse, status: number, body: unknown, type?: string): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(type ? { 'x-amzn-ErrorType': type } : {}) });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://portal');
    const token = req.headers['x-amz-sso_bearer_token'];
    const accountId = url.searchParams.get('account_id');
    const roleName = url.searchParams.get('role_name');
    requests.push({ path: url.pathname, accountId, roleName, token: typeof token === 'string' ? token : undefined });
    if (req.method !== 'GET' || url.pathname !== '/federation/credentials') {
      json(res, 404, { message: `no such operation: ${req.method ?? ''} ${url.pathname}` }, 'ResourceNotFoundException');
      return;
    }
    if (fault) {
      json(res, fault.status, { message: fault.message }, fault.type);
      return;
    }
    if (!accountId || !roleName) {
      json(res, 400, { message: 'account_id and role_name are required' }, 'InvalidRequestException');
      return;
    }
    const granted = typeof token === 'string' ? grants.get(token) : undefined;
    if (!granted) {
      json(res, 401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
      return;
    }
    const credentials = granted.get(`${accountId}/${roleName}`);
    if (!credentials) {
      json(res, 403, { message: 'No access' }, 'ForbiddenException');
      return;
    }
    json(res, 200, { roleCredentials: credentials });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    grant: (accessToken, accountId, roleName, credentials) => {
      const map = grants.get(accessToken) ?? new Map<string, PortalRoleCredentials>();
      map.set(`${accountId}/${roleName}`, credentials);
      grants.set(accessToken, map);
    },
    fault: (f) => {
      fault = f;
    },
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The token cache entry the AWS CLI writes after `aws sso login`: keyed by the sso-session name
 * (sso_session profiles) or the start URL (legacy profiles).
 */
export function writeSsoToken(home: string, key: string, token: { accessToken: string; expiresAt: Date; startUrl: string; region: string }): string {
  const dir = path.join(home, '.aws', 'sso', 'cache');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${createHash('sha1').update(key).digest('hex')}.json`);
  writeFileSync(file, JSON.stringify({ startUrl: token.startUrl, region: token.region, accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') }));
  return file;
}
