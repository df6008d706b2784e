// `--write-profile NAME` on the web-identity path (`assume --web-identity`, and a profile with
// web_identity_token_file): the same deliverer as the plain role path, against the project's STS
// server and the GitHub OIDC stand-in, read back by the AWS CLI v2 and the JS SDK's fromIni.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StsServer } from '../support/sts-server.ts';
import { githubJobEnv, startGithubWorld } from '../support/github-world.ts';
import { GITHUB_ISSUER, makeJwt, type GithubOidcServer } from '../support/github-oidc-server.ts';
import { spawnCollect } from '../support/spawn-collect.ts';
import { errorLines, ROOT, runStsx, sandbox } from '../support/run-cli.ts';

const ACCOUNT = '210987654321';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/gha-writer`;
const SUB = 'repo:octo-org/octo-repo:ref:refs/heads/main';
const KEPT = '# mine\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

let sts: StsServer;
let gh: GithubOidcServer;
before(async () => {
  ({ sts, gh } = await startGithubWorld(ACCOUNT, ROLE));
});
after(async () => {
  await Promise.all([sts?.close(), gh?.close()]);
});

function githubJob(): ReturnType<typeof sandbox> {
  return sandbox(githubJobEnv(sts, gh, '55501'));
}

/** A consumer that has only the credentials file: no key, no token in its environment. */
function consumerEnv(box: ReturnType<typeof sandbox>, profile: string): Record<string, string> {
  return { PATH: box.env.PATH ?? '', HOME: box.home, AWS_SHARED_CREDENTIALS_FILE: box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', AWS_CONFIG_FILE: box.env.AWS_CONFIG_FILE ?? '', AWS_PROFILE: profile, AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' };
}

async function sdkArn(box: ReturnType<typeof sandbox>, profile: string): Promise<string> {
  const script = `import { fromIni } from '@aws-sdk/credential-providers';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const client = new STSClient({ region: 'eu-west-1', endpoint: ${JSON.stringify(sts.url)}, credentials: fromIni({ profile: ${JSON.stringify(profile)} }) });
process.stdout.write((await client.send(new GetCallerIdentityCommand({}))).Arn);`;
  const sdk = await spawnCollect(process.execPath, ['--input-type=module', '-e', script], { env: consumerEnv(box, profile), cwd: ROOT, timeoutMs: 60_000 });
  assert.equal(sdk.code, 0, sdk.stderr);
  return sdk.stdout;
}

test('assume --web-identity --write-profile writes [NAME], prints nothing; the AWS CLI v2 and fromIni use the role', { timeout: 120_000 }, async () => {
  const box = githubJob();
  box.writeCredentials(KEPT);
  const file = box.env.AWS_SHARED_CREDENTIALS_FILE ?? '';
  const r = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'github', '--write-profile', 'ci'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/gha-writer/gh-octo-org-octo-repo-55501`;
  assert.match(r.stderr, new RegExp(`assumed ${arn.replaceAll('/', '\\/')} with web identity via 127\\.0\\.0\\.1:\\d+, expires .*; wrote profile \\[ci\\] to ${file.replaceAll('/', '\\/')}`));
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith(KEPT), 'every other line kept');
  assert.match(text.slice(KEPT.length), /^\n\[ci\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\nx_stsx_expiration = \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);

  const cli = await spawnCollect('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', sts.url, '--output', 'json'], { env: consumerEnv(box, 'ci'), timeoutMs: 60_000 });
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((JSON.parse(cli.stdout) as { Arn: string }).Arn, arn);
  assert.equal(await sdkArn(box, 'ci'), arn);

  const unset = await runStsx(['unset', '--write-profile', 'ci'], { env: box.env });
  assert.equal(unset.code, 0, unset.stderr);
  assert.equal(readFileSync(file, 'utf8'), KEPT);
});

test('a profile with web_identity_token_file and --write-profile: the section is written and fromIni uses it', { timeout: 120_000 }, async () => {
  const box = sandbox({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  const token = path.join(box.home, 'token');
  writeFileSync(token, makeJwt({ iss: GITHUB_ISSUER, aud: 'sts.amazonaws.com', sub: SUB, exp: Math.floor(Date.now() / 1000) + 300 }));
  box.writeConfig(`[profile wi]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${token}\nrole_session_name = wi-written\n`);
  const r = await runStsx(['assume', '--profile', 'wi', '--write-profile', 'wi-keys'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /with web identity via .*; wrote profile \[wi-keys\]/);
  assert.match(readFileSync(box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8'), /^\[wi-keys\]\naws_access_key_id = ASIA\w+\n/);
  assert.equal(await sdkArn(box, 'wi-keys'), `arn:aws:sts::${ACCOUNT}:assumed-role/gha-writer/wi-written`);
});

test('with --web-identity, a section of long-term keys and --format are refused before the token is fetched or STS is asked', async () => {
  const box = githubJob();
  box.writeCredentials(KEPT);
  const stsBefore = sts.requests.length;
  const ghBefore = gh.requests.length;
  const keys = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'github', '--write-profile', 'default'], { env: box.env });
  assert.equal(keys.code, 3, keys.stderr);
  assert.equal(keys.stdout, '');
  assert.match(errorLines(keys.stderr)[0] ?? '', /^stsx: .*\[default\]/);
  const format = await runStsx(['assume', '--role-arn', ROLE, '--web-identity', 'github', '--write-profile', 'ci', '--format', 'json'], { env: box.env });
  assert.equal(format.code, 2, format.stderr);
  assert.equal(format.stdout, '');
  assert.equal(sts.requests.length, stsBefore);
  assert.equal(gh.requests.length, ghBefore);
  assert.equal(readFileSync(box.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8'), KEPT);
});
