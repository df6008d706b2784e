// Feeds rendered lines to the real shells, the way users do (`eval "$(stsx ...)"`, `... | source`),
// and reads back the environment the shell would hand to the next program, byte for byte.
// CI installs the shells: apt-get install -y bash dash zsh fish (env -0 is coreutils).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  credentialEnv, renderCredentials, renderUnset, unsetEnv, type CredentialOutput, type EnvAssignment, type Format,
} from '../../src/output/credentials/render.ts';
import { HOSTILE_VALUES } from '../fixtures/shells/hostile-values.ts';
import { findNu } from '../support/nu.ts';

interface Shell {
  format: Format;
  bin: string;
  /** Debian package that provides `bin`. */
  apt: string;
  /** argv that evaluates the file as users do, fails on any failing statement, then runs `env -0`. */
  args(file: string): string[];
}

// `set -e`: any statement of ours that fails (an unset, an export) stops the shell with non-zero.
const posixScript = (file: string): string => `set -e; eval "$(cat '${file}')"; exec env -0`;
const SHELLS: Shell[] = [
  { format: 'bash', bin: 'bash', apt: 'bash', args: (f) => ['--norc', '--noprofile', '-c', posixScript(f)] },
  { format: 'zsh', bin: 'zsh', apt: 'zsh', args: (f) => ['-f', '-c', posixScript(f)] },
  { format: 'sh', bin: 'dash', apt: 'dash', args: (f) => ['-c', posixScript(f)] },
  // fish has no errexit: `source` returns the last statement's status, which ours keep at 0.
  { format: 'fish', bin: 'fish', apt: 'fish', args: (f) => ['-c', `cat '${f}' | source; or exit 97; exec env -0`] },
  // nushell reads data, not code: the documented `... | from json | load-env`, once per line so
  // the "twice in a row" test applies two outputs; any error exits non-zero.
  { format: 'nu', bin: findNu() ?? 'nu', apt: 'nushell (npm test installs it: scripts/with-node.mjs --nu)', args: (f) => ['-n', '--no-std-lib', '-c', `for l in (open --raw '${f}' | lines) { $l | from json | load-env }; ^env -0`] },
];

// What users have lying around: a profile (which makes the JS SDK ignore environment keys), the
// boto2 token name, and credentials plus region from an earlier session.
const STALE: Record<string, string> = {
  AWS_PROFILE: 'stale-profile',
  AWS_DEFAULT_PROFILE: 'stale-default-profile',
  AWS_SECURITY_TOKEN: 'stale-security-token',
  AWS_ACCESS_KEY_ID: 'AKIASTALE',
  AWS_SECRET_ACCESS_KEY: 'stale-secret',
  AWS_SESSION_TOKEN: 'stale-token',
  AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z',
  AWS_REGION: 'stale-region',
  AWS_DEFAULT_REGION: 'stale-default-region',
};

