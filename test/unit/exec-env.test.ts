// The child's environment under `stsx exec`: the shell formats' list (env-vars.ts), STSX_*, and
// with --server the container-credentials variables instead of keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childAssignments, childEnv, outerExec } from '../../src/exec/child-env.ts';
import { credentialEnv } from '../../src/output/credentials/env-vars.ts';

const out = { credentials: { accessKeyId: 'ASIAX', secretAccessKey: 'sec', sessionToken: 'tok', expiration: new Date('2030-01-01T00:00:00Z') }, region: 'eu-west-1' };

test('keys: exactly the shell formats\' assignments, then STSX_PROFILE and STSX_ROLE_ARN', () => {
  const list = childAssignments({ kind: 'keys', out }, { profile: 'work', roleArn: 'arn:aws:iam::123456789012:role/R' });
  assert.deepEqual(list.slice(0, -2), credentialEnv(out));
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
    childAssignments({ kind: 'server', url: 'http://127.0.0.1:1234/stsx/credentials', token: 'T', region: 'eu-west-1' }, { profile: 'p', roleArn: 'arn:aws:iam::123456789012:role/R' }),
    'linux',
  );
  assert.deepEqual({ ...env }, {
    AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1234/stsx/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'T',
    STSX_PROFILE: 'p', STSX_ROLE_ARN: 'arn:aws:iam::123456789012:role/R',
  });
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
