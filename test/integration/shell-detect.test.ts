// The format guess, for real: stsx run by fish (or zsh) that was started from bash, with
// SHELL=/bin/bash as a login shell leaves it. The running shell must get its own lines, found from
// the parent process, and `| source` / `eval` must then set the variables and drop AWS_PROFILE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { sandbox, STSX } from '../support/run-cli.ts';
import { runShell, sq } from '../support/shell.ts';

let sts: StsServer;
let env: Record<string, string>;
const ROLE = 'arn:aws:iam::111122223333:role/detect';
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
  const u = sts.addUser({ account: '111122223333', userName: 'detect' });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL_STS: sts.url, SHELL: '/bin/bash', AWS_PROFILE: 'keys' });
  // The source credentials come from AWS_PROFILE, which the output must then unset.
  box.writeCredentials(`[keys]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  env = { ...box.env, XDG_CONFIG_HOME: `${box.home}/.config` };
});
after(async () => {
  await sts?.close();
});

const stsx = `${sq(process.execPath)} ${sq(STSX)} assume --role-arn ${ROLE} --no-cache --debug`;

/** The AWS_* variables of `env -0` output. */
function awsVars(stdout: string): Map<string, string> {
  return new Map(stdout.split('\0').filter((e) => e.startsWith('AWS_')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]));
}

test('fish started from bash (SHELL=/bin/bash): fish lines, and | source works', async () => {
  const fishScript = `${stsx} | source; or exit 97; exec env -0`;
  const r = await runShell('bash', `fish --no-config -c ${sq(fishScript)}; exit $?`, env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stsx: debug: format fish \(the parent process is fish \(pid \d+\)\)/);
  assert.doesNotMatch(r.stderr, /Unknown command|fish:/);
  const vars = awsVars(r.stdout);
  assert.match(vars.get('AWS_SESSION_TOKEN') ?? '', /.+/);
  assert.match(vars.get('AWS_ACCESS_KEY_ID') ?? '', /^ASIA/);
  assert.equal(vars.get('AWS_REGION'), 'eu-central-1');
  assert.ok(!vars.has('AWS_PROFILE'), 'AWS_PROFILE must be gone');
});

test('zsh started from bash: zsh is named, and eval "$(...)" works', async () => {
  const zshScript = `set -e; eval "$(${stsx})"; exec env -0`;
  const r = await runShell('bash', `zsh -f -c ${sq(zshScript)}; exit $?`, env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stsx: debug: format zsh \(the parent process is zsh \(pid \d+\)\)/);
  const vars = awsVars(r.stdout);
  assert.match(vars.get('AWS_ACCESS_KEY_ID') ?? '', /^ASIA/);
  assert.ok(!vars.has('AWS_PROFILE'));
});

test('bash started from fish (SHELL=/usr/bin/fish), through env and timeout: bash lines', async () => {
  const bashScript = `set -e; eval "$(timeout 20 env ${stsx})"; exec env -0`;
  const r = await runShell('fish', `bash --norc --noprofile -c ${sq(bashScript)}`, { ...env, SHELL: '/usr/bin/fish' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stsx: debug: format bash \(the parent process is bash \(pid \d+\), past timeout\)/);
  assert.ok(!awsVars(r.stdout).has('AWS_PROFILE'));
});

test('not started from a shell: SHELL decides, and --debug says why', async () => {
  const r = await runShell('sh', `exec python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))' ${stsx}`, { ...env, SHELL: '/usr/bin/fish' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stsx: debug: format fish \(the parent process python3 \(pid \d+\) is not a shell; SHELL is \/usr\/bin\/fish\)/);
  assert.match(r.stdout, /^set -gx AWS_ACCESS_KEY_ID '/m);
});
