// Everything `--debug` prints, over a few ordinary runs and one hostile STS answer, scanned for
// the full access key ids, secret keys and session tokens involved, in every spelling a server
// might echo them in (raw, JSON-escaped, percent-encoded, and mixes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

const ACCOUNT = '111122223333';

/** The ways a server may write a secret back. */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/');
  return [secret, json, encodeURIComponent(secret), encodeURIComponent(json), secret.replaceAll('+', ' ')];
}

function assertClean(stderr: string, secrets: Record<string, string>, run: string): void {
  for (const [name, secret] of Object.entries(secrets)) {
    for (const form of spellings(secret)) assert.ok(!stderr.includes(form), `${run}: --debug output holds ${name} (${form.slice(0, 10)}...)`);
  }
}

test('--debug output of assume, whoami and an STS error quoting the token holds no full key id, secret or token', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'debug-scan' });
  const arn = `arn:aws:iam::${ACCOUNT}:role/debug-scan`;
  sts.addRole({ arn, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });

  const assumed = await runStsx(['assume', '--role-arn', arn, '--format', 'json', '--no-cache', '--debug'], { env: box.env });
  assert.equal(assumed.code, 0, assumed.stderr);
  const issued = JSON.parse(assumed.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const secrets = {
    'the user key id': u.accessKeyId,
    'the user secret': u.secretAccessKey,
    'the issued key id': issued.AccessKeyId,
    'the issued secret': issued.SecretAccessKey,
    'the session token': issued.SessionToken,
  };
  assert.match(assumed.stderr, /stsx: debug: /, 'there is --debug output to scan');
  assertClean(assumed.stderr, secrets, 'assume');

  const sessionEnv = { ...box.env, AWS_ACCESS_KEY_ID: issued.AccessKeyId, AWS_SECRET_ACCESS_KEY: issued.SecretAccessKey, AWS_SESSION_TOKEN: issued.SessionToken };
  const whoami = await runStsx(['whoami', '--debug'], { env: sessionEnv });
  assert.equal(whoami.code, 0, whoami.stderr);
  assertClean(whoami.stderr, secrets, 'whoami');

  // A server that quotes the token it was sent, in three spellings, in its error message.
  const token = issued.SessionToken;
  sts.fault({ status: 403, code: 'InvalidClientTokenId', message: `The security token ${token} (${encodeURIComponent(token)}, ${JSON.stringify(token).replaceAll('/', '\\/')}) is invalid.`, times: 1 });
  const refused = await runStsx(['whoami', '--debug'], { env: sessionEnv });
  assert.equal(refused.code, 4, refused.stderr);
  assert.match(refused.stderr, /The security token \*\*\*\*/, 'the message is shown, the token in it is not');
  assertClean(refused.stderr, secrets, 'whoami refused');
});
