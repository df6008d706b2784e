// The region names of the AWS SDK's partitions table that stsx accepts (src/config/region.ts), sorted.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isWellFormedRegion } from '../../src/config/region.ts';

export async function sdkRegions(): Promise<string[]> {
  // The table sits in @aws-sdk/core's client submodule, which its exports map does not expose by itself.
  const pkg = createRequire(import.meta.url).resolve('@aws-sdk/core/package.json');
  const file = path.join(path.dirname(pkg), 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const { partitionsInfo } = (await import(pathToFileURL(file).href)) as { partitionsInfo: { partitions: { regions: Record<string, unknown> }[] } };
  return partitionsInfo.partitions.flatMap((p) => Object.keys(p.regions)).filter(isWellFormedRegion).sort();
}
