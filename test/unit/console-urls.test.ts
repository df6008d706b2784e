// The console sign-in URLs as pure data: hosts per partition, regional sign-in hosts, the
// STSX_SIGNIN_ENDPOINT override, destinations, and the names and kinds `stsx console` decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationUrl, federationEndpoint, loginUrl, partitionHosts, signinTokenUrl } from '../../src/console/console-urls.ts';
import { kindOfArn } from '../../src/commands/console.ts';
import { federationName } from '../../src/issue/federation-token.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

test('sign-in and console hosts per partition; regional sign-in hosts in aws outside us-east-1', () => {
  assert.equal(federationEndpoint(partitionHosts('aws', 'us-east-1'), 'us-east-1', undefined), 'https://signin.aws.amazon.com/federation');
  assert.equal(federationEndpoint(partitionHosts('aws', 'eu-west-1'), 'eu-west-1', undefined), 'https://eu-west-1.signin.aws.amazon.com/federation');
  assert.equal(federationEndpoint(partitionHosts('aws', 'aws-global'), 'aws-global', undefined), 'https://signin.aws.amazon.com/federation');
  assert.equal(federationEndpoint(partitionHosts('aws-cn', 'cn-north-1'), 'cn-north-1', undefined), 'https://signin.amazonaws.cn/federation');
  assert.equal(federationEndpoint(partitionHosts('aws-us-gov', 'us-gov-west-1'), 'us-gov-west-1', undefined), 'https://signin.amazonaws-us-gov.com/federation');
  assert.equal(partitionHosts('aws-cn', 'cn-north-1').console, 'console.amazonaws.cn');
  assert.equal(partitionHosts('aws-us-gov', 'us-gov-east-1').console, 'console.amazonaws-us-gov.com');
  for (const [partition, region] of [['aws-iso', 'us-iso-east-1'], ['aws-iso-b', 'us-isob-east-1'], ['aws-eusc', 'eusc-de-east-1']]) {
    assert.throws(() => partitionHosts(partition ?? '', region ?? ''), (e: unknown) => e instanceof ConfigError && /has no public AWS console/.test(e.message));
  }
});

test('STSX_SIGNIN_ENDPOINT: an http(s) URL without credentials or query, else a config error', () => {
  const aws = partitionHosts('aws', 'eu-west-1');
  assert.equal(federationEndpoint(aws, 'eu-west-1', 'http://127.0.0.1:8080/federation'), 'http://127.0.0.1:8080/federation');
  assert.equal(federationEndpoint(aws, 'eu-west-1', ''), 'https://eu-west-1.signin.aws.amazon.com/federation');
  for (const bad of ['not a url', 'ftp://x/federation', 'https://u:p@x/federation', 'https://x/federation?a=b']) {
    assert.throws(() => federationEndpoint(aws, 'eu-west-1', bad), ConfigError, bad);
  }
});

test('destinations: --service keeps the region, --destination as given (https only), unknown services named', () => {
  const gov = partitionHosts('aws-us-gov', 'us-gov-west-1');
  assert.equal(destinationUrl(gov, 'us-gov-west-1', {}), 'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1');
  assert.equal(destinationUrl(gov, 'us-gov-west-1', { service: 'S3' }), 'https://console.amazonaws-us-gov.com/s3/home?region=us-gov-west-1');
  assert.equal(destinationUrl(gov, 'us-gov-west-1', { service: 'logs' }), 'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#logsV2:log-groups');
  assert.throws(() => destinationUrl(gov, 'us-gov-west-1', { service: 'nope' }), (e: unknown) => e instanceof UsageError && /--service "nope" is not one stsx knows/.test(e.message) && /s3, /.test(e.hint ?? ''));
  assert.throws(() => destinationUrl(gov, 'us-gov-west-1', { service: 's3', destination: 'https://x' }), UsageError);
  for (const bad of ['http://console.aws.amazon.com/', 'javascript:alert(1)', 'https://console.aws.amazon.com/\u001b[2J', 'https://a:b@console.aws.amazon.com/']) {
    assert.throws(() => destinationUrl(gov, 'us-gov-west-1', { destination: bad }), UsageError, bad);
  }
});

test('the two federation URLs: the session JSON and every parameter URL-encoded', () => {
  const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'se/cr+et&=', sessionToken: 'tok en"&' };
  const get = new URL(signinTokenUrl('https://signin.aws.amazon.com/federation', creds, 3600));
  assert.equal(get.searchParams.get('Action'), 'getSigninToken');
  assert.equal(get.searchParams.get('SessionDuration'), '3600');
  assert.deepEqual(JSON.parse(get.searchParams.get('Session') ?? ''), { sessionId: 'ASIAEXAMPLE', sessionKey: 'se/cr+et&=', sessionToken: 'tok en"&' });
  assert.equal(new URL(signinTokenUrl('https://signin.aws.amazon.com/federation', creds, undefined)).searchParams.has('SessionDuration'), false);
  const login = new URL(loginUrl('https://signin.amazonaws.cn/federation', 'stsx', 'https://console.amazonaws.cn/s3/home?region=cn-north-1&x=1', 'tok&en'));
  assert.equal(login.host, 'signin.amazonaws.cn');
  assert.deepEqual([...login.searchParams], [['Action', 'login'], ['Issuer', 'stsx'], ['Destination', 'https://console.amazonaws.cn/s3/home?region=cn-north-1&x=1'], ['SigninToken', 'tok&en']]);
});

test('GetFederationToken names: 2..32 characters of [\\w+=,.@-]; caller ARNs tell the credential kind', () => {
  assert.equal(federationName('alice'), 'stsx-alice');
  const long = federationName('a-very-long-local-user-name-that-goes-on-and-on');
  assert.equal(long.length, 32);
  assert.match(federationName('DOMAIN\\bob smith'), /^stsx-DOMAIN-bob-smith$/);
  assert.match(federationName('üñí'), /^[\w+=,.@-]{2,32}$/);
  assert.equal(kindOfArn('arn:aws:sts::123456789012:assumed-role/Admin/s'), 'role');
  assert.equal(kindOfArn('arn:aws-cn:sts::123456789012:federated-user/bob'), 'federation');
  assert.equal(kindOfArn('arn:aws:iam::123456789012:user/alice'), 'session-token');
  assert.equal(kindOfArn('arn:aws:iam::123456789012:root'), 'session-token');
  assert.equal(kindOfArn('something else'), 'unknown');
});
