// buildProgram's flag-to-option mapping as a table: argv in, the command and the options object
// it would receive out, without running any command. Refusals are rows too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError, type Command, type OptionValues } from 'commander';
import { buildProgram } from '../../src/cli.ts';
import { ExitCode, UsageError } from '../../src/errors.ts';
import { FORMATS, usageLine } from '../../src/output/credentials/formats.ts';
import { STATUS_EXIT } from '../../src/status/read-status.ts';

interface Parsed {
  command: string;
  opts: OptionValues;
  globals: OptionValues;
}

async function parse(argv: string[]): Promise<Parsed> {
  let parsed: Parsed | undefined;
  const program = buildProgram(async (_load, cmd, opts) => {
    // The chain of command names, e.g. "cache list"; nothing is loaded or run.
    const names: string[] = [];
    for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
    parsed = { command: names.join(' '), opts, globals: cmd.optsWithGlobals() };
  });
  const quiet = { writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined };
  for (const c of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) c.exitOverride().configureOutput(quiet);
  await program.parseAsync(argv, { from: 'user' });
  assert.ok(parsed, 'no command ran');
  return parsed;
}

const ROLE = 'arn:aws:iam::123456789012:role/Admin';
const ROWS: [string[], string, OptionValues][] = [
  [['assume', '--role-arn', ROLE], 'assume', { roleArn: ROLE, policyArn: undefined, tag: undefined, transitiveTagKey: undefined, cache: true, fallbackRegion: undefined }],
  [['assume', '--format', 'fish'], 'assume', { format: 'fish' }],
  [['assume', '--shell', 'PWSH'], 'assume', { format: 'powershell', shell: 'powershell' }],
  [['assume', '--format', 'env'], 'assume', { format: 'sh' }],
  [['assume', '--format', 'env-no-export'], 'assume', { format: 'dotenv' }],
  [['assume', '--format', 'windows-cmd'], 'assume', { format: 'cmd' }],
  [['assume', '--format', 'process'], 'assume', { format: 'json' }],
  [['assume', '--format', 'json', '--shell', 'bash'], 'assume', { format: 'json', shell: 'bash' }],
  [['assume', '--no-cache', '--refresh', '--min-ttl', '10m'], 'assume', { cache: false, refresh: true, minTtl: '10m' }],
  [['assume', '--tag', 'a=b', '--tag', 'c=d', '--policy-arn', 'p1', '--policy-arn', 'p2'], 'assume', { tag: ['a=b', 'c=d'], policyArn: ['p1', 'p2'] }],
  [['assume', '--duration', '1h', '--external-id', 'x', '--mfa-serial', 'm', '--token-code', '123456'], 'assume', { duration: '1h', externalId: 'x', mfaSerial: 'm', tokenCode: '123456' }],
  [['assume', '--profile', 'p', '--region', 'eu-west-3', '--fallback-region', 'a', '--fallback-region', 'b', '--debug'], 'assume', { profile: 'p', region: 'eu-west-3', fallbackRegion: ['a', 'b'], debug: true }],
  [['session-token', '--format', 'dotenv', '--duration', '36h'], 'session-token', { format: 'dotenv', duration: '36h', cache: true }],
  [['unset', '--shell', 'fish'], 'unset', { format: 'fish', shell: 'fish' }],
  [['unset'], 'unset', {}],
  [['whoami', '--output', 'json', '--query', 'Account'], 'whoami', { output: 'json', query: 'Account' }],
  [['decode', 'msg', '--output', 'json'], 'decode', { output: 'json', message: 'msg' }],
  [['endpoint', '--check', '--output', 'json'], 'endpoint', { check: true, output: 'json' }],
  [['profiles', '--output', 'json'], 'profiles', { output: 'json' }],
  [['status', '--prompt'], 'status', { prompt: true }],
  [['status', '--output', 'json'], 'status', { output: 'json' }],
  [['exec', '--role-arn', ROLE, '--server', '--min-ttl', '1m', '--', 'aws', 's3', 'ls', '--recursive'], 'exec', { roleArn: ROLE, server: true, minTtl: '1m', command: ['aws', 's3', 'ls', '--recursive'] }],
  [['exec', '--profile', 'p', '--no-cache', 'env'], 'exec', { profile: 'p', cache: false, command: ['env'] }],
  [['cache', 'list', '--output', 'json'], 'cache list', { output: 'json' }],
  [['cache', 'clear', '--role-arn', ROLE], 'cache clear', { roleArn: ROLE }],
];

