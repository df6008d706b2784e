// The environment `stsx exec` gives its command: the variables the shell formats set (the one list
// in output/credentials/env-vars.ts), plus who it is (STSX_PROFILE, STSX_ROLE_ARN). With --server
// the keys are replaced by the container-credentials URL and token, so the SDK refreshes itself.
//
// Every SDK and the AWS CLI look at the container endpoint only after the environment keys, web
// identity variables and the shared files' profile (the default one, or AWS_PROFILE) came up
// empty. So under --server the child is pointed at a profile that exists but holds no
// credentials, only a region: AWS_PROFILE names it, and AWS_CONFIG_FILE names a private copy of
// the user's config with that section added (exec/config-overlay.ts), so `--profile other` still
// works in the child. Keys in [default] of the credentials file then stay unread.
import type { Env } from '../deps.ts';
import { credentialEnv, SECRET_VARS } from '../output/credentials/env-vars.ts';
import type { CredentialOutput, EnvAssignment } from '../output/credentials/types.ts';

export interface ChildIdentity {
  /** The profile the credentials came from. */
  profile: string;
  /** The role assumed, or undefined for the profile's own credentials. */
  roleArn?: string | undefined;
}

export type ChildCredentials =
  | { kind: 'keys'; out: CredentialOutput }
  | { kind: 'server'; url: string; token: string; region?: string | undefined; overlay: ConfigOverlayRef };

/** The config copy the child reads under --server, and the credential-less profile in it. */
export interface ConfigOverlayRef {
  configFile: string;
  profile: string;
}

/** Variables that mean "credentials from elsewhere" and would win over (or mix with) the server's. */
const CONTAINER_VARS = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'] as const;

/**
 * Web identity from the environment: every SDK reads it before the container endpoint, and the
 * botocore and JS chains before the shared files. The child is the role stsx names, not that one.
 */
const OTHER_IDENTITY_VARS = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_SESSION_NAME'] as const;

/** The ordered assignments for the child (null: remove). */
export function childAssignments(credentials: ChildCredentials, who: ChildIdentity): EnvAssignment[] {
  const list: EnvAssignment[] = [];
  if (credentials.kind === 'keys') {
    list.push(...credentialEnv(credentials.out));
  } else {
    // The same list with the keys and their expiry taken out: the server hands out fresh ones.
    const placeholder = { accessKeyId: '', secretAccessKey: '' };
    for (const a of credentialEnv({ credentials: placeholder, region: credentials.region })) {
      list.push(SECRET_VARS.has(a.name) || a.name === 'AWS_CREDENTIAL_EXPIRATION' ? { name: a.name, value: null } : a);
    }
    list.push(...CONTAINER_VARS.map((name) => ({ name, value: null })));
    list.push({ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: credentials.url }, { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN', value: credentials.token });
    // After the list above removed AWS_PROFILE and AWS_DEFAULT_PROFILE. AWS_SDK_LOAD_CONFIG: the Go
    // SDK v1 reads the config file (where the profile is) only when it is set.
    list.push(
      { name: 'AWS_CONFIG_FILE', value: credentials.overlay.configFile },
      { name: 'AWS_PROFILE', value: credentials.overlay.profile },
      { name: 'AWS_SDK_LOAD_CONFIG', value: '1' },
    );
  }
  list.push(...OTHER_IDENTITY_VARS.map((name) => ({ name, value: null })));
  list.push({ name: 'STSX_PROFILE', value: who.profile }, { name: 'STSX_ROLE_ARN', value: who.roleArn ?? null });
  return list;
}

/** The child's whole environment: ours with the assignments applied (names match case-insensitively on Windows). */
export function childEnv(base: Env, assignments: readonly EnvAssignment[], platform: NodeJS.Platform): Record<string, string> {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  const same = platform === 'win32' ? (a: string, b: string) => a.toUpperCase() === b.toUpperCase() : (a: string, b: string) => a === b;
  for (const { name, value } of assignments) {
    for (const existing of Object.keys(env)) if (same(existing, name)) delete env[existing];
    if (value !== null) env[name] = value;
  }
  return env;
}

/** When we run inside `stsx exec`: what the outer one set, for the note about chaining. */
export function outerExec(env: Env): ChildIdentity | undefined {
  if (env.STSX_PROFILE === undefined && env.STSX_ROLE_ARN === undefined) return undefined;
  return { profile: env.STSX_PROFILE ?? 'default', roleArn: env.STSX_ROLE_ARN };
}
