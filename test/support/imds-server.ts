// EC2 instance metadata (IMDSv2) emulator: the token PUT plus the few GET paths the JS SDK
// reads (sts.md G.1). Point the SDK at it with AWS_EC2_METADATA_SERVICE_ENDPOINT=<url>.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface ImdsCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

export interface ImdsServer {
  url: string;
  setRegion(r: string): void;
  /** the instance profile role (IMDS serves exactly one) and the credentials it hands out */
  setRole(name: string, creds: ImdsCredentials): void;
  /** hadToken: the request carried an x-aws-ec2-metadata-token header (valid or not) */
  requests: { method: string; path: string; hadToken: boolean }[];
  close(): Promise<void>;
}

const CREDS_PREFIX = '/latest/meta-data/iam/security-credentials/';

export async function startImdsServer(opts: { region?: string; requireToken?: boolean; port?: number } = {}): Promise<ImdsServer> {
  let region = opts.region ?? 'us-east-1';
  let role: { name: string; creds: ImdsCredentials; updated: string } | undefined;
  const requireToken = opts.requireToken ?? true;
  const tokens = new Map<string, number>(); // token -> expiry (ms since epoch)
  const requests: ImdsServer['requests'] = [];

  const reply = (res: ServerResponse, status: number, body: string, type = 'text/plain', ttl?: string): void => {
    const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) };
    if (ttl !== undefined) headers['x-aws-ec2-metadata-token-ttl-seconds'] = ttl;
    res.writeHead(status, headers);
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const tokenHeader = req.headers['x-aws-ec2-metadata-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    requests.push({ method: req.method ?? '', path, hadToken: token !== undefined });

    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return reply(res, 405, 'Method Not Allowed');
      const ttlText = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
      const ttl = Number(ttlText);
      // real IMDS: TTL must be an integer 1..21600, otherwise 400
      if (typeof ttlText !== 'string' || !/^\d+$/.test(ttlText) || ttl < 1 || ttl > 21600) return reply(res, 400, 'Bad Request');
      const t = randomBytes(42).toString('base64url');
      tokens.set(t, Date.now() + ttl * 1000);
      return reply(res, 200, t, 'text/plain', ttlText);
    }
    if (req.method !== 'GET') return reply(res, 405, 'Method Not Allowed');

    // IMDSv2: a present token must be valid; without one, only IMDSv1 mode answers.
    const expiry = token === undefined ? undefined : tokens.get(token);
    const valid = expiry !== undefined && expiry > Date.now();
    if ((token !== undefined || requireToken) && !valid) return reply(res, 401, 'Unauthorized');
    const ttl = valid ? String(Math.ceil((expiry - Date.now()) / 1000)) : undefined;

    if (path === '/latest/meta-data/placement/region') return reply(res, 200, region, 'text/plain', ttl);
    if (path === CREDS_PREFIX || path === CREDS_PREFIX.slice(0, -1)) {
      return role ? reply(res, 200, role.name, 'text/plain', ttl) : reply(res, 404, 'Not Found');
    }
    if (role && (path === CREDS_PREFIX + role.name || path === `${CREDS_PREFIX}${role.name}/`)) {
      const { AccessKeyId, SecretAccessKey, Token, Expiration } = role.creds;
      const body = JSON.stringify(
        { Code: 'Success', LastUpdated: role.updated, Type: 'AWS-HMAC', AccessKeyId, SecretAccessKey, Token, Expiration }, null, 2);
      return reply(res, 200, body, 'text/plain', ttl); // real IMDS labels this JSON text/plain
    }
    return reply(res, 404, 'Not Found');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRegion: (r) => { region = r; },
    setRole: (name, creds) => {
      role = { name, creds: { ...creds }, updated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
