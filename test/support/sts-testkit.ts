// Shared helpers for tests that talk to the STS emulator: a real STSClient factory, raw
// signed requests through the SDK's own signer (@smithy/signature-v4), and error assertions.
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';

export interface TestCreds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** node:crypto behind the smithy Checksum interface (hash, or HMAC when given a secret). */
export class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined) {
      this.h = createHash('sha256');
    } else {
      const key = typeof secret === 'string' ? secret
        : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
      this.h = createHmac('sha256', key);
    }
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/** A real STSClient aimed at `endpoint`, never at AWS, with few retries. */
export function stsClient(endpoint: string, creds: TestCreds, opts: { region?: string; maxAttempts?: number; systemClockOffset?: number } = {}): STSClient {
  const credentials = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}) };
  return new STSClient({
    region: opts.region ?? 'us-east-1',
    endpoint,
    credentials,
    maxAttempts: opts.maxAttempts ?? 1,
    ...(opts.systemClockOffset === undefined ? {} : { systemClockOffset: opts.systemClockOffset }),
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Plain HTTP request (so tests control every header, including Host). */
export function rawRequest(url: string, opts: { method: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method: opts.method, path: opts.path, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Sends a request signed by @smithy/signature-v4 (header auth, or a presigned URL with
 * `presign`). `query` goes in the URL; `body` is sent byte for byte as given.
 */
export async function signedRequest(url: string, opts: {
  creds: TestCreds; method?: string; path?: string; query?: Record<string, string>; body?: string;
  contentType?: string; region?: string; presign?: boolean; service?: string;
}): Promise<RawResponse> {
  const u = new URL(url);
  const method = opts.method ?? 'POST';
  const path = opts.path ?? '/';
  const headers: Record<string, string> = { host: u.host };
  if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
  const signer = new SignatureV4({ credentials: opts.creds, region: opts.region ?? 'us-east-1', service: opts.service ?? 'sts', sha256: NodeSha256 });
  const request = { method, protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path, query: opts.query ?? {}, headers, body: opts.body };
  const signed = opts.presign ? await signer.presign(request, { expiresIn: 60 }) : await signer.sign(request);
  const qs = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, '%20');
  return rawRequest(url, { method, path: qs ? `${path}?${qs}` : path, headers: signed.headers, ...(opts.body === undefined ? {} : { body: opts.body }) });
}

/** Awaits a rejection and checks the SDK error's `name` (and message when given). */
export async function rejectsWith(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error, `expected ${name}, but the call succeeded`);
  assert.equal(caught.name, name, `unexpected error: ${caught.name}: ${caught.message}`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}
