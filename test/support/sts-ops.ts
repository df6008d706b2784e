// STS operations of the emulator: validation, the semantic checks real STS applies (trust,
// external id, MFA, role chaining, session limits, region activation) and the result members.
import { accountFromAccessKeyId } from './access-key-id.ts';
import { isoSeconds, type XmlObject } from './sts-xml.ts';
import { Coral, PATTERNS, StsError, checkPolicyJson, listParam, structListParam, type Params } from './sts-validate.ts';
import { parseRoleArn, type Credential, type RoleRecord, type StsState } from './sts-state.ts';
import { getFederationToken } from './sts-federation.ts';

export const OPERATIONS = ['GetCallerIdentity', 'GetAccessKeyInfo', 'AssumeRole', 'GetSessionToken', 'DecodeAuthorizationMessage', 'AssumeRoleWithWebIdentity'];
/** Operations STS answers without a signature. */
export const UNSIGNED_OPERATIONS = ['AssumeRoleWithWebIdentity'];
OPERATIONS.push('GetFederationToken');

const MFA_BOTH = 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.';
const MFA_BAD_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
const MFA_UNKNOWN_DEVICE =
  'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';

function accessDenied(message: string): StsError {
  return new StsError(403, 'AccessDenied', message);
}

function notAuthorized(caller: Credential, action: string, resource?: string): StsError {
  const on = resource === undefined ? '' : ` on resource: ${resource}`;
  return accessDenied(`User: ${caller.principal.arn} is not authorized to perform: sts:${action}${on}`);
}

function checkRegion(state: StsState, account: string): void {
  if (state.disabledAccounts.has(account)) {
    throw new StsError(403, 'RegionDisabledException',
      `STS is not activated in this region for account:${account}. Your account administrator can activate STS in this region using the IAM Console.`);
  }
}

/** Validates an MFA pair; returns true when a valid pair was presented. */
function checkMfa(state: StsState, serial: string | undefined, code: string | undefined, op: string): boolean {
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) throw accessDenied(MFA_BOTH);
  const expected = state.mfaDevices.get(serial);
  if (expected === undefined) throw accessDenied(op === 'GetSessionToken' ? MFA_UNKNOWN_DEVICE : MFA_BAD_CODE);
  if (expected !== code) throw accessDenied(MFA_BAD_CODE);
  // A TOTP code is good once: AWS refuses a replayed one like a wrong one.
  const used = state.usedMfaCodes.get(serial);
  if (used?.has(code)) throw accessDenied(MFA_BAD_CODE);
  used?.add(code);
  return true;
}

function credentialsXml(c: Credential): XmlObject {
  return {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: c.expiration === undefined ? undefined : isoSeconds(c.expiration),
  };
}

function trusts(role: RoleRecord, caller: Credential): boolean {
  if (role.trustedPrincipalArns === undefined) return true;
  const p = caller.principal;
  const partition = p.arn.split(':')[1] ?? 'aws';
  const names = [p.arn, p.roleArn, p.account, `arn:${partition}:iam::${p.account}:root`, '*'];
  return role.trustedPrincipalArns.some((t) => names.includes(t));
}

