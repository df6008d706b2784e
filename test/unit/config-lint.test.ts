// What loadConfigFiles accepts, files and rejects, message and hint exactly: the lint (the AWS
// CLI's strictness) and the SDK-compatible parse run as one pass over each file, and must report
// the same first error in the same order as two passes would (config lint, credentials lint, then
// the parse's refusals). The expectations were recorded from the two-pass implementation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFiles } from '../../src/config/config-files.ts';
import { ConfigError } from '../../src/errors.ts';

type Expected = { error: string } | { result: unknown };
const CASES: Array<[string, string, string, Expected]> = [
  ['header unclosed', '[profile x\nregion = a\n', '', { error: 'malformed section header at /c:1 | a section looks like [profile name] (config) or [name] (credentials)' }],
  ['empty header', '[]\n', '', { error: 'malformed section header at /c:1 | a section looks like [profile name] (config) or [name] (credentials)' }],
  ['nested brackets', '[a[b]]\nk = v\n', '', { error: 'malformed section header at /c:1 | a section looks like [profile name] (config) or [name] (credentials)' }],
  ['header with comment', '[profile x] # c\nk = v\n', '', { result: { config: { x: { k: 'v' } }, credentials: {} } }],
  ['header with junk after', '[profile x] junk\n', '', { error: 'malformed section header at /c:1 | a section looks like [profile name] (config) or [name] (credentials)' }],
  ['setting before section', 'k = v\n[default]\n', '', { error: '/c:1: a setting appears before any [section] | put settings under a [default] or [profile name] header' }],
  ['indented before section', '  k = v\n[default]\n', '', { error: '/c:1: a setting appears before any [section] | put settings under a [default] or [profile name] header' }],
  ['bom then setting', '\ufeffk = v\n', '', { error: '/c:1: a setting appears before any [section] | put settings under a [default] or [profile name] header' }],
  ['bom then header', '\ufeff[default]\nk = v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['no equals', '[default]\nnoequals\n', '', { error: 'malformed line at /c:2: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['leading equals', '[default]\n= v\n', '', { error: 'malformed line at /c:2: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['crlf error line 3', '[default]\r\nk = v\r\noops\r\n', '', { error: 'malformed line at /c:3: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['lone cr', '[default]\rk = v\n', '', { error: 'malformed section header at /c:1 | a section looks like [profile name] (config) or [name] (credentials)' }],
  ['comment lines', '# c\n; c\n[default]\n  # indented comment\nk = v ; c\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['continuation', '[default]\ns3 =\n  endpoint_url = x\n\tother\n', '', { result: { config: { default: { 's3.endpoint_url': 'x' } }, credentials: {} } }],
  ['blank with spaces before section', '   \n\t\n[default]\nk=v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['config ok, credentials bad', '[default]\nk = v\n', '[c]\noops\n', { error: 'malformed line at /k:2: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['both bad: config wins', '[default]\noops\n', '[c]\noops\n', { error: 'malformed line at /c:2: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['proto in config', '[__proto__]\nk = v\n', '', { error: 'cannot use the AWS config files: Found invalid profile name "__proto__" | fix /c or /k' }],
  ['proto in credentials', '', '[profile __proto__]\nk = v\n', { error: 'cannot use the AWS config files: Found invalid profile name "profile __proto__" | fix /c or /k' }],
  ['proto in config, lint error in credentials', '[__proto__]\nk = v\n', 'oops\n', { error: '/k:1: a setting appears before any [section] | put settings under a [default] or [profile name] header' }],
  ['proto in config, lint error later in config', '[__proto__]\nk = v\noops\n', '', { error: 'malformed line at /c:3: expected "key = value" | fix or comment out that line (comments start with #)' }],
  ['proto in both', '[profile __proto__]\nk = v\n', '[__proto__]\nk = v\n', { error: 'cannot use the AWS config files: Found invalid profile name "profile __proto__" | fix /c or /k' }],
  ['nbsp indent', '[default]\n\u00a0k = v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['header leading spaces', '   [default]\nk = v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['header trailing spaces', '[default]   \nk = v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['comment after header no space', '[default]#x\nk = v\n', '', { result: { config: {}, credentials: {} } }],
  ['inline comments', '[default]\nk = v # c\nj = a#b\nm = x\t;y\n', '', { result: { config: { default: { k: 'v', j: 'a#b', m: 'x' } }, credentials: {} } }],
  ['indented setting in section', '[default]\n  \n\tk2 = v\n', '', { result: { config: { default: { k2: 'v' } }, credentials: {} } }],
  ['services nesting', '[profile a] ;c\nservices = s\n[services s]\nsts =\n  endpoint_url = http://x\nafter = 1\n', '', { result: { config: { a: { services: 's' }, 'services.s': { 'sts.endpoint_url': 'http://x', after: '1' } }, credentials: {} } }],
  ['empty value then top level', '[default]\nk =\nj = 1\n  i = 2\n', '', { result: { config: { default: { j: '1', i: '2' } }, credentials: {} } }],
  ['only a comment', '#only\n', '', { result: { config: {}, credentials: {} } }],
  ['spaced header', '[default]\n[ spaced ]\nk=v\n', '', { result: { config: {}, credentials: {} } }],
  ['line separator line', '[default]\nk = v\n\u2028\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['bom on a later line', '[default]\n\ufeffk = v\n', '', { result: { config: { default: { k: 'v' } }, credentials: {} } }],
  ['bom then indent', '\ufeff  k = v\n', '', { error: '/c:1: a setting appears before any [section] | put settings under a [default] or [profile name] header' }],
  ['duplicate sections', '[a]\nx=1\n[profile b]\nz=0\n[a]\ny=2\n', '[a]\nx=1\n[b]\nq=1\n[a]\ny=2\n', { result: { config: { b: { z: '0' } }, credentials: { a: { x: '1', y: '2' }, b: { q: '1' } } } }],
  ['quoted and odd names', '[profile "q"]\nk=v\n[profile \'r\']\nk=w\n[sso-session s]\nu=1\n[weird name]\nk=v\n[profile a b]\nk=v\n', '[weird name]\nk=v\n[123]\nk=v\n[profile x]\nk=v\n', { result: { config: { q: { k: 'v' }, r: { k: 'w' }, 'sso-session.s': { u: '1' } }, credentials: { '123': { k: 'v' }, 'profile.x': { k: 'v' } } } }],
  ['comment in header name', '[def#ault]\nk=v\n[a ;b]\nk=v\n', '', { result: { config: {}, credentials: {} } }],
  ['equals in value', '[default]\nk = a=b = c\n', '', { result: { config: { default: { k: 'a=b = c' } }, credentials: {} } }],
  ['ok', '[default]\nregion = eu-west-1\n[profile a]\nrole_arn = x\n', '[a]\naws_access_key_id = A\n', { result: { config: { default: { region: 'eu-west-1' }, a: { role_arn: 'x' } }, credentials: { a: { aws_access_key_id: 'A' } } } }],
];

for (const [name, config, credentials, expected] of CASES) {
  test(`config files: ${name}`, async () => {
    const files: Record<string, string> = { '/c': config, '/k': credentials };
    const load = loadConfigFiles({ config: '/c', credentials: '/k' }, (f) => Promise.resolve(files[f] ?? ''));
    if ('error' in expected) {
      const error = await load.then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(`${error.message} | ${error.hint ?? ''}`, expected.error);
    } else {
      const r = await load;
      const object = (sections: typeof r.config): Record<string, unknown> => Object.fromEntries(sections.names().map((name) => [name, sections.get(name)]));
      assert.deepEqual(JSON.parse(JSON.stringify({ config: object(r.config), credentials: object(r.credentials) })), expected.result);
    }
  });
}
