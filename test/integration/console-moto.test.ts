// `stsx console` against moto (an independent STS implementation) with the local sign-in server:
// GetFederationToken for IAM user keys and AssumeRole for a role, as real STS answers them, then
// getSigninToken and the login URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMoto, type Moto } from '../support/moto.ts';
import { startSigninServer, type SigninServer } from '../support/signin-server.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';

let moto: Moto;
let signin: SigninServer;
before(async () => {
  [moto, signin] = await Promise.all([startMoto(), startSigninServer()]);
});
after(async () => {
  await Promise.all([moto?.stop(), signin?.close()]);
});

const trust = (principal: string): object => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

test('moto: IAM user keys -> GetFederationToken -> getSigninToken without SessionDuration; a role -> AssumeRole -> with it', async () => {
  const user = await moto.createUser('console-user');
  const role = await moto.createRole('console-role', trust(user.arn));
  const box = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'ap-northeast-1', STSX_SIGNIN_ENDPOINT: signin.endpoint });

  const fed = await runStsx(['console', '--print', '--service', 'lambda'], { env: box.env });
  assert.equal(fed.code, 0, fed.stderr);
  const fedUrl = new URL(fed.stdout.trim());
  assert.equal(fedUrl.searchParams.get('Destination'), 'https://console.aws.amazon.com/lambda/home?region=ap-northeast-1');
  const fedGet = signin.requests.at(-1);
  assert.equal(fedGet?.action, 'getSigninToken');
  assert.equal(fedGet.params.SessionDuration, undefined);
  assert.notEqual(fedGet.session?.sessionId, user.accessKeyId, 'the federation token, not the user keys, signs in');
  assert.equal(typeof fedGet.session?.sessionToken, 'string');
  assert.match(fed.stderr, /console sign-in URL for arn:aws:sts::\d{12}:federated-user\/stsx-/);

  const assumed = await runStsx(['console', '--role-arn', role.arn, '--print', '--no-cache'], { env: box.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  assert.equal(new URL(assumed.stdout.trim()).searchParams.get('Action'), 'login');
  assert.equal(signin.requests.at(-1)?.params.SessionDuration, '3600');
  assert.match(assumed.stderr, /console sign-in URL for arn:aws:sts::\d{12}:assumed-role\/console-role\//);
});
