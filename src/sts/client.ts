// The only place an STS client is built: region and endpoint always explicit (never left to the
// SDK's own environment lookups, which ignore AWS_DEFAULT_REGION and AWS_STS_REGIONAL_ENDPOINTS
// and read endpoint overrides from AWS_PROFILE rather than the chosen profile), bounded timeouts,
// and the corporate proxy from HTTPS_PROXY / NO_PROXY.
import type http from 'node:http';
import type https from 'node:https';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';
import { nodeHttp, nodeHttps } from '../node-builtin.ts';
import { DEFAULT_LIMITS, type NetworkLimits } from './limits.ts';

export { DEFAULT_LIMITS, proxyEnv, resolveLimits, type NetworkLimits } from './limits.ts';

export interface InnerClientConfig {
  region: string;
  endpoint: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; httpAgent?: http.Agent; httpsAgent?: https.Agent };
}

/** What every client gets, the credential providers' inner STS clients too, so every hop uses the same endpoint. */
export function innerClientConfig(endpoint: ResolvedEndpoint, limits: NetworkLimits): InnerClientConfig {
  const agents = limits.proxyEnv
    ? { httpAgent: new (nodeHttp().Agent)({ keepAlive: true, proxyEnv: limits.proxyEnv }), httpsAgent: new (nodeHttps().Agent)({ keepAlive: true, proxyEnv: limits.proxyEnv }) }
    : {};
  return {
    region: endpoint.signingRegion,
    endpoint: endpoint.url,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: limits.maxAttempts,
    requestHandler: { connectionTimeout: limits.connectTimeoutMs, requestTimeout: limits.requestTimeoutMs, ...agents },
  };
}

export async function createStsClient(
  endpoint: ResolvedEndpoint,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined,
  limits: NetworkLimits = DEFAULT_LIMITS,
): Promise<STSClient> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  return new STSClient({ ...innerClientConfig(endpoint, limits), ...(credentials ? { credentials } : {}) });
}
