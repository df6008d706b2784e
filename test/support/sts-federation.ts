// GetFederationToken in the STS emulator (sts.md; shared/reference/console-and-oidc.md): long-term
// IAM user keys only, Name 2..32 of [\w+=,.@-], DurationSeconds 900..129600 (root: 3600), a
// federated-user principal `arn:<partition>:sts::<account>:federated-user/<Name>`.
import { isoSeconds, type XmlObject } from './sts-xml.ts';
import { Coral, PATTERNS, StsError, checkPolicyJson, structListParam, type Params } from './sts-validate.ts';
import type { Credential, Principal, StsState } from './sts-state.ts';

export function getFederationToken(state: StsState, p: Params, caller: Credential): XmlObject {
  const v = new Coral();
  v.text('name', p.Name, { required: true, pattern: PATTERNS.sessionName, min: 2, max: 32 });
  const duration = v.int('durationSeconds', p.DurationSeconds, 900, 129600) ?? 43200;
  v.text('policy', p.Policy, { pattern: PATTERNS.policy, min: 1 });
  const arns = structListParam(p, 'PolicyArns', ['arn']);
  arns?.forEach((a, i) => v.text(`policyArns.${i + 1}.member.arn`, a.arn, { pattern: PATTERNS.arn, min: 20, max: 2048 }));
  v.throw();
  checkPolicyJson(p.Policy);
  if (caller.sessionToken !== undefined || caller.principal.kind !== 'user') {
    throw new StsError(403, 'AccessDenied', 'Cannot call GetFederationToken with session credentials');
  }
  const root = caller.principal.arn.endsWith(':root');
  if (root && duration > 3600) throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for root.');
  const partition = caller.principal.arn.split(':')[1] ?? 'aws';
  const account = caller.principal.account;
  const principal: Principal = { kind: 'federated', account, arn: `arn:${partition}:sts::${account}:federated-user/${p.Name ?? ''}`, userId: `${account}:${p.Name ?? ''}` };
  const cred = state.issue(principal, duration, false);
  // The policy the session was given: the sign-in tests check that the allow-all one was sent.
  state.federationPolicies.set(cred.accessKeyId, p.Policy);
  return {
    Credentials: { AccessKeyId: cred.accessKeyId, SecretAccessKey: cred.secretAccessKey, SessionToken: cred.sessionToken, Expiration: cred.expiration === undefined ? undefined : isoSeconds(cred.expiration) },
    FederatedUser: { FederatedUserId: principal.userId, Arn: principal.arn },
    PackedPolicySize: p.Policy === undefined ? undefined : Math.max(1, Math.ceil((p.Policy.length * 100) / 2048)),
  };
}