function assumeRole(state: StsState, p: Params, caller: Credential): XmlObject {
  const v = new Coral();
  v.text('roleArn', p.RoleArn, { required: true, pattern: PATTERNS.arn, min: 20, max: 2048 });
  v.text('roleSessionName', p.RoleSessionName, { required: true, pattern: PATTERNS.sessionName, min: 2, max: 64 });
  const arns = structListParam(p, 'PolicyArns', ['arn']);
  arns?.forEach((a, i) => v.text(`policyArns.${i + 1}.member.arn`, a.arn, { pattern: PATTERNS.arn, min: 20, max: 2048 }));
  v.text('policy', p.Policy, { pattern: PATTERNS.policy, min: 1 });
  const duration = v.int('durationSeconds', p.DurationSeconds, 900, 43200) ?? 3600;
  const tags = structListParam(p, 'Tags', ['Key', 'Value']);
  v.list('tags', tags, 50, () => `[${(tags ?? []).map((t) => `${t.Key}=${t.Value}`).join(', ')}]`);
  tags?.forEach((t, i) => {
    v.text(`tags.${i + 1}.member.key`, t.Key, { required: true, pattern: PATTERNS.tagKey, min: 1, max: 128 });
    v.text(`tags.${i + 1}.member.value`, t.Value, { required: true, pattern: PATTERNS.tagValue, max: 256 });
  });
  const transitive = listParam(p, 'TransitiveTagKeys');
  v.list('transitiveTagKeys', transitive, 50, () => `[${(transitive ?? []).join(', ')}]`);
  v.text('externalId', p.ExternalId, { pattern: PATTERNS.externalId, min: 2, max: 1224 });
  v.text('serialNumber', p.SerialNumber, { pattern: PATTERNS.serialNumber, min: 9, max: 256 });
  v.text('tokenCode', p.TokenCode, { pattern: PATTERNS.tokenCode, min: 6, max: 6 });
  v.text('sourceIdentity', p.SourceIdentity, { pattern: PATTERNS.sessionName, min: 2, max: 64 });
  v.throw();
  const keys = (tags ?? []).map((t) => (t.Key ?? '').toLowerCase());
  if (new Set(keys).size !== keys.length) {
    throw new StsError(400, 'ValidationError', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
  checkPolicyJson(p.Policy);

  const roleArn = p.RoleArn ?? '';
  const role = state.roles.get(roleArn);
  if (!role || !trusts(role, caller)) throw notAuthorized(caller, 'AssumeRole', roleArn);
  const viaMfa = checkMfa(state, p.SerialNumber, p.TokenCode, 'AssumeRole');
  if (role.requireMfa && !viaMfa && !caller.mfa) throw notAuthorized(caller, 'AssumeRole', roleArn);
  if (role.externalId !== undefined && role.externalId !== p.ExternalId) throw notAuthorized(caller, 'AssumeRole', roleArn);
  checkRegion(state, parseRoleArn(roleArn)?.account ?? '');
  if (caller.principal.kind === 'role' && duration > 3600) {
    throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > (role.maxSessionDuration ?? 3600)) {
    throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  // Stand-in for AWS's packed (compressed) size: plaintext over the documented 2048-char budget.
  const packedChars = (p.Policy?.length ?? 0) + (arns ?? []).reduce((n, a) => n + (a.arn?.length ?? 0), 0) +
    (tags ?? []).reduce((n, t) => n + (t.Key?.length ?? 0) + (t.Value?.length ?? 0) + 4, 0);
  const packed = p.Policy !== undefined || (arns?.length ?? 0) > 0 || (tags?.length ?? 0) > 0
    ? Math.max(1, Math.ceil((packedChars * 100) / 2048)) : undefined;
  if (packed !== undefined && packed > 100) {
    throw new StsError(400, 'PackedPolicyTooLarge', `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`);
  }

  const principal = state.rolePrincipal(role, p.RoleSessionName ?? '');
  const cred = state.issue(principal, duration, false, 'AssumeRole');
  return {
    Credentials: credentialsXml(cred),
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    PackedPolicySize: packed,
    SourceIdentity: p.SourceIdentity,
  };
}

function getSessionToken(state: StsState, p: Params, caller: Credential): XmlObject {
  const v = new Coral();
  const duration = v.int('durationSeconds', p.DurationSeconds, 900, 129600) ?? 43200;
  v.text('serialNumber', p.SerialNumber, { pattern: PATTERNS.serialNumber, min: 9, max: 256 });
  v.text('tokenCode', p.TokenCode, { pattern: PATTERNS.tokenCode, min: 6, max: 6 });
  v.throw();
  if (caller.sessionToken !== undefined) throw accessDenied('Cannot call GetSessionToken with session credentials');
  const mfa = checkMfa(state, p.SerialNumber, p.TokenCode, 'GetSessionToken');
  checkRegion(state, caller.principal.account);
  return { Credentials: credentialsXml(state.issue(caller.principal, duration, mfa, 'GetSessionToken')) };
}

function decodeAuthorizationMessage(state: StsState, p: Params, caller: Credential): XmlObject {
  const v = new Coral();
  v.text('encodedMessage', p.EncodedMessage, { required: true, min: 1, max: 10240 });
  v.throw();
  if (state.isDecodeDenied(caller)) throw notAuthorized(caller, 'DecodeAuthorizationMessage');
  const decoded = state.messages.get(p.EncodedMessage ?? '');
  if (decoded === undefined) {
    throw new StsError(400, 'InvalidAuthorizationMessageException', 'Invalid authorization message: the message is malformed or has expired.');
  }
  return { DecodedMessage: decoded };
}

function getAccessKeyInfo(state: StsState, p: Params): XmlObject {
  const v = new Coral();
  v.text('accessKeyId', p.AccessKeyId, { required: true, pattern: PATTERNS.accessKeyId, min: 16, max: 128 });
  v.throw();
  const id = p.AccessKeyId ?? '';
  // Our own keys are authoritative; otherwise decode like real STS does for modern-format keys.
  const account = state.creds.get(id)?.principal.account ?? accountFromAccessKeyId(id) ?? '000000000000';
  return { Account: account };
}

/** Runs an authenticated operation; throws StsError for error responses. */
export function runOperation(state: StsState, action: string, p: Params, caller: Credential): XmlObject {
  if (action === 'GetFederationToken') return getFederationToken(state, p, caller);
  switch (action) {
    case 'GetCallerIdentity':
      return { Arn: caller.principal.arn, UserId: caller.principal.userId, Account: caller.principal.account };
    case 'GetAccessKeyInfo':
      return getAccessKeyInfo(state, p);
    case 'AssumeRole':
      return assumeRole(state, p, caller);
    case 'GetSessionToken':
      return getSessionToken(state, p, caller);
    case 'DecodeAuthorizationMessage':
      return decodeAuthorizationMessage(state, p, caller);
    default:
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  }
}

/** The JWT's claims, read without checking the signature (the emulator trusts its own tokens). */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/**
 * AssumeRoleWithWebIdentity, unsigned: the token's issuer must be an OIDC provider of the role's
 * account (InvalidIdentityToken otherwise), its audience one of the provider's client ids, and its
 * aud/sub must match the role's trust conditions (AccessDenied otherwise), as IAM does.
 */
export function assumeRoleWithWebIdentity(state: StsState, p: Params): XmlObject {
  const v = new Coral();
  v.text('roleArn', p.RoleArn, { required: true, pattern: PATTERNS.arn, min: 20, max: 2048 });
  v.text('roleSessionName', p.RoleSessionName, { required: true, pattern: PATTERNS.sessionName, min: 2, max: 64 });
  v.text('webIdentityToken', p.WebIdentityToken, { required: true, min: 4, max: 20000 });
  v.text('policy', p.Policy, { pattern: PATTERNS.policy, min: 1 });
  const duration = v.int('durationSeconds', p.DurationSeconds, 900, 43200) ?? 3600;
  v.throw();
  const claims = jwtClaims(p.WebIdentityToken ?? '');
  if (!claims) throw new StsError(400, 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const auds = Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : typeof claims.aud === 'string' ? [claims.aud] : [];
  const roleArn = p.RoleArn ?? '';
  const account = parseRoleArn(roleArn)?.account ?? '';
  const clientIds = state.oidcProviders.get(account)?.get(iss);
  if (!clientIds) throw new StsError(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
  if (!auds.some((a) => clientIds.includes(a))) throw new StsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= state.now().getTime()) {
    throw new StsError(400, 'ExpiredTokenException', 'Token expired: current date/time must be before the expiration date/time');
  }
  const role = state.roles.get(roleArn);
  const trust = role?.webIdentity;
  const denied = new StsError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (!role || !trust || trust.issuer !== iss) throw denied;
  if (trust.audience !== undefined && !auds.includes(trust.audience)) throw denied;
  if (trust.subject !== undefined && !globMatch(trust.subject, sub)) throw denied;
  checkPolicyJson(p.Policy);
  checkRegion(state, account);
  if (duration > (role.maxSessionDuration ?? 3600)) {
    throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const principal = state.rolePrincipal(role, p.RoleSessionName ?? '');
  const cred = state.issue(principal, duration, false, 'AssumeRoleWithWebIdentity');
  return {
    Credentials: credentialsXml(cred),
    SubjectFromWebIdentityToken: sub,
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    Provider: iss.replace(/^https:\/\//, ''),
    Audience: auds[0],
  };
}
