// `stsx endpoint --check`: the steps in order, each only when the one before it got through, and
// the verdict. The endpoint works when DNS, TCP, TLS (https only) and the unsigned STS probe are
// ok; the signed call may be skipped (no credentials) and the global-endpoint contrast never counts.
import { NetworkError } from '../errors.ts';
import { dnsStep, globalStep, signedStep, skipped, stsStep, tcpStep, tlsStep, type CheckIo, type SignedCall, type StepResult } from './check-steps.ts';
import type { EndpointDescription } from './describe-endpoint.ts';

export interface CheckReport {
  endpoint: EndpointDescription;
  timeoutMs: number;
  steps: StepResult[];
  works: boolean;
  /** The endpoint works for signed calls, but its unsigned answer is not STS's: an emulator or a proxy. */
  notAwsSts?: boolean | undefined;
}

export async function checkEndpoint(d: EndpointDescription, io: CheckIo, signed: SignedCall | undefined): Promise<CheckReport> {
  const dns = await dnsStep(d, io);
  const tcp = dns.status === 'ok' ? await tcpStep(d, dns.addresses ?? [], io) : skipped('tcp', 'the name did not resolve');
  const connected = tcp.status === 'ok' ? tcp.addresses?.[0] : undefined;
  let tls: StepResult;
  if (!d.tls) tls = skipped('tls', 'http:// endpoint: no TLS to check (fine for a local emulator, never for AWS)');
  else if (connected === undefined) tls = skipped('tls', 'no TCP connection');
  else tls = await tlsStep(d, connected, io);
  const reachable = tcp.status === 'ok' && tls.status !== 'failed';
  let sts = reachable ? await stsStep(d, io) : skipped('sts', 'the endpoint is not reachable');
  // Something answered over HTTP, just not as STS does to an unsigned call (moto and LocalStack
  // answer it as S3): the signed call, what every command really does, decides.
  const answeredHttp = sts.status === 'failed' && sts.code?.startsWith('HTTP ') === true;
  const call = sts.status === 'ok' || answeredHttp ? await signedStep(signed, io) : skipped('signed', 'STS did not answer', false);
  const notAwsSts = answeredHttp && call.status === 'ok';
  if (notAwsSts) {
    sts = { ...sts, status: 'ok', fix: undefined, detail: `${sts.detail.replace(/ is not an STS answer: /, ", not STS's own answer: ")}; the signed call works, so this is not AWS's STS (an emulator, or a proxy in between)` };
  }
  const global = await globalStep(d, io);
  const steps = [dns, tcp, tls, sts, call, global];
  const works = [dns, tcp, sts].every((s) => s.status === 'ok') && steps.every((s) => !(s.decisive && s.status === 'failed'));
  return { endpoint: d, timeoutMs: io.timeoutMs, steps, works, ...(notAwsSts ? { notAwsSts } : {}) };
}

/** The one summary line for a failed check; the step report is already on stdout. */
export function checkFailure(report: CheckReport): NetworkError {
  const failed = report.steps.find((s) => s.decisive && s.status === 'failed');
  const host = report.endpoint.hostname;
  const what = failed ? `${failed.title} failed${failed.code ? ` (${failed.code})` : ''}` : 'a check did not pass';
  return new NetworkError(`the STS endpoint ${host} does not work from here: ${what}`, { host, hint: failed?.fix });
}
