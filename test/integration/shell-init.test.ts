// `stsx init <shell>` in the real shells, interactively, through a pseudo-terminal
// (test/fixtures/pty/drive.py), against the project's STS server: after `stsx assume` in that
// shell, `stsx whoami` and the AWS CLI show the role; after `stsx unset` the base user again; a
// failed run changes nothing; piped output is passed through, not applied. PowerShell is checked by
// grammar in test/unit/completion.test.ts (no pwsh here).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { ROOT, sandbox, STSX_ARGV, type Sandbox } from '../support/run-cli.ts';
import { sq } from '../support/shell.ts';
import { findNu, NU_MISSING } from '../support/nu.ts';

const ACCOUNT = '444455556666';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/InitRole`;
const AWS_CLI = '/usr/bin/aws';

let sts: StsServer;
let user: { arn: string; accessKeyId: string; secretAccessKey: string };
before(async () => {
  sts = await startStsServer({ region: 'us-west-2' });
  user = sts.addUser({ account: ACCOUNT, userName: 'init-user' });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [user.arn] });
});
after(async () => {
  await sts?.close();
});

/** A sandbox whose base identity is the user (credentials file) and whose PATH has `stsx`. */
function box(): Sandbox {
  const b = sandbox({ TERM: 'dumb', AWS_PAGER: '' });
  const bin = path.join(b.home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'stsx'), `#!/bin/sh\nexec ${STSX_ARGV.map(sq).join(' ')} "$@"\n`);
  chmodSync(path.join(bin, 'stsx'), 0o755);
  b.env['PATH'] = `${bin}:${b.env['PATH'] ?? ''}`;
  b.env['AWS_ENDPOINT_URL_STS'] = sts.url;
  b.writeCredentials(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  b.writeConfig('[default]\nregion = us-west-2\n');
  return b;
}

