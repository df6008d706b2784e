// The built stsx reads the config files as the AWS SDKs' shared rules do, end to end on the
// project's STS server: a header followed by a comment is a header (its role is not the profile
// above's), upper-case keys count, dotted names are listed and completed, and the lint names the
// lines another AWS tool reads differently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStsServer, type StsServer } from '../support/sts-server.ts';
import { startImdsServer } from '../support/imds-server.ts';
import { errorLines, runStsx, sandbox } from '../support/run-cli.ts';

let sts: StsServer;
before(async () => {
  sts = await startStsServer({ region: 'eu-west-1' });
});
after(async () => {
  await sts?.close();
});

const ACCOUNT = '123456789012';

for (const comment of ['; the admin role', '# note']) {
  test(`a header followed by "${comment}" is a header: --profile a is not the role of b`, async () => {
    const u = sts.addUser({ account: ACCOUNT, userName: `base-${comment.length}` });
    const admin = `arn:aws:iam::${ACCOUNT}:role/Admin${comment.length}`;
    sts.addRole({ arn: admin, trustedPrincipalArns: [u.arn] });
    const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
    box.writeCredentials(`[base]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n`);
    box.writeConfig(`[profile a]\nregion = eu-west-1\n[profile b]${comment}\nrole_arn = ${admin}\nsource_profile = base\nregion = eu-west-1\n`);

    // `--profile a` has no credentials of its own: it must not assume Admin.
    const a = await runStsx(['assume', '--profile', 'a', '--format', 'json'], { env: box.env });
    assert.notEqual(a.code, 0, a.stdout);
    assert.equal(a.stdout, '');
    assert.match(errorLines(a.stderr).join("\n"), /no role to assume/);

    const listed = await runStsx(['profiles', '--output', 'json'], { env: box.env });
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as Array<{ name: string; kind: string; roleArn?: string | null }>;
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.deepEqual([...byName.keys()].sort(), ['a', 'b', 'base']);
    assert.equal(byName.get('a')?.kind, 'none');
    assert.equal(byName.get('a')?.roleArn ?? undefined, undefined);
    assert.equal(byName.get('b')?.kind, 'role');
    assert.equal(byName.get('b')?.roleArn, admin);
    // The lint names the line the JS SDK reads differently.
    assert.match(listed.stderr, new RegExp(`config:3: the JS SDK does not read this line as a section header`));

    const b = await runStsx(['assume', '--profile', 'b', '--format', 'json', '--debug'], { env: box.env });
    assert.equal(b.code, 0, b.stderr);
    // With --debug every command names the lines other AWS tools read differently.
    assert.match(b.stderr, /config:3: the JS SDK does not read this line as a section header/);
    const creds = JSON.parse(b.stdout) as { AccessKeyId: string };
    const who = await runStsx(['whoami', '--query', 'Arn'], { env: { ...box.env, AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: (JSON.parse(b.stdout) as { SecretAccessKey: string }).SecretAccessKey, AWS_SESSION_TOKEN: (JSON.parse(b.stdout) as { SessionToken: string }).SessionToken, AWS_REGION: 'eu-west-1' } });
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/Admin${comment.length}/`));
  });
}

test('upper-case keys, dotted names and blanks inside headers: listed, completed and used', async () => {
  const u = sts.addUser({ account: ACCOUNT, userName: 'upper' });
  const role = `arn:aws:iam::${ACCOUNT}:role/Dotted`;
  sts.addRole({ arn: role, trustedPrincipalArns: [u.arn] });
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  box.writeCredentials(`[base]\nAWS_ACCESS_KEY_ID = ${u.accessKeyId}\nAWS_SECRET_ACCESS_KEY = ${u.secretAccessKey}\n[profile foo]\naws_access_key_id = AKIAIGNORED000000000\n[in valid 2]\nk = v\n`);
  box.writeConfig(`[profile x.y]\nrole_arn = ${role}\nsource_profile = base\nregion = eu-west-1\n[profile \tspaced \t]\nregion = eu-west-1\n[   profile wide    ]\nregion = eu-west-1\n[profile empty]\n`);
  const listed = await runStsx(['profiles', '--output', 'json'], { env: box.env });
  assert.equal(listed.code, 0, listed.stderr);
  const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((r) => r.name).sort();
  assert.deepEqual(names, ['base', 'empty', 'spaced', 'wide', 'x.y']);
  const completed = await runStsx(['__complete', 'profiles'], { env: box.env });
  assert.equal(completed.code, 0, completed.stderr);
  assert.deepEqual(completed.stdout.split('\n').filter(Boolean), ['base', 'empty', 'spaced', 'wide', 'x.y']);
  // `[profile empty]` has no settings, and is a profile all the same: not "not in the file".
  const empty = await runStsx(['assume', '--profile', 'empty', '--format', 'json'], { env: box.env });
  assert.doesNotMatch(empty.stderr, /is not in/);
  const r = await runStsx(['whoami', '--profile', 'x.y', '--query', 'Arn'], { env: box.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /assumed-role\/Dotted\//);
});

test('files the SDKs refuse are refused, naming the file and line, before anything is printed', async () => {
  const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
  for (const [config, expected] of [
    ['[profile a]\nregion = eu-west-1\n[profile b]\n  -continued\n', /config:4: an indented line that continues no setting/],
    ['[profile a]\ns3 =\n  invalid\n', /malformed line at .*config:3: expected "name = value" under a setting with an empty value/],
  ] as const) {
    box.writeConfig(config);
    for (const args of [['profiles'], ['assume', '--profile', 'a']]) {
      const r = await runStsx(args, { env: box.env });
      assert.notEqual(r.code, 0);
      assert.equal(r.stdout, '');
      assert.match(errorLines(r.stderr).join('\n'), expected);
    }
  }
});

// The SDK's instance metadata provider reads its endpoint from the config file itself: it must read
// stsx's reading. Upper-case, under a header followed by a comment: the JS SDK alone would find
// no endpoint there, and try 169.254.169.254.
test('the instance role: the SDK provider reads ec2_metadata_service_endpoint as stsx reads the file', async () => {
  const imds = await startImdsServer({ region: 'eu-west-1' });
  try {
    const u = sts.addUser({ account: ACCOUNT, userName: 'imds-owner' });
    const instanceRole = `arn:aws:iam::${ACCOUNT}:role/instance`;
    sts.addRole({ arn: instanceRole, trustedPrincipalArns: [u.arn] });
    const s = sts.issueSession({ roleArn: instanceRole, sessionName: 'i-0cfg' });
    imds.setRole('instance', { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, Token: s.sessionToken ?? '', Expiration: (s.expiration ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const target = `arn:aws:iam::${ACCOUNT}:role/FromInstance`;
    sts.addRole({ arn: target, trustedPrincipalArns: [instanceRole] });
    const box = sandbox({ AWS_ENDPOINT_URL_STS: sts.url });
    delete box.env.AWS_EC2_METADATA_DISABLED;
    box.writeConfig(`[profile other]\nregion = eu-west-1\n[default]; the instance\nEC2_METADATA_SERVICE_ENDPOINT = ${imds.url}\nregion = eu-west-1\n[profile ci]\ncredential_source = Ec2InstanceMetadata\nrole_arn = ${target}\nregion = eu-west-1\n`);
    const r = await runStsx(['whoami', '--profile', 'ci', '--query', 'Arn'], { env: box.env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^arn:aws:sts::123456789012:assumed-role\/FromInstance\//);
  } finally {
    await imds.close();
  }
});
