// Completion and `stsx init` scripts: generated from the commander program (so every flag is
// there), regions equal to the SDK's table, the nushell completer's rules, and PowerShell by
// grammar (no pwsh on the test machines): what its script must contain, and its quoting parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../src/cli.ts';
import { allCommands, candidates, completionSpec, SHELLS } from '../../src/completion/spec.ts';
import { initScript } from '../../src/completion/scripts.ts';
import { REGIONS } from '../../src/names/regions.ts';
import { parseProfileFile, profileNamesOf } from '../../src/config/parse-ini.ts';
import { sdkRegions } from '../support/sdk-regions.ts';

const program = buildProgram(async () => undefined);
const spec = completionSpec(program);

test('the region list is the SDK partitions table (else run: node scripts/regions.ts)', async () => {
  assert.deepEqual([...REGIONS], await sdkRegions());
});

test('every visible command and long flag of the program is in every shell script', () => {
  const help = program.createHelp();
  const walk = (cmd = program): { name: string; flags: string[] }[] => help.visibleCommands(cmd).filter((c) => c.name() !== 'help').flatMap((c) => [
    { name: c.name(), flags: help.visibleOptions(c).map((o) => o.long ?? '') }, ...walk(c)]);
  const commands = walk();
  assert.ok(commands.some((c) => c.name === 'init') && !commands.some((c) => c.name === '__complete'), 'init listed, __complete hidden');
  for (const shell of SHELLS.filter((s) => s !== 'nu')) {
    const script = initScript(shell, spec);
    for (const c of commands) {
      assert.ok(script.includes(c.name), `${shell}: ${c.name}`);
      for (const f of c.flags) assert.ok(script.includes(shell === 'fish' ? `-l ${f.slice(2)}` : f), `${shell}: ${c.name} ${f}`);
    }
  }
});

test('candidates: subcommands, flags, values of the option before, profiles on demand', () => {
  const profiles = (): string[] => ['dev', 'prod'];
  assert.deepEqual(candidates(spec, ['ass'], profiles), ['assume']);
  assert.deepEqual(candidates(spec, ['cache', ''], profiles), ['list', 'clear']);
  assert.deepEqual(candidates(spec, ['assume', '--format', 'p'], profiles), ['powershell', 'pwsh', 'process']);
  assert.deepEqual(candidates(spec, ['whoami', '--profile', ''], profiles), ['dev', 'prod']);
  assert.deepEqual(candidates(spec, ['whoami', '--profile', 'cache', '--q'], profiles), ['--query']);
  assert.deepEqual(candidates(spec, ['assume', '--region', 'us-gov-'], profiles), ['us-gov-east-1', 'us-gov-west-1']);
  assert.deepEqual(candidates(spec, ['assume', '--role-arn', ''], profiles), [], 'free values: nothing to offer');
  assert.deepEqual(candidates(spec, ['init', 'n'], profiles), ['nu']);
});

test('profileNamesOf finds the profiles the full parse gives, from the headers alone', () => {
  const text = '[default]\na = 1\n[profile dev] # c\nb = 2\n[profile x.y]\n[sso-session corp]\nc = 3\n[services s]\nd = 4\n[plugins x]\ne = 5\n[profile __proto__]\nf = 6\n[profile \tci \t]\ng = 7\n[profile b]; admin\n[profile in valid]\n';
  for (const kind of ['config', 'credentials'] as const) {
    assert.deepEqual(profileNamesOf(text, kind).sort(), [...parseProfileFile(text, kind).profiles.keys()].sort(), kind);
  }
  assert.deepEqual(profileNamesOf(text, 'config').sort(), ['__proto__', 'b', 'ci', 'default', 'dev', 'x.y']);
});

test('candidates: --flag=value, the profile word, file:// paths, the command line after exec --', () => {
  const sources = {
    profiles: (): string[] => ['dev', 'prod'],
    files: (prefix: string): string[] => ['/tmp/trace.json', '/tmp/trap/'].filter((f) => f.startsWith(prefix)),
    commands: (prefix: string): string[] => ['aws', 'awk', 'terraform'].filter((c) => c.startsWith(prefix)),
  };
  assert.deepEqual(candidates(spec, ['assume', '--profile=p'], sources), ['--profile=prod']);
  assert.deepEqual(candidates(spec, ['whoami', '--region=eu-west-'], sources), ['--region=eu-west-1', '--region=eu-west-2', '--region=eu-west-3']);
  assert.deepEqual(candidates(spec, ['whoami', '--pro'], sources), ['--profile', '--prompt']);
  assert.deepEqual(candidates(spec, ['whoami', '--prof'], sources), ['--profile']);
  assert.deepEqual(candidates(spec, ['assume', ''], sources), ['dev', 'prod'], 'the profile word');
  assert.deepEqual(candidates(spec, ['assume', 'dev', ''], sources), [], 'one profile word only');
  assert.deepEqual(candidates(spec, ['decode', 'file:///tmp/tra'], sources), ['file:///tmp/trace.json', 'file:///tmp/trap/']);
  assert.deepEqual(candidates(spec, ['assume', '--policy', 'file:///tmp/trac'], sources), ['file:///tmp/trace.json']);
  assert.deepEqual(candidates(spec, ['assume', '--policy', '{'], sources), []);
  assert.deepEqual(candidates(spec, ['exec', '--profile', 'dev', '--', 'aw'], sources), ['aws', 'awk']);
  assert.deepEqual(candidates(spec, ['exec', '--', '/tmp/tr'], sources), ['/tmp/trace.json', '/tmp/trap/']);
  assert.deepEqual(candidates(spec, ['exec', '--', 'aws', 's3'], sources), [], 'the command\'s own arguments: the shell\'s files');
});

