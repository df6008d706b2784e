// The benchmark's "AWS SDK alone" row (scripts/bench.ts builds it into one file with the settings
// of dist/, scripts/build-options.ts): one GetCallerIdentity through the SDK's STS client, with
// the client settings stsx passes (src/sts/client.ts innerClientConfig) and the keys from the
// environment, printing the ARN. No argument parser, no config files, no stsx command: what whoami
// costs with nothing of stsx but its client settings, so `stsx whoami` minus this row is stsx's own.
// Usage: node sdk-floor.js ENDPOINT_URL
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_LIMITS, innerClientConfig } from '../src/sts/client.ts';
import type { ResolvedEndpoint } from '../src/endpoint/resolve-endpoint.ts';

const url = new URL(process.argv[2] ?? 'https://sts.us-east-1.amazonaws.com');
const endpoint: ResolvedEndpoint = { url: url.href, host: url.host, region: 'us-east-1', signingRegion: 'us-east-1', partition: 'aws', origin: { kind: 'flag', name: '--endpoint-url' }, custom: true, fips: false, dualStack: false, ignored: [] };
const client = new STSClient({
  ...innerClientConfig(endpoint, DEFAULT_LIMITS),
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '', ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) },
});
const answer = await client.send(new GetCallerIdentityCommand({}));
process.stdout.write(`${answer.Arn ?? ''}\n`);
client.destroy();
