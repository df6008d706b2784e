// In-memory world of the STS emulator: IAM users, roles, issued credentials, MFA devices,
// decodable messages and per-account switches. Kept apart from HTTP so operations stay testable.
import { makeAccessKeyId, randomSecret, randomSessionToken, uniqueId } from './access-key-id.ts';

export interface StsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  /** principal seen by GetCallerIdentity */
  account: string;
  arn: string;
  userId: string;
}

export interface StsRole {
  arn: string;
  roleId?: string;
  /** seconds, 3600..43200; default 3600 like IAM */
  maxSessionDuration?: number;
  /** undefined = any principal known to the server; entries may be ARNs, `arn:...:root`, an account id or '*' */
  trustedPrincipalArns?: string[];
  externalId?: string;
  requireMfa?: boolean;
  /** AssumeRoleWithWebIdentity: the trust policy's federated provider and its `aud`/`sub` conditions ('*' globs in sub). */
  webIdentity?: { issuer: string; audience?: string; subject?: string };
}

export interface Principal {
  kind: 'user' | 'role' | 'federated';
  account: string;
  arn: string;
  userId: string;
  /** for assumed-role sessions: the IAM role ARN */
  roleArn?: string;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** set for temporary (ASIA) credentials only */
  sessionToken?: string;
  expiration?: Date;
  principal: Principal;
  /** obtained with MFA (GetSessionToken with a valid code): satisfies requireMfa roles */
  mfa: boolean;
}

export interface RoleRecord extends StsRole {
  roleId: string;
}

export const DEFAULT_ACCOUNT = '123456789012';

/** arn:<partition>:iam::<account>:role/<path/>name -> parts, or undefined. */
export function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m?.[1] && m[2] && m[3] ? { partition: m[1], account: m[2], name: m[3] } : undefined;
}

/** The ARN partition for a signing region, so ARNs look right outside the aws partition. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export class StsState {
  readonly region: string;
  readonly creds = new Map<string, Credential>();
  readonly roles = new Map<string, RoleRecord>();
  /** MFA serial -> accepted one-time code */
  readonly mfaDevices = new Map<string, string>();
  /** TOTP devices (setMfaDevice with oneTime): serial -> the codes already accepted once, refused from then on as AWS does */
  readonly usedMfaCodes = new Map<string, Set<string>>();
  /** encoded message -> decoded JSON */
  readonly messages = new Map<string, string>();
  readonly disabledAccounts = new Set<string>();
  /** GetFederationToken: issued key id -> the session policy it was given */
  readonly federationPolicies = new Map<string, string | undefined>();
  /** account -> issuer URL -> the provider's client ids (audiences): IAM OIDC providers */
  readonly oidcProviders = new Map<string, Map<string, string[]>>();
  /** key ids, principal ARNs or role ARNs refused sts:DecodeAuthorizationMessage */
  readonly decodeDenied = new Set<string>();
  /** when set, issued credentials expire after this many seconds (may be <= 0) */
  lifetimeOverride: number | undefined;
  /** the operations lifetimeOverride applies to (undefined: every one) */
  lifetimeOperations: ReadonlySet<string> | undefined;
  /** Appended to every session token issued (hostile values, e.g. a newline). */
  sessionTokenSuffix = '';
  /** simulated server clock error in ms (Date header, skew checks, expiry all use now()) */
  clockOffsetMs = 0;

  constructor(region: string) {
    this.region = region;
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  addUser(opts: { account?: string; userName: string; accessKeyId?: string; secretAccessKey?: string }): StsIdentity {
    const account = opts.account ?? DEFAULT_ACCOUNT;
    const principal: Principal = {
      kind: 'user',
      account,
      arn: `arn:${partitionOf(this.region)}:iam::${account}:user/${opts.userName}`,
      userId: uniqueId('AIDA'),
    };
    const cred: Credential = {
      accessKeyId: opts.accessKeyId ?? makeAccessKeyId('AKIA', account),
      secretAccessKey: opts.secretAccessKey ?? randomSecret(),
      principal,
      mfa: false,
    };
    this.creds.set(cred.accessKeyId, cred);
    return toIdentity(cred);
  }

  addRole(role: StsRole): RoleRecord {
    if (!parseRoleArn(role.arn)) throw new Error(`not a role ARN: ${role.arn}`);
    const record: RoleRecord = { ...role, roleId: role.roleId ?? uniqueId('AROA') };
    this.roles.set(role.arn, record);
    return record;
  }

  /** Mints temporary credentials for a principal, honouring lifetimeOverride. */
  issue(principal: Principal, durationSeconds: number, mfa: boolean, operation?: string): Credential {
    const overridden = this.lifetimeOperations === undefined || (operation !== undefined && this.lifetimeOperations.has(operation));
    const seconds = (overridden ? this.lifetimeOverride : undefined) ?? durationSeconds;
    const cred: Credential = {
      accessKeyId: makeAccessKeyId('ASIA', principal.account),
      secretAccessKey: randomSecret(),
      sessionToken: randomSessionToken() + this.sessionTokenSuffix,
      // whole seconds: the wire format has no milliseconds, keep both views identical
      expiration: new Date(Math.floor(this.now().getTime() / 1000) * 1000 + seconds * 1000),
      principal,
      mfa,
    };
    this.creds.set(cred.accessKeyId, cred);
    return cred;
  }

  /** Role-session principal for `arn` and `sessionName` (the role must be registered). */
  rolePrincipal(role: RoleRecord, sessionName: string): Principal {
    const parts = parseRoleArn(role.arn);
    if (!parts) throw new Error(`not a role ARN: ${role.arn}`);
    return {
      kind: 'role',
      account: parts.account,
      arn: `arn:${parts.partition}:sts::${parts.account}:assumed-role/${parts.name}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      roleArn: role.arn,
    };
  }

  /** Expires one temporary credential, or every temporary credential when no id is given. */
  expire(accessKeyId?: string): void {
    const past = new Date(this.now().getTime() - 1000);
    for (const cred of this.creds.values()) {
      if (cred.sessionToken === undefined) continue;
      if (accessKeyId === undefined || cred.accessKeyId === accessKeyId) cred.expiration = past;
    }
  }

  isDecodeDenied(cred: Credential): boolean {
    const p = cred.principal;
    return [cred.accessKeyId, p.arn, p.roleArn].some((k) => k !== undefined && this.decodeDenied.has(k));
  }
}

export function toIdentity(cred: Credential): StsIdentity {
  const id: StsIdentity = {
    accessKeyId: cred.accessKeyId,
    secretAccessKey: cred.secretAccessKey,
    account: cred.principal.account,
    arn: cred.principal.arn,
    userId: cred.principal.userId,
  };
  if (cred.sessionToken !== undefined) id.sessionToken = cred.sessionToken;
  if (cred.expiration !== undefined) id.expiration = cred.expiration;
  return id;
}