async function onPty(steps: [string, string][], argv: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; transcript: string }> {
  const { stdout } = await promisify(execFile)('python3', [path.join(ROOT, 'test/fixtures/pty/drive.py'), JSON.stringify(steps), ...argv], { env: { ...env, PTY_DRIVE_TIMEOUT: '150' }, cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as { code: number; transcript: string };
}

interface ShellCase {
  name: string;
  argv(b: Sandbox): string[];
  /** The line that loads `stsx init` into the running shell. */
  load(b: Sandbox): string;
  /** A line that prints `<mark>-<exit status of the previous command>`, typed differently. */
  mark(mark: string): string;
}

const SHELLS: ShellCase[] = [
  { name: 'bash', argv: () => ['bash', '--norc', '--noprofile', '-i'], load: () => 'eval "$(stsx init bash)"', mark: (m) => `printf '%s-%s\\n' ${m} $?` },
  { name: 'zsh', argv: () => ['zsh', '-f', '-i'], load: () => 'eval "$(stsx init zsh)"', mark: (m) => `printf '%s-%s\\n' ${m} $?` },
  { name: 'fish', argv: () => ['fish', '--no-config', '-i'], load: () => 'stsx init fish | source', mark: (m) => `printf '%s-%s\\n' ${m} $status` },
  {
    name: 'nu',
    argv: () => [findNu() ?? 'nu', '-n', '--no-std-lib', '-i'],
    // The documented way: save the script, then `source` it (nushell parses sourced files first,
    // so a session sources a file that exists when the line is read).
    load: (b) => `source ${JSON.stringify(path.join(b.home, 'stsx.nu'))}`,
    mark: (m) => `^printf '%s-%s\\n' ${m} ($env.LAST_EXIT_CODE)`,
  },
];

/** The text between the outputs `<from>-N` and `<to>-N` (typed commands show `<mark> $?` instead). */
function between(transcript: string, from: string, to: string): string {
  const start = new RegExp(`${from}-\\d+`).exec(transcript);
  const end = new RegExp(`${to}-\\d+`).exec(transcript);
  assert.ok(start && end, `markers ${from}/${to} missing in:\n${transcript}`);
  return transcript.slice(start.index, end.index);
}
const status = (transcript: string, mark: string): string => new RegExp(`${mark}-(\\d+)`).exec(transcript)?.[1] ?? 'missing';

for (const shell of SHELLS) {
  describe(`stsx init ${shell.name}, in an interactive ${shell.name}`, () => {
    before(() => {
      const bin = shell.argv(box())[0] ?? shell.name;
      const probe = spawnSync(bin, ['-c', 'exit 0']);
      assert.ok(!probe.error, shell.name === 'nu' ? NU_MISSING : `${bin} is not installed; CI must run: apt-get install -y ${shell.name}`);
      assert.ok(spawnSync(AWS_CLI, ['--version']).status === 0, `${AWS_CLI} is missing; CI must install the AWS CLI`);
    });

    test('assume applies the role (stsx whoami and aws agree), a failure and a pipe change nothing, unset restores the user', async () => {
      const b = box();
      if (shell.name === 'nu') {
        const script = spawnSync(STSX_ARGV[0] ?? '', [...STSX_ARGV.slice(1), 'init', 'nu'], { env: b.env, encoding: 'utf8' });
        assert.equal(script.status, 0, script.stderr);
        writeFileSync(path.join(b.home, 'stsx.nu'), script.stdout);
      }
      const check = `stsx whoami --query Arn; ${AWS_CLI} sts get-caller-identity --endpoint-url ${sts.url} --query Arn --output text`;
      // A failed command ends a nushell line: catch it to print its status.
      const failing = `stsx assume --role-arn ${ROLE}-missing --no-cache`;
      const steps: [string, string][] = [
        ['', `${shell.load(b)}; ${shell.mark('LOADED')}\r`],
        ['LOADED-', `stsx assume --role-arn ${ROLE} --role-session-name pty-init; ${shell.mark('ASSUMED')}\r`],
        ['ASSUMED-', `${check}; ${shell.mark('ROLE')}\r`],
        ['ROLE-', `${shell.name === 'nu' ? `try { ${failing} } catch { }` : failing}; ${shell.mark('FAILED')}\r`],
        ['FAILED-', `stsx whoami --query Arn; ${shell.mark('STILL')}\r`],
        // nushell cannot see a pipe: the text is `^stsx` (the binary, not the wrapper), as init.nu says.
        ['STILL-', `${shell.name === 'nu' ? '^stsx unset --format nu | ^cat' : 'stsx unset | cat'}; ${shell.mark('PIPED')}\r`],
        ['PIPED-', `stsx whoami --query Arn; ${shell.mark('KEPT')}\r`],
        ['KEPT-', `stsx unset; ${shell.mark('UNSET')}\r`],
        ['UNSET-', `${check}; ${shell.mark('USER')}\r`],
        ['USER-', 'exit\r'],
      ];
      const r = await onPty(steps, shell.argv(b), b.env, b.home);
      const t = r.transcript;
      assert.equal(status(t, 'LOADED'), '0', t);
      assert.equal(status(t, 'ASSUMED'), '0', t);
      const assumed = `arn:aws:sts::${ACCOUNT}:assumed-role/InitRole/pty-init`;
      const roleOut = between(t, 'ASSUMED', 'ROLE');
      // Both tools print the role: once from stsx whoami, once from the AWS CLI.
      assert.equal(roleOut.split(assumed).length - 1, 2, roleOut);
      assert.doesNotMatch(between(t, 'LOADED', 'ASSUMED'), /AWS_SECRET_ACCESS_KEY|warning:/, 'the applied lines are not shown');
      // A refused assume (access denied): its exit status comes through and the shell keeps the role.
      assert.equal(status(t, 'FAILED'), '4', between(t, 'ROLE', 'FAILED'));
      assert.equal(between(t, 'FAILED', 'STILL').split(assumed).length - 1, 1, between(t, 'FAILED', 'STILL'));
      // Piped: the text goes down the pipe, and the shell keeps the role.
      assert.match(between(t, 'STILL', 'PIPED'), /AWS_ACCESS_KEY_ID/);
      assert.equal(between(t, 'PIPED', 'KEPT').split(assumed).length - 1, 1, 'a piped unset changes nothing');
      assert.equal(status(t, 'UNSET'), '0', t);
      const userOut = between(t, 'UNSET', 'USER');
      assert.equal(userOut.split(user.arn).length - 1, 2, userOut);
      assert.doesNotMatch(userOut, /assumed-role/);
    });
  });
}

/** Prints `P=<AWS_PROFILE> R=<AWS_REGION> K=<set|none>`, whatever the shell. */
const SHOW: Record<string, string> = {
  bash: `printf 'P=%s R=%s K=%s\\n' "\${AWS_PROFILE-none}" "\${AWS_REGION-none}" "\${AWS_ACCESS_KEY_ID+set}"`,
  zsh: `printf 'P=%s R=%s K=%s\\n' "\${AWS_PROFILE-none}" "\${AWS_REGION-none}" "\${AWS_ACCESS_KEY_ID+set}"`,
  fish: `printf 'P=%s R=%s K=%s\\n' (set -q AWS_PROFILE; and echo $AWS_PROFILE; or echo none) (set -q AWS_REGION; and echo $AWS_REGION; or echo none) (set -q AWS_ACCESS_KEY_ID; and echo set; or echo '')`,
  nu: `print $"P=($env.AWS_PROFILE? | default 'none') R=($env.AWS_REGION? | default 'none') K=(if ('AWS_ACCESS_KEY_ID' in $env) { 'set' } else { '' })"`,
};
const SET_BASE: Record<string, string> = {
  bash: 'export AWS_PROFILE=base AWS_REGION=us-west-2',
  zsh: 'export AWS_PROFILE=base AWS_REGION=us-west-2',
  fish: 'set -gx AWS_PROFILE base; set -gx AWS_REGION us-west-2',
  nu: "$env.AWS_PROFILE = 'base'; $env.AWS_REGION = 'us-west-2'",
};

for (const shell of SHELLS) {
  describe(`stsx init ${shell.name}: back to where you started, and --write-profile passed through`, () => {
    test('AWS_PROFILE and AWS_REGION set before two assumes come back with unset; --write-profile writes the file; whoami works after', async () => {
      const b = box();
      if (shell.name === 'nu') {
        const script = spawnSync(STSX_ARGV[0] ?? '', [...STSX_ARGV.slice(1), 'init', 'nu'], { env: b.env, encoding: 'utf8' });
        assert.equal(script.status, 0, script.stderr);
        writeFileSync(path.join(b.home, 'stsx.nu'), script.stdout);
      }
      b.writeCredentials(`[base]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
      b.writeConfig(`[profile base]\nregion = us-west-2\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\n`);
      const steps: [string, string][] = [
        ['', `${shell.load(b)}; ${shell.mark('LOADED')}\r`],
        ['LOADED-', `${SET_BASE[shell.name] ?? ''}; ${shell.mark('BASE')}\r`],
        ['BASE-', `stsx assume --profile admin --role-session-name first; ${shell.mark('FIRST')}\r`],
        ['FIRST-', `${SHOW[shell.name] ?? ''}; ${shell.mark('SHOWN1')}\r`],
        // Kept in the shell, never exported: a child (given the role) must not get the base keys.
        ['SHOWN1-', `sh -c 'echo EXPORTED-$(env | grep -ci stsx_saved)'; ${shell.mark('KIDS')}\r`],
        ['KIDS-', `stsx assume --profile admin --role-session-name second --no-cache; ${shell.mark('SECOND')}\r`],
        ['SECOND-', `stsx assume --profile admin --write-profile dev; ${shell.mark('WROTE')}\r`],
        ['WROTE-', `stsx unset; ${shell.mark('UNSET')}\r`],
        ['UNSET-', `${SHOW[shell.name] ?? ''}; ${shell.mark('SHOWN2')}\r`],
        ['SHOWN2-', `stsx whoami --query Arn; ${shell.mark('WHO')}\r`],
        ['WHO-', 'exit\r'],
      ];
      const r = await onPty(steps, shell.argv(b), b.env, b.home);
      const t = r.transcript;
      for (const m of ['LOADED', 'BASE', 'FIRST', 'SECOND', 'UNSET', 'WHO']) assert.equal(status(t, m), '0', `${m}:\n${t}`);
      assert.match(between(t, 'FIRST', 'SHOWN1'), /P=none R=us-west-2 K=set/);
      // With the wrapper loaded, --write-profile goes to the file, not to the shell.
      assert.equal(status(t, 'WROTE'), '0', between(t, 'SECOND', 'WROTE'));
      assert.match(readFileSync(b.env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8'), /\n\[dev\]\naws_access_key_id = ASIA/);
      assert.match(between(t, 'UNSET', 'SHOWN2'), /P=base R=us-west-2 K=\r?\n/, 'back to where the shell started');
      const who = between(t, 'SHOWN2', 'WHO');
      assert.ok(who.includes(user.arn), who);
      assert.match(between(t, 'SHOWN1', 'KIDS'), /EXPORTED-0/, 'the kept values are not exported');
    });
  });
}
