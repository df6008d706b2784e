// Which region, and why. Precedence (AWS SDKs and CLI reference guide, "Region"): flag,
// AWS_REGION, AWS_DEFAULT_REGION, the profile's `region` (following source_profile when the
// profile has none, which the AWS CLI does not do: aws-cli#3334), the EC2 instance's own region,
// and finally us-east-1 with a note.
import { UsageError, ConfigError } from '../errors.ts';
import type { Env } from '../deps.ts';
import type { Origin, Profile } from './profile.ts';

export interface ResolvedRegion {
  region: string;
  origin: Origin;
  /** Something the user should know (shown on stderr), e.g. that us-east-1 was assumed. */
  note?: string | undefined;
}

// Partition region patterns from the SDK's partitions table, plus `aws-global`, which names the
// legacy global endpoint on purpose.
const REGION_PATTERN = /^(?:[a-z]{2,4}(?:-[a-z]{2,5})?-[a-z]+-\d{1,2}|aws-global)$/;

export function isWellFormedRegion(region: string): boolean {
  return REGION_PATTERN.test(region);
}

function checkRegion(region: string, origin: Origin, describe: (o: Origin) => string): string {
  if (isWellFormedRegion(region)) return region;
  const shown = JSON.stringify(region.length > 40 ? `${region.slice(0, 40)}...` : region);
  const message = `${shown} (from ${describe(origin)}) is not a region name`;
  const hint = 'a region looks like us-east-1, eu-west-2 or ap-northeast-1';
  if (origin.kind === 'flag') throw new UsageError(message, { hint });
  throw new ConfigError(message, { hint });
}

export type InstanceRegionLookup = () => Promise<string | undefined>;

export async function resolveRegion(
  input: { flag?: string | undefined; env: Env; profiles: Profile[]; instanceRegion: InstanceRegionLookup; imdsDisabled: boolean },
  describe: (o: Origin) => string,
): Promise<ResolvedRegion> {
  const found = firstRegion(input);
  if (found) return { region: checkRegion(found.region, found.origin, describe), origin: found.origin };
  if (!input.imdsDisabled) {
    const region = await input.instanceRegion();
    if (region) {
      const origin: Origin = { kind: 'instance', name: '/latest/meta-data/placement/region' };
      return { region: checkRegion(region, origin, describe), origin };
    }
  }
  return {
    region: 'us-east-1',
    origin: { kind: 'default', name: 'no region configured' },
    note: 'no region configured; using us-east-1 (set --region, AWS_REGION or the profile\'s region)',
  };
}

function firstRegion(input: { flag?: string | undefined; env: Env; profiles: Profile[] }): { region: string; origin: Origin } | undefined {
  if (input.flag !== undefined) return { region: input.flag, origin: { kind: 'flag', name: '--region' } };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = input.env[name];
    if (value) return { region: value, origin: { kind: 'env', name } };
  }
  for (const profile of input.profiles) {
    const value = profile.settings.region;
    if (value) return { region: value, origin: { kind: 'profile', profile: profile.name, key: 'region', file: profile.keyFiles.region ?? '' } };
  }
  return undefined;
}
