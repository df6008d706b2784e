// A local stand-in for the AWS federation sign-in endpoint (shared/reference/console-and-oidc.md):
// `GET /federation?Action=getSigninToken&Session=<JSON>[&SessionDuration=s]` answers
// `{"SigninToken": "..."}` when the STS emulator (`sts`) issued the credentials and they are a role
// session or a federation token; GetSessionToken credentials get AWS's refusal. `Action=login`
// redirects to the Destination when the token is one it issued. Hostile answers with fault().
//
//   const signin = await startSigninServer({ sts });   // STSX_SIGNIN_ENDPOINT = signin.endpoint
//   signin.fault({ body: '<html>', contentType: 'text/html' });  // not JSON
//   signin.fault({ hang: true });                                  // headers never come
//   signin.fault({ hugeBytes: 2 * 1024 * 1024 });                  // an endless answer
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { StsServer } from './sts-server.ts';

export interface SigninFault {
  status?: number;
  body?: string;
  contentType?: string;
  /** answer 400 with the request line itself (a server that echoes the credentials) */
  echo?: boolean;
  /** answer 400 with JSON quoting the Session's secrets, `/` written `\/` (as PHP's json_encode does) */
  echoJsonEscaped?: boolean;
  /** accept the request and never answer */
  hang?: boolean;
  /** answer 200 with this many bytes of JSON-ish filler */
  hugeBytes?: number;
  times?: number;
}

export interface SigninRequest {
  path: string;
  action: string;
  params: Record<string, string>;
  /** the parsed Session parameter of getSigninToken */
  session?: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown } | undefined;
  status: number;
}

export interface SigninServer {
  url: string;
  /** the federation endpoint URL, for STSX_SIGNIN_ENDPOINT */
  endpoint: string;
  requests: SigninRequest[];
  /** SigninToken -> what it signs in as */
  tokens: Map<string, { arn: string; sessionDuration: number | undefined }>;
  fault(plan: SigninFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export const SESSION_TOKEN_REFUSAL = 'Only federation tokens or assume role tokens may be used for federated login.';

export async function startSigninServer(opts: { sts?: StsServer } = {}): Promise<SigninServer> {
  const requests: SigninRequest[] = [];
  const tokens = new Map<string, { arn: string; sessionDuration: number | undefined }>();
  const faults: Array<SigninFault & { left: number }> = [];
  const sockets = new Set<Socket>();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    const record: SigninRequest = { path: url.pathname, action: params.Action ?? '', params, status: 0 };
    requests.push(record);
    const reply = (status: number, body: string, contentType = 'text/plain', headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };

    const fault = faults.find((f) => f.left > 0);
    if (fault) {
      fault.left -= 1;
      if (fault.hang) return;
      if (fault.echo) return reply(fault.status ?? 400, `bad request: ${req.url ?? ''}`);
      if (fault.echoJsonEscaped) {
        const quoted = JSON.stringify({ message: `rejected session ${params.Session ?? ''}` }).replaceAll('/', '\\/');
        return reply(fault.status ?? 400, quoted, 'application/json');
      }
      if (fault.hugeBytes !== undefined) {
        record.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'A');
        let sent = 0;
        const pump = (): void => {
          while (sent < (fault.hugeBytes ?? 0) && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.write('{"SigninToken":"');
        pump();
        return;
      }
      reply(fault.status ?? 200, fault.body ?? '', fault.contentType ?? 'text/plain');
      return;
    }

    if (record.action === 'getSigninToken') {
      let session: SigninRequest['session'];
      try {
        session = JSON.parse(params.Session ?? '') as SigninRequest['session'];
      } catch {
        session = undefined;
      }
      record.session = session;
      const { sessionId, sessionKey, sessionToken } = session ?? {};
      if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') return reply(400, 'The Session parameter is missing sessionId, sessionKey or sessionToken.');
      const durationRaw = params.SessionDuration;
      const duration = durationRaw === undefined ? undefined : Number(durationRaw);
      if (duration !== undefined && !(Number.isInteger(duration) && duration >= 900 && duration <= 43200)) return reply(400, 'SessionDuration must be between 900 and 43200 seconds.');
      const known = opts.sts?.lookupCredential(sessionId);
      if (opts.sts) {
        if (!known || known.secretAccessKey !== sessionKey || known.sessionToken !== sessionToken) return reply(400, 'The credentials in the Session parameter are invalid.');
        if (known.expiration !== undefined && known.expiration.getTime() <= known.now.getTime()) return reply(400, 'The credentials in the Session parameter have expired.');
        if (known.principalKind === 'user') return reply(400, SESSION_TOKEN_REFUSAL);
        if (known.principalKind === 'federated' && duration !== undefined) return reply(400, 'SessionDuration cannot be used with federation tokens.');
      }
      const token = randomBytes(300).toString('base64url');
      tokens.set(token, { arn: known?.arn ?? sessionId, sessionDuration: duration });
      return reply(200, JSON.stringify({ SigninToken: token }), 'application/json');
    }
    if (record.action === 'login') {
      if (!tokens.has(params.SigninToken ?? '')) return reply(400, 'Invalid SigninToken.');
      return reply(302, '', 'text/plain', { Location: params.Destination ?? 'https://console.aws.amazon.com/' });
    }
    reply(400, `Unknown Action ${JSON.stringify(record.action)}`);
  }

  const server = createServer(handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpoint: `${url}/federation`,
    requests,
    tokens,
    fault: (plan) => void faults.push({ ...plan, left: plan.times ?? Infinity }),
    clearFaults: () => void faults.splice(0),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
