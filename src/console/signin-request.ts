// getSigninToken over HTTP(S), bounded like every STS call: one deadline (--timeout) naming the
// step that hung, the same agents (proxy, abandonable DNS), at most MAX_ANSWER_BYTES read, and an
// answer that is not `{"SigninToken": "..."}` said as such. The request URL carries the
// credentials: it never reaches a message, --debug or an error's cause text.
import type { IncomingMessage } from 'node:http';
import { nodeHttp, nodeHttps } from '../node-builtin.ts';
import { networkAgents, type NetworkLimits } from '../sts/client.ts';
import { startDeadline, type Deadline } from '../deadline.ts';
import { AuthError, ConfigError, NetworkError, StsxError } from '../errors.ts';
import { terminalText } from '../text/terminal-text.ts';
import { holdsSecret, rememberSecrets } from '../text/redact.ts';
import { VERSION } from '../version.ts';

/** A SigninToken is a few KB; anything far beyond is not the sign-in endpoint. */
const MAX_ANSWER_BYTES = 64 * 1024;

interface SigninAnswer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  /** The path asked for (never the query: it carries the credentials). */
  path: string;
}

/** Sends the request (`url` from signinTokenUrl) and returns the SigninToken. `secrets` are kept out of every message. */
export async function getSigninToken(url: string, limits: NetworkLimits, secrets: readonly string[]): Promise<string> {
  const target = new URL(url);
  const host = target.host;
  rememberSecrets(...secrets);
  const deadline = startDeadline(limits.totalTimeoutMs, { kind: 'request', what: `the request to the sign-in endpoint ${host}` });
  const agents = networkAgents({ ...limits, progress: deadline });
  try {
    const answer = await deadline.race(send(target, agents, deadline));
    const token = tokenFrom(answer, host);
    rememberSecrets(token);
    return token;
  } catch (error) {
    throw requestError(error, host, deadline);
  } finally {
    deadline.dispose();
    agents.httpAgent.destroy();
    agents.httpsAgent.destroy();
  }
}

function send(target: URL, agents: ReturnType<typeof networkAgents>, deadline: Deadline): Promise<SigninAnswer> {
  const https = target.protocol === 'https:';
  const request = https ? nodeHttps().request : nodeHttp().request;
  return new Promise<SigninAnswer>((resolve, reject) => {
    const req = request(target, {
      method: 'GET',
      agent: https ? agents.httpsAgent : agents.httpAgent,
      headers: { Accept: 'application/json', 'User-Agent': `stsx/${VERSION}` },
      signal: deadline.signal,
    });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          res.destroy();
          reject(new NetworkError(`this is not the sign-in endpoint's answer: ${target.host} sent more than ${MAX_ANSWER_BYTES / 1024} KiB`, { host: target.host, hint: HINT_NOT_SIGNIN }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks), path: target.pathname }));
    });
    req.end();
  });
}

const HINT_NOT_SIGNIN = 'something other than the AWS sign-in endpoint answered: check STSX_SIGNIN_ENDPOINT, HTTPS_PROXY, and that this network lets you out';

/** The token from a 200 JSON answer; otherwise the reason, naming the status and never the body's secrets. */
function tokenFrom(answer: SigninAnswer, host: string): string {
  const text = answer.body.toString('utf8');
  if (answer.status === 200) {
    let token: unknown;
    try {
      token = (JSON.parse(text) as { SigninToken?: unknown } | null)?.SigninToken;
    } catch {
      token = undefined;
    }
    if (typeof token === 'string' && /^[\x21-\x7e]{1,16384}$/.test(token)) return token;
    throw new NetworkError(`this is not the sign-in endpoint's answer: ${host} answered getSigninToken with ${describe(answer)} (no SigninToken in it)`, { host, hint: HINT_NOT_SIGNIN });
  }
  // No such page: the URL is wrong, and the credentials were never looked at.
  if (answer.status === 404 || answer.status === 405 || answer.status === 410) {
    const said = snippet(text);
    throw new ConfigError(`${host} has no sign-in endpoint at ${terminalText(answer.path)} (HTTP ${answer.status})${said ? `: ${said}` : ''}`, {
      host,
      hint: 'the credentials were not checked: fix STSX_SIGNIN_ENDPOINT (for example https://signin.aws.amazon.com/federation), or unset it to use the partition\'s own',
    });
  }
  if (answer.status >= 400 && answer.status < 500) {
    const said = snippet(text);
    throw new AuthError(`the sign-in endpoint ${host} refused the credentials (HTTP ${answer.status})${said ? `: ${said}` : ''}`, {
      host,
      hint: 'console sign-in takes role sessions and federation tokens only, unexpired; a role session from role chaining takes at most 1 hour (--duration 1h)',
    });
  }
  throw new NetworkError(`the sign-in endpoint ${host} failed: getSigninToken answered ${describe(answer)}`, { host, hint: 'try again later; if it persists, check STSX_SIGNIN_ENDPOINT and HTTPS_PROXY' });
}

function describe(answer: SigninAnswer): string {
  return terminalText(`HTTP ${answer.status}, content-type ${answer.contentType?.slice(0, 60) ?? 'none'}, ${answer.body.length} bytes`);
}

/** The first line of an error answer, short, only when it carries none of the secrets sent (in any spelling). */
function snippet(text: string): string | undefined {
  const line = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  if (line === '' || holdsSecret(text)) return undefined;
  return terminalText(line);
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** Network failures of the request, by step; the request's own URL never appears. */
function requestError(error: unknown, host: string, deadline: Deadline): StsxError {
  if (deadline.signal.aborted) return deadline.timeoutError();
  if (error instanceof StsxError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && DNS_CODES.has(code)) return new NetworkError(`cannot resolve the sign-in host ${host} (${code})`, { host, hint: 'check DNS and HTTPS_PROXY, or STSX_SIGNIN_ENDPOINT' });
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return new NetworkError(`TLS handshake with the sign-in host ${host} failed (${code})`, { host, hint: 'a proxy or middlebox intercepts TLS: set NODE_EXTRA_CA_CERTS to its CA, or check HTTPS_PROXY' });
  return new NetworkError(`cannot reach the sign-in endpoint ${host}${code ? ` (${code})` : ''}`, { host, hint: 'check the network path (firewall, HTTPS_PROXY), or STSX_SIGNIN_ENDPOINT' });
}
