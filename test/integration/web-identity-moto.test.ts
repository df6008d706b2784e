// `stsx assume --web-identity github` against moto (an independent STS/IAM emulator with
// AssumeRoleWithWebIdentity) with the local GitHub token stand-in; the exported credentials are
// evaluated in bash and consumed by stsx whoami and the AWS CLI v2, and chained to a second role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startMoto, type Moto } from '../support/moto.ts';
import { GITHUB_ISSUER, startGithubOidcServer, type GithubOidcServer } from '../support/github-oidc-server.ts';
import { runStsx, sandbox, STSX } from '../support/run-cli.ts';
import { runShell, sq } from '../support/shell.ts';

let moto: Moto;
let gh: GithubOidcServer;
before(async () => {
  [moto, gh] = await Promise.all([startMoto(), startGithubOidcServer()]);
});
after(async () => {
  await Promise.all([moto?.stop(), gh?.close()]);
});

const stsx = `${sq(process.execPath)} ${sq(STSX)}`;
const federated = (account: string): object => ({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' } },
  }],
});

function job(): Record<string, string> {
  return sandbox({
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_REGION: 'us-east-1',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '4242',
    ACTIONS_ID_TOKEN_REQUEST_URL: gh.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: gh.requestToken,
  }).env;
}

test('GitHub Actions against moto: eval the bash lines, then stsx whoami and the AWS CLI v2 are the web-identity role', async () => {
  const role = await moto.createRole('gha-moto', federated('123456789012'));
  assert.equal(gh.claims.iss, GITHUB_ISSUER);
  const aws = existsSync('/usr/bin/aws') ? `/usr/bin/aws sts get-caller-identity --endpoint-url ${sq(moto.url)} --query Arn --output text` : 'echo no-aws-cli';
  const script = `set -e
eval "$(${stsx} assume --role-arn ${sq(role.arn)} --web-identity --format bash)"
${stsx} whoami --query Arn
${aws}`;
  const r = await runShell('bash', script, job());
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^arn:aws:sts::123456789012:assumed-role\/gha-moto\/gh-octo-org-octo-repo-4242$/);
  if (existsSync('/usr/bin/aws')) assert.equal(lines[1], lines[0], 'the AWS CLI v2 consumes the exported variables');
});

test('role chaining against moto: --role-arn twice', async () => {
  const first = await moto.createRole('gha-first', federated('123456789012'));
  const second = await moto.createRole('gha-second', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: first.arn }, Action: 'sts:AssumeRole' }] });
  const r = await runStsx(['assume', '--role-arn', first.arn, '--role-arn', second.arn, '--web-identity', 'github', '--format', 'json'], { env: job() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /assumed arn:aws:sts::123456789012:assumed-role\/gha-second\/gh-octo-org-octo-repo-4242 with web identity/);
});
