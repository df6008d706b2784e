// src/route.ts decides, once, which entry answers a command line: argv in, the path out, as a
// table. The launcher's own choice of bundle (bin/stsx.js) must name exactly the router's quick
// first words, and every flag the early cache hit takes is one `stsx assume` really has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { markCacheHitTried, markPlainTried, PLAIN_STS_COMMANDS, QUICK_COMMANDS, route, type Route } from '../../src/route.ts';
import type { Option } from 'commander';
import { buildProgram } from '../../src/cli.ts';
import { cacheFlags, deliveryFlags, flagNames, GLOBAL_FLAGS, MFA_FLAGS, roleFlags, WHOAMI_FLAGS } from '../../src/flags.ts';

const ROWS: [string[], Route][] = [
  [['--version'], { path: 'version' }],
  [['-v'], { path: 'version' }],
  [['-V'], { path: 'version' }],
  [['--version', '--debug'], { path: 'cli' }],
  [[], { path: 'cli' }],
  [['status'], { path: 'quick', quick: { command: 'status', prompt: false } }],
  [['status', '--prompt'], { path: 'quick', quick: { command: 'status', prompt: true } }],
  [['status', '--prompt', '--prompt'], { path: 'quick', quick: { command: 'status', prompt: true } }],
  [['status', '--debug'], { path: 'cli' }],
  [['status', '--output', 'json'], { path: 'cli' }],
  [['status', '--help'], { path: 'cli' }],
  [['__complete', 'profiles'], { path: 'quick', quick: { command: 'complete-profiles' } }],
  [['__complete', 'profiles', 'x'], { path: 'cli' }],
  [['__complete', 'words'], { path: 'cli' }],
  [['profiles'], { path: 'quick', quick: { command: 'profiles', output: 'text' } }],
  [['profiles', '--output', 'json'], { path: 'quick', quick: { command: 'profiles', output: 'json' } }],
  [['profiles', '--output=text'], { path: 'quick', quick: { command: 'profiles', output: 'text' } }],
  [['profiles', '--output', 'yaml'], { path: 'cli' }],
  [['profiles', '--output'], { path: 'cli' }],
  [['profiles', '--debug'], { path: 'cli' }],
  [['assume'], { path: 'assume', args: [] }],
  [['assume', '--profile', 'dev', '--debug'], { path: 'assume', args: ['--profile', 'dev', '--debug'] }],
  [['whoami'], { path: 'plain', command: 'whoami', args: [] }],
  [['whoami', 'prod', '--debug'], { path: 'plain', command: 'whoami', args: ['prod', '--debug'] }],
  [['session-token'], { path: 'cli' }],
  [['exec', '--', 'status'], { path: 'cli' }],
];

for (const [argv, expected] of ROWS) {
  test(`stsx ${argv.join(' ')} -> ${expected.path}`, () => {
    assert.deepEqual(route(argv), expected);
  });
}

test('every quick route starts with one of QUICK_COMMANDS, and each of them has a quick form', () => {
  for (const [argv, expected] of ROWS) if (expected.path === 'quick') assert.ok(QUICK_COMMANDS.includes(argv[0] ?? ''), argv.join(' '));
  for (const word of QUICK_COMMANDS) assert.ok(ROWS.some(([argv, r]) => r.path === 'quick' && argv[0] === word), word);
});

test('bin/stsx.js loads dist/quick.js for exactly the router\'s QUICK_COMMANDS', () => {
  const launcher = readFileSync(new URL('../../bin/stsx.js', import.meta.url), 'utf8');
  const line = launcher.split('\n').find((l) => l.includes("import('../dist/quick.js')")) ?? '';
  const words = [...line.matchAll(/sub === '([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(words.sort(), [...QUICK_COMMANDS].sort(), line);
});

// The early paths read these flags themselves (src/early-flags.ts): each must be an option of the
// command, stored under the same key, with the same value parser and choices.
for (const [command, declarations, least] of [
  ['assume', [...GLOBAL_FLAGS, ...roleFlags(''), ...cacheFlags(), ...deliveryFlags('')], 10],
  ['whoami', [...GLOBAL_FLAGS, ...WHOAMI_FLAGS, ...MFA_FLAGS], 6],
] as const) {
  test(`the early flags of ${command} are options of stsx ${command}, with the same value parser and choices`, () => {
    const cmd = buildProgram(() => Promise.resolve()).commands.find((c) => c.name() === command);
    assert.ok(cmd);
    const early = declarations.filter((d) => d.early);
    assert.ok(early.length >= least, String(early.length));
    for (const d of early) {
      const { long, key } = flagNames(d);
      const option: Option | undefined = cmd.options.find((o) => o.long === long);
      assert.ok(option, long);
      assert.equal(option.attributeName(), key, long);
      if (d.parse && long !== '--role-arn') assert.equal((option as unknown as { parseArg?: unknown }).parseArg, d.parse, long);
      assert.deepEqual(option.argChoices, d.choices ? [...d.choices] : undefined, long);
    }
  });
}

test('bin/stsx.js loads dist/hit.js for assume alone, the router\'s only early route', () => {
  const launcher = readFileSync(new URL('../../bin/stsx.js', import.meta.url), 'utf8');
  const line = launcher.split('\n').find((l) => l.includes("import('../dist/hit.js')")) ?? '';
  assert.deepEqual([...line.matchAll(/sub === '([^']+)'/g)].map((m) => m[1]), ['assume'], line);
  assert.deepEqual(ROWS.filter(([, r]) => r.path === 'assume').map(([argv]) => argv[0]).filter((w, i, all) => all.indexOf(w) === i), ['assume']);
});

test('bin/stsx.js loads dist/sts.js for the router\'s PLAIN_STS_COMMANDS: whoami, and assume after the hit', () => {
  const launcher = readFileSync(new URL('../../bin/stsx.js', import.meta.url), 'utf8');
  const line = launcher.split('\n').find((l) => l.includes('const next = ')) ?? '';
  assert.deepEqual([...line.matchAll(/sub === '([^']+)'/g)].map((m) => m[1]), ['whoami'], line);
  assert.ok(launcher.includes("import('../dist/sts.js')"));
  assert.deepEqual([...PLAIN_STS_COMMANDS].sort(), ['assume', 'whoami']);
  assert.deepEqual([...new Set(ROWS.filter(([, r]) => r.path === 'plain').map(([argv]) => argv[0]))], ['whoami']);
});

// Last: the marks are for the rest of the process.
test('once dist/hit.js has tried the cache hit, assume goes to dist/sts.js; once that found it not plain, to the CLI', () => {
  assert.deepEqual(route(['assume', '--profile', 'dev']), { path: 'assume', args: ['--profile', 'dev'] });
  markCacheHitTried();
  assert.deepEqual(route(['assume', '--profile', 'dev']), { path: 'plain', command: 'assume', args: ['--profile', 'dev'] });
  markPlainTried();
  assert.deepEqual(route(['assume', '--profile', 'dev']), { path: 'cli' });
  assert.deepEqual(route(['whoami']), { path: 'cli' });
  assert.deepEqual(route(['status']), { path: 'quick', quick: { command: 'status', prompt: false } });
});
