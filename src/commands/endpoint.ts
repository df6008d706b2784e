// `stsx endpoint`: which STS endpoint every other command would use now, and why; with --check,
// whether it works from here (DNS, TCP, TLS, STS itself, a signed call), step by step.
import { UsageError } from '../errors.ts';
import { describeEndpoint } from '../endpoint-check/describe-endpoint.ts';
import { endpointJson, endpointText } from '../endpoint-check/render-endpoint.ts';
import type { SignedCall } from '../endpoint-check/check-steps.ts';
import type { ResolvedSettings } from '../settings/resolve-settings.ts';
import type { NetworkLimits } from '../sts/client.ts';
import { commandSource, limitsFor, mfaCodes, resolveForCommand, sourceProvider, type CommandContext } from '../steps/command-context.ts';

export interface EndpointOptions {
  check?: boolean | undefined;
  output?: string | undefined;
  /** MFA code for the signed call of a profile with mfa_serial. */
  tokenCode?: string | undefined;
}

export function checkEndpointOptions(options: EndpointOptions): { check: boolean; output: 'text' | 'json' } {
  const output = options.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not ${JSON.stringify(output)}`);
  return { check: options.check === true, output };
}

export async function runEndpoint(ctx: CommandContext, raw: EndpointOptions): Promise<void> {
  const options = checkEndpointOptions(raw);
  // Each step of the check is bounded like one connection attempt of every other command
  // (--connect-timeout / STSX_CONNECT_TIMEOUT, default 3 s); the limits also carry the proxy.
  const limits = limitsFor(ctx);
  const settings = await resolveForCommand(ctx);
  const description = describeEndpoint(settings, ctx.deps.env);
  if (!options.check) {
    ctx.deps.stdout.write(options.output === 'json' ? endpointJson(description) : endpointText(description));
    return;
  }
  const [{ checkEndpoint, checkFailure }, { checkJson, checkText }, { nodeProbes }] = await Promise.all([
    import('../endpoint-check/run-checks.ts'),
    import('../endpoint-check/render-check.ts'),
    import('../endpoint-check/probes.ts'),
  ]);
  const stepMs = limits.connectTimeoutMs;
  const signed = await signedCall(ctx, settings, { ...limits, connectTimeoutMs: stepMs, requestTimeoutMs: stepMs, totalTimeoutMs: stepMs, maxAttempts: 1 }, raw.tokenCode);
  try {
    const report = await checkEndpoint(description, { probes: nodeProbes, timeoutMs: stepMs, proxyEnv: limits.proxyEnv }, signed.call);
    ctx.deps.stdout.write(options.output === 'json' ? checkJson(report) : checkText(report));
    if (!report.works) throw checkFailure(report);
  } finally {
    signed.destroy();
  }
}

/**
 * GetCallerIdentity through stsx's own session (same credential chain, client and proxy), one
 * attempt within the step timeout, at this endpoint only: no failover to fallback regions.
 */
async function signedCall(ctx: CommandContext, settings: ResolvedSettings, limits: NetworkLimits, tokenCode?: string): Promise<{ call: SignedCall; destroy(): void }> {
  const { openStsSession } = await import('../sts/session.ts');
  const provider = sourceProvider(ctx, commandSource(ctx, settings), mfaCodes(ctx, tokenCode));
  const session = openStsSession({ ...settings, fallbacks: [] }, { limits, trace: (line) => ctx.diag.debug(line), signer: { kind: 'provider', provider } });
  return {
    call: {
      credentials: async () => void (await session.credentials()),
      getCallerIdentity: () => session.getCallerIdentity(),
    },
    destroy: () => session.destroy(),
  };
}
