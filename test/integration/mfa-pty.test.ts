// The MFA prompt through a real pseudo-terminal (python3's pty module): the prompt is on the
// controlling terminal (even with stderr redirected), what is typed is never echoed, only six
// digits are accepted, stdout carries only the export lines, and the terminal leaves raw mode on
// every way out (signals included); and printing export lines to a terminal adds one warning
// with the right usage.
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

async function onPty(steps: [string, string | { signal: string }][], command: string, env: Record<string, string>): Promise<{ code: number; transcript: string }> {
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
  // Nothing typed is echoed.
  assert.doesNotMatch(r.transcript, /246810|12ab/);
  const lines = readFileSync(out, 'utf8');
  assert.match(lines, /^export AWS_SESSION_TOKEN='/m);
  assert.doesNotMatch(lines, /MFA|Enter/);
  // Long-term keys: the code makes the MFA session (GetSessionToken); the AssumeRole from it carries none.
  const req = sts.requests.filter((q) => q.action === 'GetSessionToken').at(-1);
  assert.equal(req?.params.TokenCode, '246810');
  assert.equal(req?.params.SerialNumber, 'arn:aws:iam::111122223333:mfa/pty');
  assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').at(-1)?.params.TokenCode, undefined);

  // The code is asked once per session: the next call is served from the cache, no prompt.
  const again = await onPty([], command, box.env);
  assert.equal(again.code, 0, again.transcript);
  assert.doesNotMatch(again.transcript, /Enter MFA code/);
});

test('export lines printed to a terminal come with one warning showing the usage for the shell', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'tty' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/tty-role', trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url, SHELL: '/usr/bin/fish' });
  // Run from fish: the format is guessed from the parent process (SHELL agrees here).
  const r = await onPty([], `exec fish --no-config -c ${sq(`${STSX_ARGV.map(sq).join(' ')} assume --role-arn arn:aws:iam::111122223333:role/tty-role --no-cache`)}`, box.env);
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /set -gx AWS_ACCESS_KEY_ID '/);
  assert.equal(r.transcript.match(/warning:/g)?.length, 1);
  assert.match(r.transcript, /stsx assume \.\.\. \| source/);
});

test('whoami of a role profile with mfa_serial asks on the terminal the same way assume does', async () => {
  const u = sts.addUser({ account: '111122223333', userName: 'pty-whoami' });
  sts.addRole({ arn: 'arn:aws:iam::111122223333:role/pty-whoami-role', trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice('arn:aws:iam::111122223333:mfa/pty-whoami', '135790');
  const box = sandbox({ AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url });
  box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  box.writeConfig('[profile mfa]\nrole_arn = arn:aws:iam::111122223333:role/pty-whoami-role\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/pty-whoami\nrole_session_name = pty-w\n');
  const r = await onPty([['Enter MFA code for arn:aws:iam::111122223333:mfa/pty-whoami: ', '135790\r']], `${STSX_ARGV.map(sq).join(' ')} whoami --profile mfa --query Arn`, box.env);
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /arn:aws:sts::111122223333:assumed-role\/pty-whoami-role\/pty-w/);
  assert.doesNotMatch(r.transcript, /--token-code/);
});

function mfaUser(name: string): { env: Record<string, string>; home: string; role: string; serial: string } {
  const u = sts.addUser({ account: '111122223333', userName: name });
  const role = `arn:aws:iam::111122223333:role/${name}-role`;
  const serial = `arn:aws:iam::111122223333:mfa/${name}`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn], requireMfa: true });
  sts.setMfaDevice(serial, '135790');
  const box = sandbox({ AWS_ACCESS_KEY_ID: u.accessKeyId, AWS_SECRET_ACCESS_KEY: u.secretAccessKey, AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL_STS: sts.url, SHELL: '/bin/bash' });
  return { env: box.env, home: box.home, role, serial };
}

test('with stderr redirected to a file the prompt is still on the terminal, and the code is in neither', async () => {
  const m = mfaUser('redirect');
  const out = path.join(m.home, 'out.txt');
  const err = path.join(m.home, 'err.txt');
  const command = `${STSX_ARGV.map(sq).join(' ')} assume --role-arn ${m.role} --mfa-serial ${m.serial} --no-cache > ${sq(out)} 2> ${sq(err)}`;
  const r = await onPty([[`Enter MFA code for ${m.serial}: `, '135790\r']], command, m.env);
  assert.equal(r.code, 0, `${r.transcript}\n${readFileSync(err, 'utf8')}`);
  assert.match(r.transcript, /Enter MFA code for arn:aws:iam::111122223333:mfa\/redirect: /);
  assert.doesNotMatch(r.transcript, /135790/);
  const errText = readFileSync(err, 'utf8');
  assert.doesNotMatch(errText, /Enter MFA code|135790/);
  assert.match(readFileSync(out, 'utf8'), /^export AWS_SESSION_TOKEN='/m);
  assert.equal(sts.requests.filter((q) => q.action === 'GetSessionToken').at(-1)?.params.TokenCode, '135790');
});

test('the terminal leaves raw mode when the prompt ends by SIGHUP, SIGTERM, SIGINT or Ctrl-C', async () => {
  const m = mfaUser('hangup');
  const command = `${STSX_ARGV.map(sq).join(' ')} assume --role-arn ${m.role} --mfa-serial ${m.serial} --no-cache > /dev/null; echo "stsx-exit=$?"; stty -a`;
  for (const send of [{ signal: 'SIGHUP' }, { signal: 'SIGTERM' }, { signal: 'SIGINT' }, '\u0003']) {
    const what = typeof send === 'string' ? 'Ctrl-C' : send.signal;
    const r = await onPty([['Enter MFA code for ', send]], command, m.env);
    assert.equal(r.code, 0, `${what}: ${r.transcript}`);
    assert.match(r.transcript, /stsx-exit=130/, `${what}: ${r.transcript}`);
    const settings = r.transcript.slice(r.transcript.indexOf('stsx-exit='));
    assert.match(settings, /(^|\s)icanon(\s|;|$)/m, `${what}: canonical mode restored\n${settings}`);
    assert.match(settings, /(^|\s)echo(\s|;|$)/m, `${what}: echo restored\n${settings}`);
  }
});
