// The apply/restore part of `stsx init powershell`, by its text (no pwsh here; the grammar of the
// whole script is checked in completion.test.ts). bash, zsh, fish and nu run for real in
// test/integration/shell-init.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../src/cli.ts';
import { completionSpec, SHELLS } from '../../src/completion/spec.ts';
import { initScript } from '../../src/completion/scripts.ts';

const spec = completionSpec(buildProgram(async () => undefined));
const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'];

test('PowerShell: the first applied run keeps every variable it may change, unset puts them back, --write-profile passes through', () => {
  const script = initScript('powershell', spec);
  const applied = script.slice(script.indexOf('function stsx {'), script.indexOf('Register-ArgumentCompleter'));
  // Only after a successful run: a failed one keeps and restores nothing.
  const save = applied.indexOf("if ($code -eq 0 -and $args[0] -ne 'unset' -and $null -eq $global:__StsxSaved) {");
  const invoke = applied.indexOf('if ($code -eq 0) { $out | Out-String | Invoke-Expression }');
  const restore = applied.indexOf("if ($code -eq 0 -and $args[0] -eq 'unset' -and $null -ne $global:__StsxSaved) {");
  assert.ok(save > 0 && invoke > save && restore > invoke, 'kept before the first apply, put back after the unset');
  assert.ok(applied.includes(`foreach ($name in @(${NAMES.map((n) => `'${n}'`).join(', ')})) { $global:__StsxSaved[$name] = [Environment]::GetEnvironmentVariable($name) }`));
  assert.ok(applied.includes('if ($null -eq $value) { Remove-Item -Path "env:$name" -ErrorAction SilentlyContinue } else { Set-Item -Path "env:$name" -Value $value }'));
  assert.ok(applied.includes('$global:__StsxSaved = $null'), 'forgotten after the unset, so the next assume keeps afresh');
  assert.match(applied, /\$_ -in '--format', '--shell', '-h', '--help', '--write-profile' -or .*\$_ -like '--write-profile=\*'/);
});

test('every shell passes --write-profile (and --write-profile=NAME) through to stsx, and keeps the same variables', () => {
  for (const shell of SHELLS) {
    const script = initScript(shell, spec);
    assert.ok(script.includes('--write-profile'), shell);
    assert.ok(/write-profile\)?=/.test(script), shell);
    for (const name of NAMES) assert.ok(script.includes(name), `${shell} keeps ${name}`);
  }
});
