// Credential errors name the real source (the environment, which profile, which process, SSO,
// the instance role) rather than the profile name the session was opened with, and say the way
// out that fits that source.
import { AuthError, StsxError } from '../errors.ts';
import { describeSource, type CredentialSource } from './source.ts';

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

/** The innermost source: the one whose credentials are actually sent first. */
function root(source: CredentialSource): CredentialSource {
  return source.kind === 'role-chain' ? root(source.source) : source;
}

function freshHint(source: CredentialSource): string {
  const r = root(source);
  switch (r.kind) {
    case 'environment':
      return 'assume the role again (eval "$(stsx assume ...)"), or drop the exported credentials to use your profile\'s: eval "$(stsx unset)"';
    case 'sso':
      return `run: stsx login --profile ${r.profile}`;
    case 'process':
      return `the credential_process of profile "${r.profile}" returned them; run it by hand (or log in again with the tool it calls)`;
    case 'keys':
      return `replace the keys of profile "${r.profile}"${r.sessionToken ? ' (its aws_session_token is temporary)' : ''}`;
    default:
      return 'get fresh credentials and try again';
  }
}

export function explainCredentialError(error: unknown, source: CredentialSource, operation?: string): unknown {
  if (!(error instanceof StsxError)) return error;
  if (error instanceof AuthError && error.code !== undefined && EXPIRED.has(error.code) && !/^the credentials in the environment/.test(error.message)) {
    // The credentials sent first are the innermost source's (every role hop on top is fresh).
    return new AuthError(`${describeSource(root(source))} have expired (${error.code})`, { code: error.code, hint: freshHint(source), cause: error });
  }
  const r = root(source);
  if (error instanceof AuthError && error.code === 'InvalidClientTokenId' && !error.message.includes('; source: ')) {
    const fromEnv = r.kind === 'environment' ? '; to use your profile instead: eval "$(stsx unset)"' : '';
    return new AuthError(`${error.message}; source: ${describeSource(r)}`, { code: error.code, hint: `${error.hint ?? ''}${fromEnv}`, cause: error });
  }
  if (
    error instanceof AuthError &&
    (error.code === 'AccessDenied' || error.code === 'AccessDeniedException') &&
    operation === 'AssumeRole' &&
    r.kind === 'environment' &&
    /:assumed-role\//.test(error.message)
  ) {
    return new AuthError(error.message, {
      code: error.code,
      hint: 'the source credentials are a role session exported in this shell (stsx assume chains from it); start from your own credentials: eval "$(stsx unset)", or pass --profile <your base profile>',
      cause: error,
    });
  }
  return error;
}
