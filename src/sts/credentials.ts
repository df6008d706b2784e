// Source credentials are chosen by credentials/source.ts (one strategy per kind) and built by
// credentials/providers.ts; every command passes them to openStsSession as `provider`. A session
// opened without one is a bug, not a reason to guess.
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { InternalError } from '../errors.ts';

export type MfaCodeProvider = (serial: string) => Promise<string>;

export function sourceCredentials(..._unused: unknown[]): Promise<AwsCredentialIdentityProvider> {
  return Promise.reject(new InternalError('an STS session was opened without a credential source', { hint: 'this is a bug in stsx; run again with --debug and report the output' }));
}
