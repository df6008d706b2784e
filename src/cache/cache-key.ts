// The cache key: sha256 over a canonical JSON of everything that changes STS's answer, so two
// runs share an entry exactly when STS would hand out interchangeable credentials. Modelled on
// botocore's _create_cache_key (shared/reference/sts.md F.2), but with the source credentials'
// identity included (botocore leaves it out, so one user's entry could serve another's), lists
// that STS treats as sets made order-insensitive, and sha256 rather than sha1.
import { sha256Hex } from './sha256.ts';
import type { EndpointInputs } from '../endpoint/resolve-endpoint.ts';

export type CacheKind = 'assume-role' | 'session-token';

export interface CacheKeyInput {
  kind: CacheKind;
  /**
   * Who is asking: the source access key id, or, for a profile only resolvable through STS, its
   * name plus fingerprint() of its config section chain. Named `source` so it cannot be confused
   * with STS's SourceIdentity parameter (`sourceIdentity` below, as in AssumePlan).
   */
  source: string;
  roleArn?: string | undefined;
  /** Only a name the user chose: a made-up one carries a timestamp and would defeat the cache. */
  sessionName?: string | undefined;
  durationSeconds?: number | undefined;
  externalId?: string | undefined;
  mfaSerial?: string | undefined;
  /** The inline session policy as JSON text; formatting and key order do not matter. */
  policy?: string | undefined;
  policyArns?: readonly string[] | undefined;
  tags?: readonly { Key: string; Value: string }[] | undefined;
  transitiveTagKeys?: readonly string[] | undefined;
  /** STS's SourceIdentity parameter (--source-identity). */
  sourceIdentity?: string | undefined;
  region: string;
  /**
   * Everything that decides the STS endpoint, and with the region its partition (the endpoint
   * itself needs the SDK's rules, which a cache lookup does not load). Holds no password.
   */
  endpointInputs: EndpointInputs;
  /** Any other request field (a new role flag's): it changes the key as it is. */
  readonly [parameter: string]: unknown;
}

/** Bump when the canonical form changes, so old entries are simply never found again (2: endpointInputs). */
const KEY_SCHEMA = 2;

export function cacheKey(input: CacheKeyInput): string {
  // Canonical JSON sorts the keys and drops undefined members: the listed fields are normalised,
  // every other field goes into the key as it is.
  return fingerprint({
    ...input,
    schema: KEY_SCHEMA,
    policy: input.policy === undefined ? undefined : normalisePolicy(input.policy),
    policyArns: nonEmpty(asSet(input.policyArns ?? [])),
    // STS treats tag keys case-insensitively (it refuses Project and project together), and IAM
    // matches aws:PrincipalTag keys case-insensitively, so case changes nothing about the answer.
    tags: nonEmpty([...(input.tags ?? [])].map((t) => [t.Key.toLowerCase(), t.Value]).sort(compareJson)),
    transitiveTagKeys: nonEmpty(asSet((input.transitiveTagKeys ?? []).map((k) => k.toLowerCase()))),
  });
}

/** sha256 hex of the canonical JSON of any value; also for fingerprinting a profile's sections. */
export function fingerprint(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** JSON with object keys sorted at every depth (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  // Null-prototype: a key named `__proto__` (a setting read from a file) is data like any other.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = canonical(member);
  }
  return out;
}

function normalisePolicy(policy: string): unknown {
  // Object key order and whitespace do not change a policy; statement order is kept (cheap, and
  // a different key only costs one STS call). Text that is not JSON is kept apart from JSON.
  try {
    return { json: JSON.parse(policy) as unknown };
  } catch {
    return { text: policy };
  }
}

/** No list and an empty list are the same request, so they must give the same key. */
function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length > 0 ? values : undefined;
}

function asSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function compareJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
