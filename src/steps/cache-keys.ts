// The cache keys of the cached issuers, built here only: who asks (the source's identity), what
// is asked (every request field that changes STS's answer), and where (region, endpoint inputs).
// `stsx assume`, exec and the console share the AssumeRole key; `stsx session-token` and the MFA
// session of an MFA role share the GetSessionToken key, so each reuses the other's session.
import { cacheKey } from '../cache/cache-key.ts';
import { cacheIdentity, type CredentialSource } from '../credentials/source.ts';
import type { AssumePlan } from '../assume/plan.ts';
import { requestOf } from '../issue/assume-role.ts';
import type { LocalSettings } from '../settings/resolve-settings.ts';
import type { CommandContext } from './command-context.ts';

export function assumeCacheKey(ctx: CommandContext, plan: AssumePlan, local: LocalSettings): string {
  return cacheKey({
    kind: 'assume-role',
    source: cacheIdentity(plan.source, local, ctx.deps.env),
    // Every field of the AssumeRole request, so a new one changes the key without an edit here.
    ...requestOf(plan),
    sessionName: plan.sessionNameGiven ? plan.sessionName : undefined,
    // The region and the endpoint inputs decide the partition; the SDK's rules are not loaded here.
    region: local.region.region,
    endpointInputs: local.endpointInputs,
  });
}

export function sessionTokenKey(ctx: CommandContext, source: CredentialSource, local: LocalSettings, durationSeconds: number, mfaSerial: string | undefined): string {
  return cacheKey({
    kind: 'session-token',
    source: cacheIdentity(source, local, ctx.deps.env),
    durationSeconds,
    mfaSerial,
    // The region and the endpoint inputs decide the partition; the SDK's rules are not loaded here.
    region: local.region.region,
    endpointInputs: local.endpointInputs,
  });
}