for (const [argv, command, want] of ROWS) {
  test(`stsx ${argv.join(' ')} -> ${command} ${JSON.stringify(want)}`, async () => {
    const parsed = await parse(argv);
    assert.equal(parsed.command, command);
    // Only the keys the row names: defaults of other flags are not this table's business.
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, parsed.opts[k] ?? parsed.globals[k]]));
    assert.deepEqual(got, want);
  });
}

// Refused while parsing, before any command module is loaded.
const REFUSED: [string[], (e: unknown) => boolean][] = [
  [['assume', '--format', 'tcsh'], (e) => e instanceof UsageError && /unknown output format "tcsh"/.test(e.message) && /sh \(dash, env\)/.test(e.hint ?? '')],
  [['assume', '--shell', 'csh'], (e) => e instanceof UsageError && /"csh"/.test(e.message)],
  [['session-token', '--format', ''], (e) => e instanceof UsageError && /unknown output format ""/.test(e.message)],
  [['unset', '--format', 'bash; rm -rf /'], (e) => e instanceof UsageError && /unknown output format/.test(e.message)],
  [['assume', '--format'], (e) => e instanceof CommanderError && e.code === 'commander.optionMissingArgument'],
  [['whoami', '--output', 'yaml'], (e) => e instanceof CommanderError && e.code === 'commander.invalidArgument'],
  [['assume', '--bogus'], (e) => e instanceof CommanderError && e.code === 'commander.unknownOption'],
  [['status', '--output', 'yaml'], (e) => e instanceof CommanderError && e.code === 'commander.invalidArgument'],
  [['profiles', '--output', 'csv'], (e) => e instanceof CommanderError && e.code === 'commander.invalidArgument'],
  [['assume', 'admin', 'extra'], (e) => e instanceof CommanderError && e.code === 'commander.excessArguments'],
  [['assume', 'admin', '--profile', 'prod'], (e) => e instanceof UsageError && /two profiles given/.test(e.message)],
  [['exec', '--format', 'json', '--', 'env'], (e) => e instanceof CommanderError && e.code === 'commander.unknownOption'],
];
for (const [argv, check] of REFUSED) {
  test(`stsx ${argv.join(' ')} is refused`, async () => {
    await assert.rejects(parse(argv), check);
  });
}

test('assume --help and session-token --help show every format\'s usage line, from the FORMATS table', () => {
  const program = buildProgram(async () => undefined);
  for (const [name, example] of [['assume', `stsx assume --role-arn ${ROLE}`], ['session-token', 'stsx session-token --mfa-serial arn:aws:iam::123456789012:mfa/alice']] as const) {
    const sub = program.commands.find((c) => c.name() === name);
    assert.ok(sub);
    let help = '';
    sub.configureOutput({ writeOut: (t) => { help += t; } });
    sub.outputHelp();
    for (const f of FORMATS) assert.ok(help.includes(usageLine(f.name, example)), `${name} --help lacks the ${f.name} line`);
    // Without `@`, cmd would print every `set` line, secrets included.
    assert.doesNotMatch(help, /do %i/);
    assert.match(help, /in a profile other than <source-profile>/);
  }
});

test('stsx --help: the assume example comes from the FORMATS table, and every exit code is listed', () => {
  const program = buildProgram(async () => undefined);
  let help = '';
  program.configureOutput({ writeOut: (t) => { help += t; } });
  program.outputHelp();
  assert.ok(help.includes(usageLine('bash', `stsx assume --role-arn ${ROLE}`)));
  assert.match(help, /Exit codes: 0 ok, .*, 74 output could not be written, 126 exec: the command could not be run, 127 exec: no such command, 130 interrupted\./);
  for (const code of Object.values(ExitCode)) assert.match(help, new RegExp(`[ :]${code} `), `exit code ${code} is in --help`);
});

test('stsx --help names exit code 1 (stsx status: no credentials), and every status exit code is in the one table', () => {
  const program = buildProgram(async () => undefined);
  let help = '';
  program.configureOutput({ writeOut: (t) => { help += t; } });
  program.outputHelp();
  assert.match(help, /Exit codes: 0 ok, 1 status: no credentials, 2 usage,/);
  const known = new Set<number>(Object.values(ExitCode));
  for (const [state, code] of Object.entries(STATUS_EXIT)) assert.ok(known.has(code), `status ${state} exits ${code}, which is in ExitCode`);
});
