// Local AWS STS emulator over node:http, speaking the awsQuery wire protocol (sts.md J).
// Tests start it with startStsServer(); `node test/support/sts-server.ts --port 0 --seed-demo`
// runs it standalone and prints one JSON line describing the seeded demo world.
//
// Seeding, in short:
//   const u = server.addUser({ userName: 'alice' });               // AKIA key, account 123456789012
//   server.addRole({ arn, trustedPrincipalArns: [u.arn], externalId, requireMfa, maxSessionDuration });
//   server.fault({ status: 503, times: 1 });                          // 5xx once, then normal service
//   server.fault({ status: 400, code: 'Throttling', action: 'AssumeRole' });
//   server.fault({ status: 200, body: '<broken' }); server.fault({ status: 200, delayMs: 500 }); // bad XML; slow
//   server.fault({ status: 200, body: '<html>', headers: { 'Content-Type': 'text/html' } });  // not STS at all
//   server.fault({ status: 200, body: xml, trickleMs: 1000 });        // the body one byte a second
//   server.answer('GetCallerIdentity', (xml) => xml.replace(...));   // rewrite real answers (hostile fields)
//   server.expireCredentials(keyId?); server.setCredentialLifetime(-1); // ExpiredToken on next use
//   server.denyDecode(u.accessKeyId | principalArn | roleArn);       // AccessDenied on DecodeAuthorizationMessage
//   server.addOidcProvider(account, 'https://token.actions.githubusercontent.com', ['sts.amazonaws.com']);
//   server.addRole({ arn, webIdentity: { issuer, audience: 'sts.amazonaws.com', subject: 'repo:org/repo:*' } });
// Unsupported actions (AssumeRoleWithSAML, GetFederationToken, AssumeRoot...) answer InvalidAction.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { headersFromRaw, type SigV4Request } from './sigv4-verify.ts';
import { authenticate, peekCredential } from './sts-auth.ts';
import { seedDemo } from './sts-demo.ts';
import { OPERATIONS, UNSIGNED_OPERATIONS, assumeRoleWithWebIdentity, runOperation } from './sts-ops.ts';
import { StsError } from './sts-validate.ts';
import { StsState, toIdentity, type StsIdentity, type StsRole } from './sts-state.ts';
import { errorXml, successXml } from './sts-xml.ts';

export type { StsIdentity, StsRole } from './sts-state.ts';

export interface FaultPlan {
  /** HTTP status; 200 with no code/body means "answer normally after delayMs" (a slow answer) */
  status: number;
  code?: string;
  message?: string;
  delayMs?: number;
  /** raw response body (e.g. bad XML), sent instead of an ErrorResponse */
  body?: string;
  /** how many matching requests get it; default Infinity */
  times?: number;
  /** only requests for this Action */
  action?: string;
  /** response headers instead of the usual Date/Content-Type/x-amzn-RequestId (e.g. a captive portal's) */
  headers?: Record<string, string>;
  /** send the body one byte every trickleMs (a stalled proxy); the headers go out at once */
  trickleMs?: number;
}

