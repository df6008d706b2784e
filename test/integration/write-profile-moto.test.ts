// --write-profile against moto (an independent STS emulator), read back by the AWS CLI v2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startMoto, type Moto } from '../support/moto.ts';
import { spawnCollect } from '../support/spawn-collect.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

const trust = (principal: string): object => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

test('assume --write-profile against moto: the AWS CLI with AWS_PROFILE=NAME is the role', { timeout: 120_000 }, async () => {
  const user = await moto.createUser('wp-user');
  const role = await moto.createRole('wp-role', trust(user.arn));
  const box = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_ENDPOINT_URL_STS: moto.url, AWS_REGION: 'us-east-1' });
  box.writeCredentials('# mine\n[keep]\nregion = us-west-2\n');
  const r = await runStsx(['assume', '--role-arn', role.arn, '--role-session-name', 'wp-moto', '--write-profile', 'moto-dev'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const file = box.env.AWS_SHARED_CREDENTIALS_FILE ?? '';
  assert.ok(readFileSync(file, 'utf8').startsWith('# mine\n[keep]\nregion = us-west-2\n\n[moto-dev]\n'));
  const env = { PATH: box.env.PATH ?? '', HOME: box.home, AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: box.env.AWS_CONFIG_FILE ?? '', AWS_PROFILE: 'moto-dev', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  const cli = await spawnCollect('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', moto.url, '--query', 'Arn', '--output', 'text'], { env, timeoutMs: 60_000 });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout.trim(), /^arn:aws:sts::\d{12}:assumed-role\/wp-role\/wp-moto$/);
});
