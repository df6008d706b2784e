// The one default role session name, for every issuer (AssumeRole, a role hop of a profile chain,
// AssumeRoleWithWebIdentity): `stsx-<local user>-<unix seconds>`, cleaned to the characters STS
// takes ([\w+=,.@-]) and at most 64 long, so CloudTrail shows who assumed the role and when.

export function defaultSessionName(user: string, now: Date): string {
  const clean = user.replace(/[^\w+=,.@-]/g, '-').replace(/-+/g, '-') || 'user';
  const suffix = `-${Math.floor(now.getTime() / 1000)}`;
  return `stsx-${clean}`.slice(0, 64 - suffix.length) + suffix;
}
