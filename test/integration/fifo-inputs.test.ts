// A FIFO where stsx expects a file must never keep it waiting: `--policy file:///fifo` with no
// writer ends in one line (exit 2) through the bounded reader the config files use, and a
// GITHUB_ENV that is a FIFO is refused (exit 3) instead of waiting for a reader, with nothing on
// stdout. The runs are bounded by spawnCollect's limit: a hang fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

function world(name: string): { env: Record<string, string>; home: string; role: string } {
  const u = sts.addUser({ userName: name });
  const role = `arn:aws:iam::123456789012:role/${name}`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: sts.url });
  return { env: box.env, home: box.home, role };
}

test('--policy file:// naming a FIFO nobody writes: one line, exit 2, nothing sent', async () => {
  const w = world('policy-fifo');
  const fifo = path.join(w.home, 'policy.fifo');
  execFileSync('mkfifo', [fifo]);
  const before = sts.requests.length;
  const r = await runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--no-cache', '--policy', `file://${fifo}`], { env: w.env, timeoutMs: 20_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(errorLines(r.stderr), [`stsx: cannot read ${fifo} (ETIMEDOUT: nothing to read within 5 s)`, '  hint: check the path after file://']);
  assert.equal(sts.requests.length, before, 'nothing was sent');
});

test('--policy file:// naming a FIFO with a writer: read as a file', async () => {
  const w = world('policy-fifo-written');
  const fifo = path.join(w.home, 'policy.fifo');
  execFileSync('mkfifo', [fifo]);
  const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
  // The writer blocks until stsx opens the FIFO, so it runs alongside, its output nowhere.
  const writer = spawn('sh', ['-c', `printf '%s' '${policy}' > '${fifo}'`], { stdio: 'ignore' });
  const r = await runStsx(['assume', '--role-arn', w.role, '--format', 'json', '--no-cache', '--policy', `file://${fifo}`], { env: w.env, timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').at(-1)?.params.Policy, policy);
  writer.kill();
});

test('GITHUB_ENV that is a FIFO: refused at once (exit 3), nothing on stdout', async () => {
  const w = world('github-env-fifo');
  const fifo = path.join(w.home, 'github_env');
  execFileSync('mkfifo', [fifo]);
  const r = await runStsx(['assume', '--role-arn', w.role, '--format', 'github', '--no-cache'], { env: { ...w.env, GITHUB_ENV: fifo }, timeoutMs: 20_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '', 'no ::add-mask:: lines for credentials that were not delivered');
  assert.equal(errorLines(r.stderr)[0], `stsx: GITHUB_ENV is ${JSON.stringify(fifo)}, which is not a regular file (a FIFO or a socket): stsx does not wait for a reader`);
});
