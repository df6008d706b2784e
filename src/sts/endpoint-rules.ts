// The SDK's own STS endpoint ruleset and partition table (the same code the STS client runs), so
// hosts for every partition, FIPS and dual-stack come from AWS's rules, not a table of ours.
import type { EndpointRules } from '../endpoint/resolve-endpoint.ts';

export async function loadEndpointRules(): Promise<EndpointRules> {
  const [{ STSClient }, { partition }] = await Promise.all([import('@aws-sdk/client-sts'), import('@aws-sdk/core/client')]);
  // The provider is a pure function of its parameters; the client is built only to reach it.
  const provider = new STSClient({ region: 'us-east-1' }).config.endpointProvider;
  return {
    endpoint(params) {
      const result = provider({ ...params } as Parameters<typeof provider>[0]);
      const schemes = result.properties?.authSchemes as { signingRegion?: string }[] | undefined;
      return { url: result.url.href, signingRegion: schemes?.[0]?.signingRegion };
    },
    partition(region) {
      return partition(region).name;
    },
  };
}
