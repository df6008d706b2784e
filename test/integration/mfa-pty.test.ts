// The MFA prompt through a real pseudo-terminal (python3's pty module): the prompt is on the
// terminal (stderr), only six digits are accepted, stdout carries only the export lines; and
// printing export lines to a terminal adds one warning with the right usage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, sandbox, STSX_ARGV } from '../support/run-cli.ts';
import { sq } from '../support/shell.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'us-west-2' });
});
after(async () => {
  await sts?.close();
});

async function onPty(steps: [string, string][], command: string, env: Record<string, string>): Promise<{ code: number; transcript: string }> {
  const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), 'sh', '-c', command], { env, encoding: 'utf8' });
  return JSON.parse(stdout) as { code: number; transcript: string };
}

test('MFA prompt on the terminal: bad input is asked again, the code is used, stdout has only the lines', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'pty' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/pty-role', trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice('arn:aws:iam::111122223333:mfa/pty', '246810');
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url, SHELL: '/bin/bash' });
  box.writeConfig('[default]\nmfa_serial = arn:aws:iam::111122223333:mfa/pty\n');
  const out = path.join(box.home, 'out.txt');
  const command = `${STSX_ARGV.map(sq).join(' ')} assume --role-arn arn:aws:iam::111122223333:role/pty-role > ${sq(out)}`;
  const r = await onPty([['Enter MFA code for arn:aws:iam::111122223333:mfa/pty: ', '12ab\r'], ['try again', '246810\r']], command, box.env);
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /the code must be six digits, try again/);
  const lines = readFileSync(out, 'utf8');
  assert.match(lines, /^export AWS_SESSION_TOKEN='/m);
  assert.doesNotMatch(lines, /MFA|Enter/);
  const req = sts.requests.filter((q) => q.action === 'AssumeRole').at(-1);
  assert.equal(req?.params.TokenCode, '246810');
  assert.equal(req?.params.SerialNumber, 'arn:aws:iam::111122223333:mfa/pty');

  // The code is asked once per session: the next call is served from the cache, no prompt.
  const again = await onPty([], command, box.env);
  assert.equal(again.code, 0, again.transcript);
  assert.doesNotMatch(again.transcript, /Enter MFA code/);
});

test('export lines printed to a terminal come with one warning showing the usage for the shell', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'tty' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/tty-role', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url, SHELL: '/usr/bin/fish' });
  const r = await onPty([], `${STSX_ARGV.map(sq).join(' ')} assume --role-arn arn:aws:iam::111122223333:role/tty-role --no-cache`, box.env);
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /set -gx AWS_ACCESS_KEY_ID '/);
  assert.equal(r.transcript.match(/warning:/g)?.length, 1);
  assert.match(r.transcript, /stsx assume \.\.\. \| source/);
});
