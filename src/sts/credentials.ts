// Source credentials for a command: the SDK's own provider chain for the resolved profile (env,
// SSO, static keys, source_profile/role_arn chains, credential_source, credential_process, web
// identity, container and instance metadata), with every inner STS hop sent to the resolved
// regional endpoint.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedSettings } from '../settings/resolve-settings.ts';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { profileHasCredentials } from '../config/profile.ts';
import type { SourcePlan } from '../assume/plan.ts';
import { innerClientConfig, type NetworkLimits } from './client.ts';

export type MfaCodeProvider = (serial: string) => Promise<string>;

export async function sourceCredentials(
  settings: ResolvedSettings,
  endpoint: ResolvedEndpoint,
  limits: NetworkLimits,
  mfaCodeProvider?: MfaCodeProvider,
): Promise<AwsCredentialIdentityProvider> {
  const { fromEnv, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  // A profile that only sets a region (say, a stale AWS_PROFILE) must not hide exported keys: the
  // SDK would skip the environment for it, warn, and find nothing.
  if (settings.profileName.explicit && !profileHasCredentials(settings.profile) && settings.chain.length === 1 && envHasKeys()) return fromEnv();
  return fromNodeProviderChain({
    // An implicit `default` is left to the chain so environment credentials come first; a chosen
    // profile is passed on (the SDK then skips environment keys, as the AWS CLI does).
    ...(settings.profileName.explicit ? { profile: settings.profileName.name } : {}),
    clientConfig: innerClientConfig(endpoint, limits),
    ...(mfaCodeProvider ? { mfaCodeProvider } : {}),
  });
}


/** Source credentials for `assume`, from the plan's data (see assume/plan.ts). */
export async function sourceProviderFor(
  source: SourcePlan,
  settings: ResolvedSettings,
  endpoint: ResolvedEndpoint,
  limits: NetworkLimits,
  mfaCodeProvider?: MfaCodeProvider,
): Promise<AwsCredentialIdentityProvider> {
  const providers = await import('@aws-sdk/credential-providers');
  const clientConfig = innerClientConfig(endpoint, limits);
  switch (source.kind) {
    case 'profile-chain':
      if (source.profile !== undefined && !profileHasCredentials(settings.profile) && envHasKeys()) return providers.fromEnv();
      return providers.fromNodeProviderChain({ ...(source.profile ? { profile: source.profile } : {}), clientConfig, ...(mfaCodeProvider ? { mfaCodeProvider } : {}) });
    case 'source-profile':
      return providers.fromNodeProviderChain({ profile: source.profile, clientConfig, ...(mfaCodeProvider ? { mfaCodeProvider } : {}) });
    case 'credential-source':
      if (source.source === 'Ec2InstanceMetadata') return providers.fromInstanceMetadata({ timeout: 1000, maxRetries: 1 });
      if (source.source === 'Environment') return providers.fromEnv();
      // As the SDK's own credential_source handling does: the container endpoint, then ECS's legacy one.
      return async () => {
        try {
          return await providers.fromHttp({})();
        } catch {
          return providers.fromContainerMetadata({ timeout: 1000, maxRetries: 1 })();
        }
      };
  }
}

// The SDK's own providers read process.env themselves; this check must look at the same place.
function envHasKeys(): boolean {
  return Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
}
