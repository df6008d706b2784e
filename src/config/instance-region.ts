// The EC2 instance's region from IMDSv2, for when nothing else names one. Hand-written because
// the SDK keeps its own lookup inside the region provider and does not export it; this one is
// token-only (IMDSv2), honours the same settings, and gives up quickly off EC2.
import { nodeHttp } from '../node-builtin.ts';
import type { Env } from '../deps.ts';
import type { Profile } from './profile.ts';

const DEFAULT_ENDPOINTS = { IPv4: 'http://169.254.169.254', IPv6: 'http://[fd00:ec2::254]' } as const;

/** `AWS_EC2_METADATA_DISABLED` set to anything but "false" turns instance metadata off. */
export function imdsDisabled(env: Env): boolean {
  const value = env.AWS_EC2_METADATA_DISABLED;
  return value !== undefined && value !== '' && value.toLowerCase() !== 'false';
}

export function imdsEndpoint(env: Env, profile: Profile | undefined): string {
  const explicit = env.AWS_EC2_METADATA_SERVICE_ENDPOINT || profile?.settings.ec2_metadata_service_endpoint;
  if (explicit) return explicit.replace(/\/+$/, '');
  const mode = env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE || profile?.settings.ec2_metadata_service_endpoint_mode;
  return mode?.toLowerCase() === 'ipv6' ? DEFAULT_ENDPOINTS.IPv6 : DEFAULT_ENDPOINTS.IPv4;
}

export async function fetchInstanceRegion(endpoint: string, timeoutMs = 1000): Promise<string | undefined> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const token = await request(`${endpoint}/latest/api/token`, 'PUT', { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }, deadline);
    if (token === undefined) return undefined;
    const region = await request(`${endpoint}/latest/meta-data/placement/region`, 'GET', { 'x-aws-ec2-metadata-token': token }, deadline);
    return region?.trim() || undefined;
  } catch {
    return undefined;
  }
}

function request(url: string, method: string, headers: Record<string, string>, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = nodeHttp().request(url, { method, headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : undefined));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
