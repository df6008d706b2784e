// `stsx endpoint --check` against moto: moto answers an unsigned POST as if it were
// S3, not with STS's MissingAuthenticationToken, yet `whoami` works there. The check must still
// make the signed call and, when it succeeds, call the endpoint working, with a note that it is
// not AWS's STS (an emulator, or a proxy in between).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMoto, type Moto } from '../support/moto.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

test('endpoint --check against moto: the unsigned probe is not STS, the signed call works -> works, with a note', async () => {
  const user = await moto.createUser('check-user');
  const env = sandbox({ AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey, AWS_REGION: 'us-east-1' }).env;
  const who = await runStsx(['whoami', '--endpoint-url', moto.url, '--query', 'Arn'], { env });
  assert.equal(who.code, 0, who.stderr);

  const text = await runStsx(['endpoint', '--check', '--endpoint-url', moto.url], { env });
  assert.equal(text.code, 0, `${text.stdout}\n${text.stderr}`);
  assert.match(text.stdout, /STS answers +ok +HTTP \d+ .* not STS's own answer: .*; the signed call works/);
  assert.match(text.stdout, new RegExp(`signed call +ok +GetCallerIdentity as ${user.arn.replace(/[/]/g, '\\/')}`));
  assert.match(text.stdout, /^result: the endpoint works, but it is not AWS's STS \(an emulator, or a proxy in between\)$/m);

  const json = await runStsx(['endpoint', '--check', '--endpoint-url', moto.url, '--output', 'json'], { env });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { works: boolean; notAwsSts?: boolean };
  assert.equal(report.works, true);
  assert.equal(report.notAwsSts, true);
});

test('endpoint --check against moto without credentials: the signed call cannot vouch for it -> does not work', async () => {
  const env = sandbox({ AWS_REGION: 'us-east-1' }).env;
  const r = await runStsx(['endpoint', '--check', '--endpoint-url', moto.url], { env });
  assert.equal(r.code, 5, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /STS answers +failed +HTTP \d+ .* is not an STS answer/);
  assert.match(r.stdout, /signed call +skipped +no credentials/);
});
