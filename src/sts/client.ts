// The only place an STS client is built: region and endpoint always explicit (never left to the
// SDK's own environment lookups, which ignore AWS_DEFAULT_REGION and AWS_STS_REGIONAL_ENDPOINTS
// and read endpoint overrides from AWS_PROFILE rather than the chosen profile).
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ResolvedEndpoint } from '../endpoint/resolve-endpoint.ts';

export interface NetworkLimits {
  /** TCP connect (and TLS) timeout per attempt. */
  connectTimeoutMs: number;
  /** Socket idle timeout per attempt. */
  requestTimeoutMs: number;
  /** Attempts, first included, for throttling, 5xx and transient network errors. */
  maxAttempts: number;
}

export const DEFAULT_LIMITS: NetworkLimits = { connectTimeoutMs: 3000, requestTimeoutMs: 10000, maxAttempts: 3 };

/** What the credential providers' own inner STS clients get, so every hop uses the same endpoint. */
export interface InnerClientConfig {
  region: string;
  endpoint: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

export function innerClientConfig(endpoint: ResolvedEndpoint, limits: NetworkLimits): InnerClientConfig {
  return {
    region: endpoint.signingRegion,
    endpoint: endpoint.url,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: limits.maxAttempts,
    requestHandler: { connectionTimeout: limits.connectTimeoutMs, requestTimeout: limits.requestTimeoutMs },
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
