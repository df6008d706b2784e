// Server-side parameter validation with real STS's Coral-style messages (sts.md B.1/B.2).
// Neither the JS SDK nor botocore validates max lengths or patterns, so a CLI only ever sees
// these errors from the server; the emulator has to produce them word for word.

/** An STS error response: HTTP status, wire code and message. */
export class StsError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export type Params = Record<string, string>;

/** A model pattern: `text` is shown in messages exactly as the model spells it. */
export interface Pattern {
  text: string;
  re: RegExp;
}

function pattern(text: string, source = text): Pattern {
  return { text, re: new RegExp(`^(?:${source})$`, 'u') };
}

export const PATTERNS = {
  arn: pattern(
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
    '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]+',
  ),
  sessionName: pattern('[\\w+=,.@-]*'),
  externalId: pattern('[\\w+=,.@:\\/-]*'),
  serialNumber: pattern('[\\w+=/:,.@-]*'),
  tokenCode: pattern('[\\d]*'),
  policy: pattern('[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
  tagKey: pattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'),
  tagValue: pattern('[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'),
  accessKeyId: pattern('[\\w]*'),
};

export interface Constraint {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: Pattern;
}

/** Collects violations in Coral's wording; throw() raises one ValidationError with all of them. */
export class Coral {
  readonly errors: string[] = [];

  private add(member: string, value: string | undefined, rule: string): void {
    const shown = value === undefined ? 'null' : `'${value}'`;
    this.errors.push(`Value ${shown} at '${member}' failed to satisfy constraint: Member ${rule}`);
  }

  text(member: string, value: string | undefined, c: Constraint): void {
    if (value === undefined) {
      if (c.required) this.add(member, value, 'must not be null');
      return;
    }
    if (c.pattern && !c.pattern.re.test(value)) {
      this.add(member, value, `must satisfy regular expression pattern: ${c.pattern.text}`);
    }
    if (c.min !== undefined && value.length < c.min) {
      this.add(member, value, `must have length greater than or equal to ${c.min}`);
    }
    if (c.max !== undefined && value.length > c.max) {
      this.add(member, value, `must have length less than or equal to ${c.max}`);
    }
  }

  /** Integer members; returns the parsed value (or undefined when absent or invalid). */
  int(member: string, raw: string | undefined, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw.trim())) {
      this.add(member, raw, 'must be a number');
      return undefined;
    }
    const n = Number(raw);
    if (n < min) this.add(member, raw, `must have value greater than or equal to ${min}`);
    if (n > max) this.add(member, raw, `must have value less than or equal to ${max}`);
    return n;
  }

  /** List members: only the size limit (items are checked by the caller). */
  list(member: string, items: readonly unknown[] | undefined, max: number, show: () => string): void {
    if (items && items.length > max) {
      this.add(member, show(), `must have length less than or equal to ${max}`);
    }
  }

  throw(): void {
    const n = this.errors.length;
    if (n === 0) return;
    const head = n === 1 ? '1 validation error detected: ' : `${n} validation errors detected: `;
    throw new StsError(400, 'ValidationError', head + this.errors.join('; '));
  }
}

/** `X.member.N` values in index order; `X=` (the JS SDK's empty list) gives []. */
export function listParam(params: Params, name: string): string[] | undefined {
  const items = structListParam(params, name, ['']);
  return items?.map((i) => i[''] ?? '');
}

/** `X.member.N.Field` structures in index order, e.g. Tags (Key/Value) or PolicyArns (arn). */
export function structListParam(
  params: Params, name: string, fields: string[],
): Array<Record<string, string | undefined>> | undefined {
  const byIndex = new Map<number, Record<string, string | undefined>>();
  const prefix = `${name}.member.`;
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    const field = dot < 0 ? '' : rest.slice(dot + 1);
    if (!Number.isInteger(index) || !fields.includes(field)) continue;
    const item = byIndex.get(index) ?? {};
    item[field] = value;
    byIndex.set(index, item);
  }
  if (byIndex.size === 0) return name in params ? [] : undefined;
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/** Session policies must be JSON objects; anything else is MalformedPolicyDocument. */
export function checkPolicyJson(policy: string | undefined): void {
  if (policy === undefined) return;
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    doc = undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new StsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
  }
}