export interface StsServerOptions {
  /** signing region the server accepts; default 'us-east-1' */
  region?: string;
  /** further accepted signing regions */
  acceptRegions?: string[];
  host?: string;
  port?: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface RecordedRequest {
  method: string;
  path: string;
  action: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  signingRegion?: string;
  accessKeyId?: string;
  status: number;
  errorCode?: string;
}

export interface StsServer {
  url: string;
  port: number;
  region: string;
  addUser(opts: { account?: string; userName: string; accessKeyId?: string; secretAccessKey?: string }): StsIdentity;
  addRole(role: StsRole): void;
  /** an IAM OIDC identity provider in `account` for `issuer`, accepting these client ids (audiences) */
  addOidcProvider(account: string, issuer: string, clientIds: string[]): void;
  /** `oneTime`: a TOTP device, whose code AWS accepts once (a replayed code is refused like a wrong one) */
  setMfaDevice(serial: string, code: string, options?: { oneTime?: boolean }): void;
  setDecodedMessage(encoded: string, decodedJson: string): void;
  disableRegionForAccount(account: string): void;
  /** refuse sts:DecodeAuthorizationMessage to a key id, a principal ARN, or a role ARN (all its sessions) */
  denyDecode(keyIdOrArn: string): void;
  /** expire one issued temporary credential, or all of them when no id is given */
  expireCredentials(accessKeyId?: string): void;
  /** credentials issued from now on live this many seconds (<= 0: already expired); undefined restores DurationSeconds; `operations`: only those issued by these (e.g. ['AssumeRole']) */
  setCredentialLifetime(seconds: number | undefined, operations?: string[]): void;
  /** Appends this to every session token issued from now on ('' to stop). */
  setSessionTokenSuffix(suffix: string): void;
  /** pretend the server clock is off by `ms` (Date header, 15-minute skew window, expiry) */
  setClockOffset(ms: number): void;
  /** mint role-session credentials without a request (e.g. to serve from IMDS); the role must be added */
  issueSession(opts: { roleArn: string; sessionName?: string; durationSeconds?: number }): StsIdentity;
  fault(plan: FaultPlan): void;
  /** What the server knows of a key (for the sign-in server): its secret, token, expiry and principal. */
  lookupCredential(accessKeyId: string): IssuedCredential | undefined;
  /** rewrite the successful answers to one Action (cleared by clearFaults) */
  answer(action: string, rewrite: (xml: string) => string): void;
  clearFaults(): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface IssuedCredential {
  secretAccessKey: string;
  sessionToken: string | undefined;
  expiration: Date | undefined;
  principalKind: 'user' | 'role' | 'federated';
  arn: string;
  /** GetFederationToken's session policy, for federated keys. */
  federationPolicy: string | undefined;
  /** The server's clock. */
  now: Date;
}

const DEFAULT_FAULT_CODES: Record<number, string> = {
  400: 'Throttling', 403: 'AccessDenied', 500: 'InternalFailure', 503: 'ServiceUnavailable',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, requestId: string, now = new Date()): void {
  // An accurate Date header matters: the SDK corrects its clock skew from it (sts.md A.4).
  res.writeHead(status, {
    Date: now.toUTCString(),
    'Content-Type': 'text/xml',
    'x-amzn-RequestId': requestId,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** A response exactly as given: these headers only, the body at once or trickled byte by byte. */
async function sendRaw(res: ServerResponse, status: number, headers: Record<string, string>, body: string, trickleMs: number | undefined): Promise<void> {
  res.writeHead(status, headers);
  if (!trickleMs) {
    res.end(body);
    return;
  }
  res.flushHeaders();
  for (const byte of Buffer.from(body)) {
    if (res.destroyed) return;
    res.write(Buffer.of(byte));
    await sleep(trickleMs);
  }
  res.end();
}

export async function startStsServer(opts: StsServerOptions = {}): Promise<StsServer> {
  const region = opts.region ?? 'us-east-1';
  const regions = new Set([region, ...(opts.acceptRegions ?? [])]);
  const state = new StsState(region);
  const faults: Array<FaultPlan & { left: number }> = [];
  const rewrites = new Map<string, (xml: string) => string>();
  const requests: RecordedRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const sreq: SigV4Request = { method: req.method ?? 'GET', path, query, headers: headersFromRaw(req.rawHeaders), body: raw };
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(query)) if (!k.startsWith('X-Amz-')) params[k] = v;
    // form decoding per WHATWG rules ('+' is a space), as botocore encodes spaces (sts.md A.2)
    if (sreq.method === 'POST') for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) params[k] = v;
    const action = params.Action ?? '';
    const peek = peekCredential(sreq);
    const record: RecordedRequest = {
      method: sreq.method, path, action, params, headers: sreq.headers, body: raw.toString('utf8'), status: 0,
    };
    if (peek.accessKeyId !== undefined) record.accessKeyId = peek.accessKeyId;
    if (peek.region !== undefined) record.signingRegion = peek.region;
    requests.push(record);
    const requestId = randomUUID();
    const reply = (status: number, body: string, code?: string): void => {
      record.status = status;
      if (code !== undefined) record.errorCode = code;
      send(res, status, body, requestId, state.now());
    };

    const fault = faults.find((f) => f.left > 0 && (f.action === undefined || f.action === action));
    if (fault) {
      fault.left -= 1;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.headers !== undefined || fault.trickleMs !== undefined) {
        record.status = fault.status;
        await sendRaw(res, fault.status, fault.headers ?? { Date: state.now().toUTCString(), 'Content-Type': 'text/xml' }, fault.body ?? '', fault.trickleMs);
        return;
      }
      const slowOnly = fault.status === 200 && fault.body === undefined && fault.code === undefined;
      if (!slowOnly) {
        const code = fault.code ?? DEFAULT_FAULT_CODES[fault.status] ?? 'InternalFailure';
        const message = fault.message ?? (code === 'Throttling' ? 'Rate exceeded' : `Injected ${code}`);
        reply(fault.status, fault.body ?? errorXml(fault.status, code, message, requestId), fault.body === undefined ? code : undefined);
        return;
      }
    }

    try {
      if ((sreq.method !== 'POST' && sreq.method !== 'GET') || !OPERATIONS.includes(action) || params.Version !== '2011-06-15') {
        throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`);
      }
      const result = UNSIGNED_OPERATIONS.includes(action)
        ? assumeRoleWithWebIdentity(state, params)
        : runOperation(state, action, params, authenticate(state, sreq, regions, state.now()).cred);
      const xml = successXml(action, result, requestId);
      reply(200, rewrites.get(action)?.(xml) ?? xml);
    } catch (e) {
      const err = e instanceof StsError ? e : new StsError(500, 'InternalFailure', String(e));
      reply(err.status, errorXml(err.status, err.code, err.message, requestId), err.code);
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, errorXml(500, 'InternalFailure', String(e), randomUUID()), randomUUID());
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener) : createHttpServer(listener);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    region,
    requests,
    addUser: (o) => state.addUser(o),
    addRole: (role) => void state.addRole(role),
    addOidcProvider: (account, issuer, clientIds) => {
      const byIssuer = state.oidcProviders.get(account) ?? new Map<string, string[]>();
      byIssuer.set(issuer, clientIds);
      state.oidcProviders.set(account, byIssuer);
    },
    setMfaDevice: (serial, code, options) => {
      state.mfaDevices.set(serial, code);
      if (options?.oneTime) state.usedMfaCodes.set(serial, new Set());
      else state.usedMfaCodes.delete(serial);
    },
    setDecodedMessage: (encoded, json) => void state.messages.set(encoded, json),
    disableRegionForAccount: (account) => void state.disabledAccounts.add(account),
    denyDecode: (k) => void state.decodeDenied.add(k),
    expireCredentials: (id) => state.expire(id),
    setCredentialLifetime: (s, operations) => {
      state.lifetimeOverride = s;
      state.lifetimeOperations = s === undefined || operations === undefined ? undefined : new Set(operations);
    },
    setSessionTokenSuffix: (s) => { state.sessionTokenSuffix = s; },
    setClockOffset: (ms) => { state.clockOffsetMs = ms; },
    issueSession: ({ roleArn, sessionName = 'session', durationSeconds = 3600 }) => {
      const role = state.roles.get(roleArn);
      if (!role) throw new Error(`issueSession: unknown role ${roleArn}`);
      return toIdentity(state.issue(state.rolePrincipal(role, sessionName), durationSeconds, false));
    },
    fault: (plan) => void faults.push({ ...plan, left: plan.times ?? Infinity }),
    lookupCredential: (id) => {
      const c = state.creds.get(id);
      return c && { secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration, principalKind: c.principal.kind, arn: c.principal.arn, federationPolicy: state.federationPolicies.get(id), now: state.now() };
    },
    answer: (action, rewrite) => void rewrites.set(action, rewrite),
    clearFaults: () => {
      faults.splice(0);
      rewrites.clear();
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

// Standalone mode: the JSON line is the only stdout output, so scripts can parse it.
if (import.meta.main) {
  const args = process.argv.slice(2);
  const opts: StsServerOptions = { port: Number(argValue(args, '--port') ?? '0') };
  const host = argValue(args, '--host');
  const region = argValue(args, '--region');
  if (host !== undefined) opts.host = host;
  if (region !== undefined) opts.region = region;
  const server = await startStsServer(opts);
  const seed = args.includes('--seed-demo') ? seedDemo(server) : undefined;
  process.stdout.write(JSON.stringify({ url: server.url, region: server.region, ...(seed ?? { users: [] }) }) + '\n');
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
