// Who a caller is, for a person: the principal kind read from the ARN (IAM User Guide,
// "IAM identifiers" and the aws:userid forms), and the text/JSON views of GetCallerIdentity.
import type { Identity } from '../sts/session.ts';
import { terminalText } from '../text/terminal-text.ts';
import { jsonText } from '../text/json.ts';

export type Principal =
  | { kind: 'iam-user'; name: string; path: string }
  | { kind: 'assumed-role'; role: string; session: string }
  | { kind: 'federated-user'; name: string }
  | { kind: 'root' }
  | { kind: 'other'; resource: string };

export function describePrincipal(arn: string): Principal {
  const match = /^arn:[\w-]+:(iam|sts)::\d{12}:(.+)$/.exec(arn);
  if (!match) return { kind: 'other', resource: arn };
  const [, service, resource = ''] = match;
  if (service === 'iam' && resource === 'root') return { kind: 'root' };
  if (service === 'iam' && resource.startsWith('user/')) {
    const parts = resource.slice('user/'.length).split('/');
    const name = parts.pop() ?? '';
    return { kind: 'iam-user', name, path: parts.length > 0 ? `/${parts.join('/')}/` : '/' };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const [role = '', ...session] = resource.slice('assumed-role/'.length).split('/');
    return { kind: 'assumed-role', role, session: session.join('/') };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) return { kind: 'federated-user', name: resource.slice('federated-user/'.length) };
  return { kind: 'other', resource };
}

export function principalSummary(principal: Principal): string {
  switch (principal.kind) {
    case 'iam-user':
      return `IAM user ${principal.name}${principal.path === '/' ? '' : ` (path ${principal.path})`}`;
    case 'assumed-role':
      return `assumed role ${principal.role}, session ${principal.session}`;
    case 'federated-user':
      return `federated user ${principal.name}`;
    case 'root':
      return 'account root user (avoid using root credentials)';
    case 'other':
      return principal.resource;
  }
}

/** The AWS CLI's `get-caller-identity` JSON (key order and 4-space indent as the CLI prints it). */
export function identityJson(identity: Identity): string {
  return `${jsonText({ UserId: identity.userId, Account: identity.account, Arn: identity.arn }, 4)}\n`;
}

export function identityText(identity: Identity): string {
  const rows: [string, string][] = [
    ['Account', identity.account],
    ['ARN', identity.arn],
    ['User ID', identity.userId],
    ['Principal', principalSummary(describePrincipal(identity.arn))],
  ];
  return rows.map(([k, v]) => `${k.padEnd(10)}${terminalText(v)}`).join('\n') + '\n';
}

export const IDENTITY_FIELDS = ['Account', 'Arn', 'UserId'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export function identityField(identity: Identity, field: IdentityField): string {
  return `${terminalText(field === 'Account' ? identity.account : field === 'Arn' ? identity.arn : identity.userId)}\n`;
}
