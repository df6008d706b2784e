// The one deadline for a network step sequence (everything stsx does at one STS endpoint: the
// source credentials, DNS, TCP, TLS, the request and reading the answer), and the name of the
// step in progress, so a timeout says what hung ("DNS lookup of sts.eu-west-1.amazonaws.com")
// and after how long really, not a guess from the configured limit.
//
// Whatever is still pending when the deadline passes is abandoned: the promise given to race()
// is rejected at once, the signal aborts the SDK's request, and main.ts ends the process once the
// error is printed (a getaddrinfo() on libuv's thread pool cannot be cancelled and would otherwise
// keep the process alive for the resolver's own timeouts).
import { NetworkError } from './errors.ts';

type StepKind = 'credentials' | 'dns' | 'connect' | 'tls' | 'request' | 'answer';

export interface Step {
  kind: StepKind;
  /** e.g. "DNS lookup of sts.eu-west-1.amazonaws.com", "TLS handshake with 127.0.0.1:4443". */
  what: string;
}

/** Where a sequence of network steps is now; the client's sockets report into it. */
export interface Progress {
  step(kind: StepKind, what: string): void;
  current(): Step | undefined;
  elapsedMs(): number;
}

export interface Deadline extends Progress {
  readonly ms: number;
  /** Aborts when the deadline passes. */
  readonly signal: AbortSignal;
  /** Settles like `promise`, or rejects with timeoutError() when the deadline passes first. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** The error for "the deadline passed during the current step". */
  timeoutError(cause?: unknown): NetworkError;
  dispose(): void;
}

export function startDeadline(ms: number, fallbackStep: Step, clock: () => number = Date.now): Deadline {
  const started = clock();
  let current: Step | undefined;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  timer.unref?.();
  const progress: Progress = {
    step: (kind, what) => void (current = { kind, what }),
    current: () => current,
    elapsedMs: () => clock() - started,
  };
  const deadline: Deadline = {
    ...progress,
    ms,
    signal: controller.signal,
    timeoutError: (cause) => stepTimeoutError(current ?? fallbackStep, progress.elapsedMs(), cause),
    race<T>(promise: Promise<T>): Promise<T> {
      if (controller.signal.aborted) return Promise.reject(deadline.timeoutError());
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(deadline.timeoutError());
        controller.signal.addEventListener('abort', onAbort, { once: true });
        promise.then(resolve, reject).finally(() => controller.signal.removeEventListener('abort', onAbort));
      });
    },
    dispose: () => clearTimeout(timer),
  };
  return deadline;
}

/** Seconds as a person reads them: 4 s, 9.3 s. */
function seconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} s`;
}

const HINTS: Record<StepKind, (what: string) => string> = {
  credentials: () => 'the source credentials did not arrive in time (credential_process, SSO, instance metadata or a role hop); run with --debug to see which',
  dns: () => 'the nameservers in /etc/resolv.conf do not answer: check DNS (in a subnet without internet access, an STS interface VPC endpoint with private DNS), or use --endpoint-url',
  connect: () => 'nothing accepted the connection in time: check the firewall, security groups, HTTPS_PROXY, or an STS interface VPC endpoint; --connect-timeout sets this limit',
  tls: () => 'something accepted the connection but never completed TLS: a wrong port, a proxy that needs HTTPS_PROXY, or a filtering middlebox',
  request: () => 'the endpoint took the connection but did not answer in time; --timeout sets this limit',
  answer: () => 'the endpoint started answering but did not finish in time (a very slow or stalled proxy); --timeout sets this limit',
};

/** One message for every "took too long": the step by name and the real elapsed time. */
export function stepTimeoutError(step: Step, elapsedMs: number, cause?: unknown): NetworkError {
  const verb = step.kind === 'answer' ? 'did not finish' : step.kind === 'credentials' ? 'did not finish' : 'got no answer';
  return new NetworkError(`${step.what} ${verb} within ${seconds(elapsedMs)}`, { hint: HINTS[step.kind](step.what), cause });
}
