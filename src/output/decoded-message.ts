// A person's view of a decoded authorization message (structure: IAM User Guide example of
// DecodeAuthorizationMessage, shared/reference/sts.md H): the verdict first, then what was asked,
// by whom, which statements matched, and the request context's conditions.
import { terminalText } from '../text/terminal-text.ts';

interface Items<T> {
  items?: T[];
}
interface Value {
  value?: string;
}
interface Statement {
  statementId?: string;
  effect?: string;
  actions?: Items<Value>;
  resources?: Items<Value>;
  principals?: Items<Value>;
  conditions?: Items<unknown>;
}
interface DecodedMessage {
  allowed?: boolean | string;
  explicitDeny?: boolean | string;
  matchedStatements?: Items<Statement>;
  failures?: Items<unknown>;
  context?: {
    principal?: { id?: string; arn?: string };
    action?: string;
    resource?: string;
    conditions?: Items<{ key?: string; values?: Items<Value> }>;
  };
}

export function parseDecodedMessage(json: string): DecodedMessage | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' ? (value as DecodedMessage) : undefined;
  } catch {
    return undefined;
  }
}

const truthy = (v: boolean | string | undefined): boolean => v === true || v === 'true';

export function verdict(message: DecodedMessage): string {
  if (truthy(message.allowed)) return 'ALLOWED';
  if (truthy(message.explicitDeny)) return 'DENIED by an explicit Deny statement';
  return 'DENIED: no policy statement allows this request (implicit deny)';
}

/** The full action name: the context has the bare name ("RunInstances") and the service in aws:Service. */
export function fullAction(message: DecodedMessage): string | undefined {
  const action = message.context?.action;
  if (!action) return undefined;
  if (action.includes(':')) return action;
  const service = conditionValues(message, 'aws:Service')[0];
  return service ? `${service}:${action}` : action;
}

function conditionValues(message: DecodedMessage, key: string): string[] {
  const entry = message.context?.conditions?.items?.find((c) => c.key?.toLowerCase() === key.toLowerCase());
  return (entry?.values?.items ?? []).map((v) => v.value ?? '');
}

const list = (items: Items<Value> | undefined): string => (items?.items ?? []).map((i) => i.value ?? '').join(', ') || '-';

export function summarizeDecodedMessage(message: DecodedMessage): string {
  const out: string[] = [`Result     ${verdict(message)}`];
  const action = fullAction(message);
  if (action) out.push(`Action     ${action}`);
  if (message.context?.resource) out.push(`Resource   ${message.context.resource}`);
  const principal = message.context?.principal;
  if (principal?.arn || principal?.id) {
    out.push(`Principal  ${principal.arn ?? ''}${principal.id ? `${principal.arn ? ' ' : ''}(${principal.id})` : ''}`);
  }
  const statements = message.matchedStatements?.items ?? [];
  out.push(statements.length === 0 ? 'Matched statements: none' : 'Matched statements:');
  for (const s of statements) {
    out.push(`  ${(s.effect ?? '?').toUpperCase()} ${s.statementId ? `"${s.statementId}"` : '(no Sid)'}: actions ${list(s.actions)}; resources ${list(s.resources)}`);
    const conditions = s.conditions?.items ?? [];
    if (conditions.length > 0) out.push(`    with conditions ${JSON.stringify(conditions)}`);
  }
  const failures = message.failures?.items ?? [];
  if (failures.length > 0) out.push(`Failures: ${JSON.stringify(failures)}`);
  const conditions = message.context?.conditions?.items ?? [];
  if (conditions.length > 0) {
    out.push('Request context:');
    const width = Math.min(40, Math.max(...conditions.map((c) => (c.key ?? '').length)));
    for (const c of conditions) out.push(`  ${(c.key ?? '').padEnd(width)} = ${(c.values?.items ?? []).map((v) => v.value ?? '').join(', ')}`);
  }
  // Every value came from the server: each line is escaped as a whole (no forged lines, no escapes).
  return out.map(terminalText).join('\n') + '\n';
}
