// A run reads and parses each AWS config file once. stsx parses them itself and hands
// the SDK every value it would otherwise look up, so the SDK's own (slow) loader never reads them:
// on a 30,000-line config that second parse cost more than the rest of `whoami`. A preload hook
// records every read of the sandbox's files, by stsx or by the SDK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { spawnCollect, type RunResult } from '../support/spawn-collect.ts';
import { ROOT, sandbox, STSX } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

const ACCOUNT = '111122223333';
let runs = 0;

/** Runs stsx with the read recorder; returns its result and the files read, one entry per read. */
async function withReads(args: string[], env: Record<string, string>): Promise<RunResult & { reads: string[] }> {
  runs += 1;
  const log = path.join(env.HOME ?? '/tmp', `reads-${runs}.txt`);
  const hook = path.join(ROOT, 'test/fixtures/config-reads/record-reads.mjs');
  const r = await spawnCollect(process.execPath, ['--import', hook, STSX, ...args], {
    env: { ...env, STSX_READ_LOG: log, STSX_READ_WATCH: 'aws-c' }, cwd: ROOT, input: '', timeoutMs: 30000, what: `stsx ${args.join(' ')}`,
  });
  const reads = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => path.basename(l.split(' ')[1] ?? '')) : [];
  return { ...r, reads };
}

const count = (reads: string[], file: string): number => reads.filter((f) => f === file).length;

/** A user with keys in a profile, a role on them, and a role profile through source_profile; no AWS_* keys or region in the environment. */
function roleSetup(name: string): { env: Record<string, string>; roleArn: string } {
  const u = sts.addUser({ account: ACCOUNT, userName: name });
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  sts.addRole({ arn: roleArn, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  box.writeConfig(`[profile keys]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\nregion = eu-west-1\n\n` +
    `[profile role]\nrole_arn = ${roleArn}\nsource_profile = keys\nrole_session_name = reads\nregion = eu-west-1\n`);
  box.writeCredentials(`[other]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`);
  return { env: box.env, roleArn };
}

test('whoami --profile with a role through source_profile reads each config file once (the SDK reads neither)', async () => {
  const { env } = roleSetup('whoami-reads');
  const r = await withReads(['whoami', '--profile', 'role', '--query', 'Arn'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `arn:aws:sts::${ACCOUNT}:assumed-role/whoami-reads/reads\n`);
  assert.deepEqual({ config: count(r.reads, 'aws-config'), credentials: count(r.reads, 'aws-credentials') }, { config: 1, credentials: 1 }, r.reads.join(', '));
});

test('assume --profile reads each config file once, on a miss and on a cache hit', async () => {
  const { env } = roleSetup('assume-reads');
  for (const expect of ['stsx: assumed', 'stsx: using cached']) {
    const r = await withReads(['assume', '--profile', 'role', '--format', 'json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(expect));
    assert.deepEqual({ config: count(r.reads, 'aws-config'), credentials: count(r.reads, 'aws-credentials') }, { config: 1, credentials: 1 }, `${expect}: ${r.reads.join(', ')}`);
  }
});

test('whoami with the default profile\'s keys and AWS_REGION reads each config file once', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'default-reads' });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'eu-west-1' });
  box.writeCredentials(`[default]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  const r = await withReads(['whoami', '--query', 'Arn'], box.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${u.arn}\n`);
  assert.deepEqual({ config: count(r.reads, 'aws-config'), credentials: count(r.reads, 'aws-credentials') }, { config: 1, credentials: 1 }, r.reads.join(', '));
});