const dir = mkdtempSync(join(tmpdir(), 'stsx-shell-eval-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

/** Runs `text` through the shell; returns the AWS_* variables it exports afterwards, and stderr. */
function evaluate(shell: Shell, text: string): { vars: Map<string, string>; stderr: string } {
  const file = join(dir, `rendered-${++fileCount}`);
  writeFileSync(file, text);
  const home = join(dir, `home-${fileCount}`);
  mkdirSync(home);
  const result = spawnSync(shell.bin, shell.args(file), {
    // An empty working directory: nothing for a stray glob to match.
    cwd: home,
    // A fresh HOME/XDG_CONFIG_HOME keeps user rc files and fish universal variables out.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), LC_ALL: 'C.UTF-8', ...STALE },
    encoding: 'buffer',
    timeout: 10_000,
  });
  assert.ifError(result.error);
  const stderr = result.stderr.toString('utf8');
  assert.equal(result.status, 0, `${shell.bin} exited ${result.status}: ${stderr}`);
  // env -0 separates entries with NUL, so values come back with every byte as the shell held it.
  const vars = new Map<string, string>();
  for (const entry of result.stdout.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (entry.startsWith('AWS_') && eq > 0) vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return { vars, stderr };
}

/** The environment after applying `list` on top of STALE: set, or removed for null. */
function applied(list: readonly EnvAssignment[]): Map<string, string> {
  const vars = new Map(Object.entries(STALE));
  for (const { name, value } of list) {
    if (value === null) vars.delete(name);
    else vars.set(name, value);
  }
  return vars;
}

const EXPIRATION = new Date('2030-01-01T00:00:00Z');

for (const shell of SHELLS) {
  describe(`${shell.bin} (--format ${shell.format})`, () => {
    before(() => {
      const probe = spawnSync(shell.bin, ['-c', 'exit 0']);
      // No silent skip: CI must have every shell the renderers claim to support.
      assert.ok(!probe.error, `${shell.bin} is not installed; CI must run: apt-get install -y ${shell.apt}`);
    });

    for (const { name, value, refusedBy } of HOSTILE_VALUES) {
      if (refusedBy.includes(shell.format)) continue;
      test(`carries ${name} exactly and clears the stale profile and token`, () => {
        // The value alone, wrapped, and doubled: edges of a quoted word are where quoting breaks.
        const out: CredentialOutput = {
          credentials: { accessKeyId: value, secretAccessKey: `x${value}x`, sessionToken: `${value}${value}`, expiration: EXPIRATION },
          region: value,
        };
        const { vars, stderr } = evaluate(shell, renderCredentials(shell.format, out).stdout);
        assert.deepEqual(vars, applied(credentialEnv(out)));
        assert.equal(stderr, '');
        assert.ok(!vars.has('AWS_PROFILE') && !vars.has('AWS_DEFAULT_PROFILE') && !vars.has('AWS_SECURITY_TOKEN'));
      });
    }

    test('without token, expiration or region: stale token removed, region kept', () => {
      const out: CredentialOutput = { credentials: { accessKeyId: 'AKIANEW', secretAccessKey: 'new-secret' } };
      const { vars } = evaluate(shell, renderCredentials(shell.format, out).stdout);
      assert.deepEqual(vars, new Map([
        ['AWS_ACCESS_KEY_ID', 'AKIANEW'], ['AWS_SECRET_ACCESS_KEY', 'new-secret'],
        ['AWS_REGION', 'stale-region'], ['AWS_DEFAULT_REGION', 'stale-default-region'],
      ]));
    });

    test('renderUnset clears every variable stsx sets, and only those', () => {
      const { vars, stderr } = evaluate(shell, renderUnset(shell.format));
      assert.deepEqual(vars, applied(unsetEnv()));
      assert.deepEqual([...vars.keys()].sort(), ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']);
      assert.equal(stderr, '');
    });

    test('renderUnset twice in a row still succeeds (unset of an unset variable is quiet)', () => {
      const { vars, stderr } = evaluate(shell, renderUnset(shell.format).repeat(2));
      assert.deepEqual(vars, applied(unsetEnv()));
      assert.equal(stderr, '');
    });
  });
}

// Many blog posts write `eval $(stsx ...)` without the quotes. The shell then splits the output
// into words at every blank and newline, and eval joins them with single spaces into one line:
// every statement must end with `;` or they all become arguments of the first `export`. The
// split also turns every run of blanks inside a value into one space, so values with tabs or
// repeated spaces cannot survive it (real keys, tokens and regions have no blanks at all); the
// quoted form carries them (tested above).
const UNQUOTED_SHELLS = SHELLS.filter((s) => s.format !== 'fish' && s.format !== 'nu').map((s) => ({
  ...s,
  args: (f: string) => [...s.args(f).slice(0, -1), `set -e; eval $(cat '${f}'); exec env -0`],
}));
const collapseBlanks = (v: string): string => v.replace(/[ \t]+/g, ' ');
for (const shell of UNQUOTED_SHELLS) {
  describe(`${shell.bin}: unquoted eval $(stsx ...)`, () => {
    for (const { name, value, refusedBy } of HOSTILE_VALUES) {
      if (refusedBy.includes(shell.format)) continue;
      test(`sets every variable and clears AWS_PROFILE, with ${name}`, () => {
        const out: CredentialOutput = {
          credentials: { accessKeyId: value, secretAccessKey: `x${value}x`, sessionToken: `${value}${value}`, expiration: EXPIRATION },
          region: value,
        };
        const { vars, stderr } = evaluate(shell, renderCredentials(shell.format, out).stdout);
        assert.deepEqual(vars, new Map([...applied(credentialEnv(out))].map(([k, v]) => [k, collapseBlanks(v)])));
        assert.equal(stderr, '');
        assert.ok(!vars.has('AWS_PROFILE') && !vars.has('AWS_DEFAULT_PROFILE') && !vars.has('AWS_SECURITY_TOKEN'));
      });
    }
    test('unset clears every variable stsx sets', () => {
      const { vars } = evaluate(shell, renderUnset(shell.format));
      assert.deepEqual(vars, applied(unsetEnv()));
    });
  });
}

// `set -e NAME` without a scope would erase a universal variable, in every fish session on the
// machine, whenever no inherited one shadows it: check both situations.
for (const inherited of [true, false]) {
  test(`fish: a universal AWS_PROFILE is reported, not erased (${inherited ? 'with' : 'without'} an inherited one)`, () => {
    const fish = SHELLS.find((s) => s.format === 'fish');
    assert.ok(fish);
    const text = renderCredentials('fish', { credentials: { accessKeyId: 'AKIANEW', secretAccessKey: 's' } }).stdout;
    // In the same isolated fish: make the universal variable, then source our lines.
    const setup = `${inherited ? '' : 'set -e -g AWS_PROFILE; '}set -Ux AWS_PROFILE universal-profile`;
    const withUniversal: Shell = { ...fish, args: (f) => ['-c', `${setup}; cat '${f}' | source; or exit 97; exec env -0`] };
    const { vars, stderr } = evaluate(withUniversal, text);
    // The inherited (global) value is erased; the universal one still applies and cannot be hidden.
    assert.equal(vars.get('AWS_PROFILE'), 'universal-profile');
    assert.match(stderr, /^stsx: universal variable AWS_PROFILE is still set; remove it with: set -e -U AWS_PROFILE\n$/);
  });
}
