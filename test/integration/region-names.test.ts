// A region missing from the SDK's table is warned about before any call, with the nearest known
// names; it is not refused, since a region newer than this stsx must still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { runStsx, sandbox } from '../support/run-cli.ts';
import { sdkRegions } from '../support/sdk-regions.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1', acceptRegions: ['eu-wst-1', 'mx-newplace-7'] });
});
after(async () => {
  await sts?.close();
});

function env(): Record<string, string> {
  const u = sts.addUser({ userName: `region-${Math.random().toString(36).slice(2, 8)}` });
  return sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_ENDPOINT_URL_STS: sts.url }).env;
}

test('--region eu-wst-1: a warning naming eu-west-1, said before the call', async () => {
  const r = await runStsx(['whoami', '--region', 'eu-wst-1', '--debug'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n');
  const warning = lines.findIndex((l) => l.startsWith('stsx: warning: region eu-wst-1 (from --region) is not in this stsx\'s table of AWS regions; did you mean eu-west-1'));
  const call = lines.findIndex((l) => l.startsWith('stsx: debug: GetCallerIdentity ->'));
  assert.ok(warning >= 0, r.stderr);
  assert.ok(call > warning, 'the warning comes before the request');
  assert.equal(lines.filter((l) => l.startsWith('stsx: warning:')).length, 1, 'said once');
});

test('a region newer than the table (AWS_REGION) still works, with the warning; known regions get none', async () => {
  const r = await runStsx(['whoami', '--query', 'Account'], { env: { ...env(), AWS_REGION: 'mx-newplace-7' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d{12}\n$/);
  assert.match(r.stderr, /^stsx: warning: region mx-newplace-7 \(from .*AWS_REGION.*\) is not in this stsx's table of AWS regions/m);
  for (const region of ['eu-west-1', 'us-east-1']) {
    assert.ok((await sdkRegions()).includes(region));
    const known = await runStsx(['whoami', '--query', 'Account', '--region', region], { env: env() });
    assert.doesNotMatch(known.stderr, /warning/);
  }
});
