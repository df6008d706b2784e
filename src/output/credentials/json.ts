// json: exactly the credential_process contract (AWS SDKs and CLI, "Sourcing credentials with an
// external process"), so `credential_process = stsx assume ... --format json` works in
// ~/.aws/config. Nothing else goes in: the SDKs read only these keys, and region has no place.
import { formatExpiration } from './env-vars.ts';
import type { CredentialOutput } from './types.ts';
import { jsonText } from '../../text/json.ts';

export function renderJson(out: CredentialOutput): string {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = out.credentials;
  const body: Record<string, string | number> = { Version: 1, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey };
  // Both optional in the contract; without Expiration the SDKs treat the keys as long-lived.
  if (sessionToken !== undefined) body['SessionToken'] = sessionToken;
  if (expiration !== undefined) body['Expiration'] = formatExpiration(expiration);
  // Indent 2 and a final newline, as `aws configure export-credentials` prints it. JSON escapes
  // any character, so unlike the shell formats nothing is refused here.
  return `${jsonText(body, 2)}\n`;
}
