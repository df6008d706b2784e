// Habits users bring from aws-vault and granted: the profile as the first word (`stsx assume
// admin`, `stsx exec admin -- cmd`), `stsx exec` with no command starting a shell, `--role` for
// `--role-arn`, and a config key spelt `role-arn`. Against the project's own STS server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { errorLines, runStsx, sandbox, type Sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-central-1' });
});
after(async () => {
  await sts?.close();
});

const ROLE = 'arn:aws:iam::111122223333:role/Admin';

function box(roleKey = 'role_arn'): Sandbox {
  const u = sts.addUser({ account: '111122223333', userName: `u${Math.random().toString(36).slice(2, 8)}` });
  sts.addRole({ arn: ROLE, trustedPrincipalArns: [u.arn] });
  const b = sandbox({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'eu-central-1' });
  b.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
  b.writeConfig(`[profile base]\nregion = eu-central-1\n[profile admin]\n${roleKey} = ${ROLE}\nsource_profile = base\n[profile other]\nregion = eu-west-1\n`);
  return b;
}

test('stsx assume admin: the first word is the profile, as --profile is', async () => {
  const b = box();
  for (const args of [['assume', 'admin'], ['assume', '--profile', 'admin'], ['assume', 'admin', '--profile', 'admin']]) {
    const r = await runStsx([...args, '--format', 'json', '--no-cache'], { env: b.env });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /"SessionToken"/);
    assert.equal(sts.requests.filter((q) => q.action === 'AssumeRole').at(-1)?.params.RoleArn, ROLE);
  }
});

test('a profile word and a different --profile: a usage error naming both, nothing asked of STS', async () => {
  const b = box();
  const before = sts.requests.length;
  for (const args of [['assume', 'admin', '--profile', 'other'], ['exec', 'admin', '--profile', 'other', '--', 'true'], ['whoami', 'admin', '--profile', 'other'], ['session-token', 'base', '--profile', 'other'], ['console', 'admin', '--profile', 'other', '--print']]) {
    const r = await runStsx(args, { env: b.env });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(errorLines(r.stderr)[0] ?? '', /^stsx: two profiles given: "(admin|base)" and --profile "other"$/);
  }
  assert.equal(sts.requests.length, before);
});

test('stsx whoami admin: whoami takes the profile as a word too', async () => {
  const b = box();
  const r = await runStsx(['whoami', 'admin', '--query', 'Arn'], { env: b.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^arn:aws:sts::111122223333:assumed-role\/Admin\//);
});

test('stsx exec admin -- cmd: the word before -- is the profile; without --, the words are the command as before', async () => {
  const b = box();
  const r = await runStsx(['exec', 'admin', '--', 'sh', '-c', 'printf "%s %s" "$STSX_PROFILE" "$STSX_ROLE_ARN"'], { env: b.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `admin ${ROLE}`);
  const plain = await runStsx(['exec', '--profile', 'admin', '--', 'printenv', 'STSX_PROFILE'], { env: b.env });
  assert.equal(plain.stdout, 'admin\n', plain.stderr);
  const noDashes = await runStsx(['exec', '--profile', 'admin', 'printenv', 'STSX_PROFILE'], { env: b.env });
  assert.equal(noDashes.stdout, 'admin\n', noDashes.stderr);
  const two = await runStsx(['exec', 'admin', 'other', '--', 'true'], { env: b.env });
  assert.equal(two.code, 2);
  assert.match(errorLines(two.stderr)[0] ?? '', /^stsx: stsx exec takes one profile before --, not 2 words \("admin" "other"\)$/);
});

test('stsx exec --profile admin with no command: $SHELL with the credentials and STSX_PROFILE; a nested exec says so', async () => {
  const b = box();
  const script = 'printf "%s|%s|" "$STSX_PROFILE" "${AWS_SESSION_TOKEN:+token}"; exit 7';
  const r = await runStsx(['exec', '--profile', 'admin'], { env: { ...b.env, SHELL: '/bin/sh' }, input: script });
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout, 'admin|token|');
  assert.match(r.stderr, /running \/bin\/sh$/m);
  // No SHELL: /bin/sh; `stsx exec admin --` is the same.
  const env = { ...b.env };
  delete env.SHELL;
  const bare = await runStsx(['exec', 'admin', '--'], { env, input: 'printf "%s" "$STSX_PROFILE"' });
  assert.equal(bare.stdout, 'admin', bare.stderr);
  const nested = await runStsx(['exec', '--', 'true'], { env: { ...b.env, STSX_PROFILE: 'admin', STSX_ROLE_ARN: ROLE } });
  assert.match(nested.stderr, /running inside `stsx exec`/);
});

test('--role suggests --role-arn, not --profile', async () => {
  const b = box();
  for (const args of [['assume', '--role', ROLE], ['exec', '--role', ROLE, '--', 'true'], ['console', '--role', ROLE]]) {
    const r = await runStsx(args, { env: b.env });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(errorLines(r.stderr)[0], "stsx: unknown option '--role' (Did you mean --role-arn?)");
  }
  // Others keep commander's nearest name.
  const r = await runStsx(['assume', '--profil', 'admin'], { env: b.env });
  assert.match(r.stderr, /Did you mean --profile\?/);
});

test('role-arn (hyphen) in a profile: "did you mean role_arn?" in stsx profiles and in the error', async () => {
  const b = box('role-arn');
  const before = sts.requests.length;
  const r = await runStsx(['assume', 'admin', '--format', 'json'], { env: b.env });
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(errorLines(r.stderr), ['stsx: no role to assume', '  hint: profile "admin": unknown setting "role-arn": did you mean role_arn?']);
  assert.equal(sts.requests.length, before);
  for (const args of [['profiles'], ['profiles', '--output', 'json'], ['profiles', '--debug']]) {
    const p = await runStsx(args, { env: b.env });
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, /^stsx: warning: profile "admin": unknown setting "role-arn": did you mean role_arn\?$/m, args.join(' '));
  }
  // A correct config says nothing of the kind.
  const good = await runStsx(['profiles'], { env: box().env });
  assert.doesNotMatch(good.stderr, /did you mean/);
});
