// The child's environment under `stsx exec`: the shell formats' list (env-vars.ts), STSX_*, and
// with --server the container-credentials variables instead of keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childAssignments, childEnv, outerExec } from '../../src/exec/child-env.ts';
import { credentialEnv } from '../../src/output/credentials/env-vars.ts';
import { overlayProfileName, overlayText } from '../../src/exec/config-overlay.ts';

const out = { credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'sec', sessionToken: 'tok', expiration: new Date('2030-01-01T00:00:00Z') }, region: 'eu-west-1' };

test('keys: exactly the shell formats\' assignments, the web identity variables removed, then STSX_PROFILE and STSX_ROLE_ARN', () => {
  const list = childAssignments({ kind: 'keys', out }, { profile: 'work', roleArn: 'arn:aws:iam::123456789012:role/R' });
  assert.deepEqual(list.slice(0, -5), credentialEnv(out));
  assert.deepEqual(list.slice(-5, -2), ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_SESSION_NAME'].map((name) => ({ name, value: null })));
  assert.deepEqual(list.slice(-2), [{ name: 'STSX_PROFILE', value: 'work' }, { name: 'STSX_ROLE_ARN', value: 'arn:aws:iam::123456789012:role/R' }]);
  const env = childEnv({ PATH: '/bin', AWS_PROFILE: 'work', AWS_DEFAULT_PROFILE: 'x', AWS_SECURITY_TOKEN: 'old', STSX_ROLE_ARN: 'outer', KEEP: '1' }, childAssignments({ kind: 'keys', out }, { profile: 'default' }), 'linux');
  assert.deepEqual({ ...env }, {
    PATH: '/bin', KEEP: '1', AWS_ACCESS_KEY_ID: 'ASIAX', AWS_SECRET_ACCESS_KEY: 'sec', AWS_SESSION_TOKEN: 'tok', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
    AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1', STSX_PROFILE: 'default',
  });
});

test('server: no keys and no expiry, the URL and token, the container variables of a parent removed', () => {
  const env = childEnv(
    { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/f', AWS_PROFILE: 'p' },
    childAssignments({ kind: 'server', url: 'http://127.0.0.1:1234/stsx/credentials', token: 'T', region: 'eu-west-1', overlay: { configFile: '/tmp/o/config', profile: 'stsx-exec-1' } }, { profile: 'p', roleArn: 'arn:aws:iam::123456789012:role/R' }),
    'linux',
  );
  assert.deepEqual({ ...env }, {
    AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1234/stsx/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'T',
    AWS_CONFIG_FILE: '/tmp/o/config', AWS_PROFILE: 'stsx-exec-1', AWS_SDK_LOAD_CONFIG: '1',
    STSX_PROFILE: 'p', STSX_ROLE_ARN: 'arn:aws:iam::123456789012:role/R',
  });
});

test('both: web identity variables of the environment are removed (the SDKs would read them first)', () => {
  const base = { AWS_ROLE_ARN: 'arn:aws:iam::1:role/x', AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_SESSION_NAME: 's' };
  const server = { kind: 'server' as const, url: 'http://127.0.0.1:1/stsx/credentials', token: 'T', overlay: { configFile: '/c', profile: 'stsx-exec-1' } };
  for (const credentials of [{ kind: 'keys' as const, out }, server]) {
    const env = childEnv(base, childAssignments(credentials, { profile: 'p' }), 'linux');
    for (const name of Object.keys(base)) assert.equal(env[name], undefined, `${credentials.kind}: ${name}`);
  }
});

test('the overlay: the config as it is, a blank line, the credential-less profile; a bad region is refused', () => {
  assert.match(overlayText('', 'p', 'eu-west-1'), /^# [^\n]*\n\[profile p\]\nregion = eu-west-1\n$/);
  const section = (text: string): string => text.replace(/^# .*\n/m, '');
  assert.equal(section(overlayText('[default]\nregion = us-east-1', 'p', 'eu-west-1')), '[default]\nregion = us-east-1\n\n[profile p]\nregion = eu-west-1\n');
  assert.equal(section(overlayText('[default]\nx =\n  y = 1\n', 'p', 'eu-west-1')), '[default]\nx =\n  y = 1\n\n[profile p]\nregion = eu-west-1\n');
  assert.equal(section(overlayText('[default]\n\n', 'p', 'eu-west-1')), '[default]\n\n[profile p]\nregion = eu-west-1\n');
  assert.throws(() => overlayText('', 'p', 'eu-west-1\ncredential_process = x'), /not a region/);
  assert.match(overlayProfileName(), /^stsx-exec-[0-9a-f]{12}$/);
});

test('Windows: variable names match whatever their case', () => {
  const env = childEnv({ Path: 'C:\\bin', aws_profile: 'p', Aws_Access_Key_Id: 'old' }, childAssignments({ kind: 'keys', out }, { profile: 'p' }), 'win32');
  assert.equal(env.aws_profile, undefined);
  assert.equal(env.Aws_Access_Key_Id, undefined);
  assert.equal(env.AWS_ACCESS_KEY_ID, 'ASIAX');
  assert.equal(env.Path, 'C:\\bin');
  // Elsewhere names are case-sensitive: a lower-case one is another variable.
  assert.equal(childEnv({ aws_profile: 'p' }, [{ name: 'AWS_PROFILE', value: null }], 'linux').aws_profile, 'p');
});

test('outerExec: inside stsx exec when STSX_PROFILE or STSX_ROLE_ARN is set', () => {
  assert.equal(outerExec({}), undefined);
  assert.deepEqual(outerExec({ STSX_ROLE_ARN: 'arn:aws:iam::123456789012:role/R' }), { profile: 'default', roleArn: 'arn:aws:iam::123456789012:role/R' });
  assert.deepEqual(outerExec({ STSX_PROFILE: 'dev' }), { profile: 'dev', roleArn: undefined });
});
