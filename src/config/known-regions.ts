// Is a well-formed region name one the AWS SDK's partitions table lists? A typo (`eu-wst-1`) is
// well-formed, so without this it would reach DNS and come back as advice about VPC endpoints.
// Unknown names are warned about, never refused: a region newer than this stsx's SDK table still
// works, as the SDK's own endpoint rules accept any name its partition's pattern matches.
import { REGIONS } from '../names/regions.ts';

const KNOWN: ReadonlySet<string> = new Set(REGIONS);

export function isKnownRegion(region: string): boolean {
  return KNOWN.has(region);
}

/** Edit distance (insert, delete, substitute), stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** The known regions nearest to `region` (at most three, at most 3 edits away), nearest first. */
export function nearestRegions(region: string): string[] {
  return REGIONS.filter((r) => r !== 'aws-global')
    .map((r) => ({ r, d: distance(region, r, 3) }))
    .filter(({ d }) => d <= 3)
    .sort((x, y) => x.d - y.d || x.r.localeCompare(y.r))
    .slice(0, 3)
    .map(({ r }) => r);
}

/** A warning for a region the SDK's table does not list, with the nearest names; undefined for a known one. */
export function unknownRegionWarning(region: string, from: string): string | undefined {
  if (isKnownRegion(region)) return undefined;
  const near = nearestRegions(region);
  return `region ${region} (from ${from}) is not in this stsx's table of AWS regions${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : ''} (going on: a region newer than this stsx works)`;
}
