// The environment `stsx exec` gives its command: the variables the shell formats set (the one list
// in output/credentials/env-vars.ts), plus who it is (STSX_PROFILE, STSX_ROLE_ARN). With --server
// the keys are replaced by the container-credentials URL and token, so the SDK refreshes itself.
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
  | { kind: 'server'; url: string; token: string; region?: string | undefined };

/** Variables that mean "credentials from elsewhere" and would win over (or mix with) the server's. */
const CONTAINER_VARS = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'] as const;

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
  }
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
