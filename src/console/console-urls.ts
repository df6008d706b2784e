// The AWS console federation sign-in, as pure data (shared/reference/console-and-oidc.md): the
// sign-in and console hosts of each partition, the console destination for --service or
// --destination, and the two federation URLs. Nothing here touches the network.
import { ConfigError, UsageError } from '../errors.ts';
import { hasControlCharacters } from '../text/terminal-text.ts';

export interface PartitionHosts {
  /** The federation endpoint's host (global form). */
  signin: string;
  /** The console's host. */
  console: string;
  /** Regional sign-in hosts (`<region>.signin...`) exist in this partition. */
  regionalSignin: boolean;
}

/** Partitions with a public console; every other one (ISO, the EU sovereign cloud) has none we can name. */
const PARTITIONS: ReadonlyMap<string, PartitionHosts> = new Map([
  ['aws', { signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com', regionalSignin: true }],
  ['aws-cn', { signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn', regionalSignin: false }],
  ['aws-us-gov', { signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com', regionalSignin: false }],
]);

/** The hosts of a partition, or the reason there is no console to open. */
export function partitionHosts(partition: string, region: string): PartitionHosts {
  const hosts = PARTITIONS.get(partition);
  if (hosts) return hosts;
  throw new ConfigError(`partition ${partition} (region ${region}) has no public AWS console to sign in to`, {
    hint: `console sign-in exists in the ${[...PARTITIONS.keys()].join(', ')} partitions; pick a region of one of them with --region`,
  });
}

/**
 * Where getSigninToken and login go: STSX_SIGNIN_ENDPOINT when set (tests, private sign-in
 * proxies), else the partition's sign-in host; in `aws`, the region's own sign-in host outside
 * us-east-1 (the global host lives there).
 */
export function federationEndpoint(hosts: PartitionHosts, region: string, override: string | undefined): string {
  if (override !== undefined && override !== '') return checkEndpointOverride(override);
  const host = hosts.regionalSignin && region !== 'us-east-1' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? `${region}.${hosts.signin}` : hosts.signin;
  return `https://${host}/federation`;
}

function checkEndpointOverride(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`STSX_SIGNIN_ENDPOINT is not a URL: ${JSON.stringify(raw)}`, { hint: 'for example https://signin.example.internal/federation' });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`STSX_SIGNIN_ENDPOINT must be an http(s) URL without user, password, query or fragment, not ${JSON.stringify(raw)}`, {
      hint: 'for example https://signin.example.internal/federation',
    });
  }
  return url.href;
}

/** Console paths for --service: a handful of common ones. */
const SERVICES: ReadonlyMap<string, string> = new Map([
  ['console', 'console/home'],
  ['billing', 'billing/home'],
  ['cloudformation', 'cloudformation/home'],
  ['cloudtrail', 'cloudtrail/home'],
  ['cloudwatch', 'cloudwatch/home'],
  ['dynamodb', 'dynamodbv2/home'],
  ['ec2', 'ec2/home'],
  ['ecr', 'ecr/home'],
  ['ecs', 'ecs/home'],
  ['eks', 'eks/home'],
  ['iam', 'iam/home'],
  ['kms', 'kms/home'],
  ['lambda', 'lambda/home'],
  ['logs', 'cloudwatch/home'],
  ['rds', 'rds/home'],
  ['route53', 'route53/v2/home'],
  ['s3', 's3/home'],
  ['secretsmanager', 'secretsmanager/home'],
  ['sns', 'sns/v3/home'],
  ['sqs', 'sqs/v3/home'],
  ['ssm', 'systems-manager/home'],
  ['vpc', 'vpcconsole/home'],
]);

/** The page the console opens on: --destination as given, else --service's page (region kept), else the console home. */
export function destinationUrl(hosts: PartitionHosts, region: string, choice: { service?: string | undefined; destination?: string | undefined }): string {
  if (choice.service !== undefined && choice.destination !== undefined) {
    throw new UsageError('--service and --destination both say where the console opens', { hint: 'keep one of them' });
  }
  if (choice.destination !== undefined) return checkDestination(choice.destination);
  const name = (choice.service ?? 'console').toLowerCase();
  const path = SERVICES.get(name);
  if (path === undefined) {
    throw new UsageError(`--service ${JSON.stringify(choice.service)} is not one stsx knows`, {
      hint: `use one of ${[...SERVICES.keys()].join(', ')}, or --destination https://${hosts.console}/...`,
    });
  }
  const url = new URL(`https://${hosts.console}/${path}`);
  url.searchParams.set('region', region);
  return name === 'logs' ? `${url.href}#logsV2:log-groups` : url.href;
}

function checkDestination(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || hasControlCharacters(raw)) {
    throw new UsageError(`--destination must be an https:// console URL, not ${JSON.stringify(raw)}`, { hint: 'for example --destination https://console.aws.amazon.com/s3/home' });
  }
  return url.href;
}

/** The getSigninToken request URL: it carries the credentials, so it is never shown or logged. */
export function signinTokenUrl(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, sessionDuration: number | undefined): string {
  const session = JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'getSigninToken');
  if (sessionDuration !== undefined) url.searchParams.set('SessionDuration', String(sessionDuration));
  url.searchParams.set('Session', session);
  return url.href;
}

/** The login URL: a bearer secret for about 15 minutes. */
export function loginUrl(endpoint: string, issuer: string, destination: string, signinToken: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', issuer);
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', signinToken);
  return url.href;
}