test('the bash script registers with a default fallback; zsh falls back to _files', () => {
  assert.match(initScript('bash', spec), /^complete -o default -F _stsx stsx$/m);
  assert.match(initScript('zsh', spec), /_files/);
  assert.match(initScript('nu', spec), /^@complete "nu-complete stsx"$/m);
});

// PowerShell by grammar: single-quoted strings double their quotes and nothing else is special
// inside them; outside strings, braces, parentheses and brackets must balance.
function parsePowerShellQuoting(script: string): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < script.length; i += 1) {
    const ch = script[i] ?? '';
    if (ch === '#' && (i === 0 || /\s/.test(script[i - 1] ?? ''))) {
      i = script.indexOf('\n', i);
      if (i < 0) break;
    } else if (ch === "'") {
      for (i += 1; ; i += 1) {
        assert.ok(i < script.length, 'unterminated single-quoted string');
        if (script[i] === "'") {
          if (script[i + 1] === "'") i += 1;
          else break;
        }
      }
    } else if (ch === '"') {
      for (i += 1; script[i] !== '"'; i += 1) {
        assert.ok(i < script.length, 'unterminated double-quoted string');
        if (script[i] === '`') i += 1;
      }
    } else if ('({['.includes(ch)) {
      stack.push(ch);
    } else if (ch in pairs) {
      assert.equal(stack.pop(), pairs[ch], `unbalanced ${ch} at ${i}: ${script.slice(Math.max(0, i - 60), i + 1)}`);
    }
  }
  assert.deepEqual(stack, [], 'unclosed brackets');
}

test('PowerShell script, by grammar', () => {
  const script = initScript('powershell', spec);
  parsePowerShellQuoting(script);
  const required: [string, RegExp][] = [
    ['a function named stsx', /^function stsx \{$/m],
    ['the real binary, not the function', /Get-Command -Name stsx -CommandType Application/],
    ['the format pinned', /--format powershell @rest/],
    ['applied through Invoke-Expression', /\$out \| Out-String \| Invoke-Expression/],
    ['only after a successful run', /if \(\$code -eq 0\) \{ \$out/],
    ['the exit status kept', /\$global:LASTEXITCODE = \$code/],
    ['piped output passed through', /\$MyInvocation\.PipelinePosition -eq \$MyInvocation\.PipelineLength/],
    ['explicit --format passed through', /'--format', '--shell', '-h', '--help'/],
    ['everything else passed through', /& \$exe @args/],
    ['native completion registered', /Register-ArgumentCompleter -Native -CommandName stsx/],
    ['profiles from stsx', /__complete profiles/],
    ['regions', /'assume\/--region' = @\('af-south-1'/],
    ['formats with aliases', /'unset\/--format' = @\('bash', .*'pwsh'/],
  ];
  for (const [what, pattern] of required) assert.match(script, pattern, what);
  // The checker itself: a stray quote or bracket is caught.
  assert.throws(() => parsePowerShellQuoting("$a = 'it's'"));
  assert.throws(() => parsePowerShellQuoting('if ($x) { (1 }'));
  parsePowerShellQuoting("$a = 'it''s' # it's a comment\n@{ 'k' = @('v') }");
});

test('every script pins the format of its own shell and passes --format through', () => {
  const pinned: Record<(typeof SHELLS)[number], string> = { bash: '--format bash', zsh: '--format zsh', fish: '--format fish', powershell: '--format powershell', nu: '--format nu' };
  for (const shell of SHELLS) {
    const script = initScript(shell, spec);
    assert.ok(script.includes(pinned[shell]), shell);
    for (const sub of ['assume', 'session-token', 'unset']) assert.ok(script.includes(sub), `${shell} applies ${sub}`);
  }
  assert.equal(allCommands(spec)[0]?.path.length, 0);
});
