// The scripts `stsx init <shell>` prints: a shell function named `stsx` that applies assume,
// session-token and unset to the current shell (with --format pinned) and passes everything else
// through, plus completion generated from the commander program (spec.ts). Each shell gets the
// same rules: which words a command takes, which options take a value, and which values.
import { quoteFish } from '../output/credentials/fish.ts';
import { TOUCHED_VARS } from '../output/credentials/env-vars.ts';
import { allCommands, type CommandSpec, type OptionSpec, type Shell, type ValueSource } from './spec.ts';

/** The commands whose output the wrapper applies to the shell. */
const APPLIED = ['assume', 'session-token', 'unset'] as const;
/** Arguments after which the user asked for text or a file, not a change to the shell: pass it through. */
const PASS_THROUGH_FLAGS = ['--format', '--shell', '-h', '--help', '--write-profile'];

interface ValueRule {
  /** `cmd/--flag` keys, `cmd` being the command's path joined by spaces. */
  keys: string[];
  value: ValueSource;
}

const key = (cmd: CommandSpec, flag: string): string => `${cmd.path.join(' ')}/${flag}`;
const name = (cmd: CommandSpec): string => cmd.path.join(' ');
const longFlags = (cmd: CommandSpec): string[] => cmd.options.flatMap((o) => o.flags.filter((f) => f.startsWith('--')));
const words = (cmd: CommandSpec): string[] => [...cmd.subcommands.map((s) => s.path.at(-1) ?? ''), ...(cmd.argument ?? [])];

/** Options that take a value, grouped by the values they take. */
function valueRules(spec: CommandSpec): ValueRule[] {
  const rules = new Map<string, ValueRule>();
  for (const cmd of allCommands(spec)) {
    for (const o of cmd.options) {
      if (!o.value) continue;
      const id = JSON.stringify(o.value);
      const rule = rules.get(id) ?? { keys: [], value: o.value };
      rule.keys.push(...o.flags.map((f) => key(cmd, f)));
      rules.set(id, rule);
    }
  }
  return [...rules.values()];
}

// --- bash and zsh: one generator, the word array and the reply differ -------------------------

const posixQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
const casePatterns = (keys: readonly string[]): string => keys.map((k) => posixQuote(k)).join('|');

function posixWrapper(format: 'bash' | 'zsh'): string {
  return `# The stsx function: assume, session-token and unset change this shell; all else passes through.
stsx() {
  case "\${1-}" in
    ${APPLIED.join('|')})
      local __stsx_arg __stsx_out __stsx_rc
      for __stsx_arg in "$@"; do
        case "$__stsx_arg" in ${PASS_THROUGH_FLAGS.join('|')}|--format=*|--shell=*|--write-profile=*) command stsx "$@"; return ;; esac
      done
      # Applied only when stdout is the terminal: \`stsx assume ... | cat\` gets the text.
      if [ -t 1 ]; then
        __stsx_out=$(command stsx "$1" --format ${format} "\${@:2}")
        __stsx_rc=$?
        # Never evaluate the output of a failed run.
        if [ "$__stsx_rc" -eq 0 ]; then
          if [ "$1" != unset ]; then __stsx_save; fi
          eval "$__stsx_out"
          if [ "$1" = unset ]; then __stsx_restore; fi
        fi
        return "$__stsx_rc"
      fi
      ;;
  esac
  command stsx "$@"
}
${posixSaveRestore()}`;
}

/**
 * The first applied run keeps what the variables it may change were (set or not) in shell
 * variables, not exported; a second assume keeps the first's, so \`stsx unset\` goes back to
 * where the shell started, not to the role before.
 */
function posixSaveRestore(): string {
  const save = TOUCHED_VARS.map((v) => `  if [ -n "\${${v}+x}" ]; then __STSX_SAVED_${v}=$${v}; else unset __STSX_SAVED_${v}; fi`);
  const restore = TOUCHED_VARS.map((v) => `  if [ -n "\${__STSX_SAVED_${v}+x}" ]; then export ${v}="$__STSX_SAVED_${v}"; else unset ${v}; fi; unset __STSX_SAVED_${v}`);
  return `__stsx_save() {
  if [ -n "\${__STSX_SAVED+x}" ]; then return 0; fi
  __STSX_SAVED=1
${save.join('\n')}
}
__stsx_restore() {
  if [ -z "\${__STSX_SAVED+x}" ]; then return 0; fi
${restore.join('\n')}
  unset __STSX_SAVED
}`;
}

function posixCompletion(spec: CommandSpec, shell: 'bash' | 'zsh'): string {
  const commands = allCommands(spec);
  const rules = valueRules(spec);
  const first = shell === 'bash' ? 1 : 2;
  const end = shell === 'bash' ? 'COMP_CWORD' : 'CURRENT';
  const at = shell === 'bash' ? (i: string) => `\${COMP_WORDS[${i}]}` : (i: string) => `\${words[${i}]}`;
  const valueCase = rules.map(({ keys, value }) => {
    const list = value.kind === 'words' ? posixQuote(value.words.join(' ')) : value.kind === 'profiles' ? '"$(command stsx __complete profiles 2>/dev/null)"' : "''";
    return `        ${casePatterns(keys)}) __stsx_w=${list} ;;`;
  });
  const pathCase = commands.flatMap((c) => c.subcommands.map((s) => `      ${posixQuote(`${name(c)}/${s.path.at(-1) ?? ''}`)}) __stsx_cmd=${posixQuote(name(s))} ;;`));
  const flagCase = commands.map((c) => `        ${posixQuote(name(c))}) __stsx_w=${posixQuote(longFlags(c).join(' '))} ;;`);
  const wordCase = commands.filter((c) => words(c).length > 0).map((c) => `        ${posixQuote(name(c))}) __stsx_w=${posixQuote(words(c).join(' '))} ;;`);
  // Not `compgen -W`, which expands $(...) and backticks inside the words it is given.
  const reply = shell === 'bash'
    ? `COMPREPLY=()
  local -a __stsx_list
  IFS=$' \\n' read -r -d '' -a __stsx_list <<< "$__stsx_w"
  for __stsx_i in "\${__stsx_list[@]}"; do
    if [[ "$__stsx_i" == "$__stsx_cur"* ]]; then COMPREPLY+=("$__stsx_i"); fi
  done`
    : 'compadd -- ${=__stsx_w}';
  return `# Completion, generated from stsx's own option definitions.
_stsx() {
  local __stsx_cur="${at(end)}" __stsx_cmd='' __stsx_pending='' __stsx_w='' __stsx_i __stsx_word
  for ((__stsx_i = ${first}; __stsx_i < ${end}; __stsx_i++)); do
    __stsx_word="${at('__stsx_i')}"
    if [ -n "$__stsx_pending" ]; then __stsx_pending=''; continue; fi
    case "$__stsx_cmd/$__stsx_word" in
${rules.map(({ keys }) => `      ${casePatterns(keys)}) __stsx_pending="$__stsx_cmd/$__stsx_word" ;;`).join('\n')}
${pathCase.join('\n')}
    esac
  done
  if [ -n "$__stsx_pending" ]; then
    case "$__stsx_pending" in
${valueCase.join('\n')}
    esac
  else
    case "$__stsx_cur" in
      -*)
        case "$__stsx_cmd" in
${flagCase.join('\n')}
        esac ;;
      *)
        case "$__stsx_cmd" in
${wordCase.join('\n')}
        esac ;;
    esac
  fi
  ${reply}
}`;
}

function bashScript(spec: CommandSpec): string {
  return `# stsx init bash: in ~/.bashrc, eval "$(stsx init bash)"
${posixWrapper('bash')}

${posixCompletion(spec, 'bash')}
complete -F _stsx stsx
`;
}

function zshScript(spec: CommandSpec): string {
  return `# stsx init zsh: in ~/.zshrc, eval "$(stsx init zsh)"
${posixWrapper('zsh')}

${posixCompletion(spec, 'zsh')}
if ! (( $+functions[compdef] )); then autoload -Uz compinit && compinit -i; fi
compdef _stsx stsx
`;
}

// --- fish ---------------------------------------------------------------------------------------

function fishScript(spec: CommandSpec): string {
  const commands = allCommands(spec);
  const rules = valueRules(spec);
  const pending = rules.flatMap((r) => r.keys);
  const paths = commands.flatMap((c) => c.subcommands.map((s) => `        case ${quoteFish(`${name(c)}/${s.path.at(-1) ?? ''}`)}\n            set cmd ${quoteFish(name(s))}`));
  const on = (c: CommandSpec): string => `-n ${quoteFish(`test "$(__stsx_command)" = ${quoteFish(name(c))}`)}`;
  const optionLine = (c: CommandSpec, o: OptionSpec): string => {
    const flags = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
    const v = o.value;
    const values = !v ? '' : v.kind === 'words' ? ` -x -a ${quoteFish(v.words.join(' '))}` : v.kind === 'profiles' ? ` -x -a ${quoteFish('(command stsx __complete profiles 2>/dev/null)')}` : ' -r';
    return `complete -c stsx ${on(c)} ${flags}${values} -d ${quoteFish(o.description)}`;
  };
  const lines = commands.flatMap((c) => [
    ...c.subcommands.map((s) => `complete -c stsx ${on(c)} -a ${quoteFish(s.path.at(-1) ?? '')} -d ${quoteFish(s.description)}`),
    ...(c.argument ? [`complete -c stsx ${on(c)} -a ${quoteFish(c.argument.join(' '))}`] : []),
    ...c.options.map((o) => optionLine(c, o)),
  ]);
  const passThrough = PASS_THROUGH_FLAGS.map((f) => `not contains -- ${f} $argv`).join('; and ');
  return `# stsx init fish: in ~/.config/fish/config.fish, stsx init fish | source
# The stsx function: assume, session-token and unset change this shell; all else passes through.
function stsx --description 'stsx (assume, session-token and unset change this shell)'
    # Applied only when stdout is the terminal: \`stsx assume ... | cat\` gets the text.
    if contains -- "$argv[1]" ${APPLIED.join(' ')}; and isatty stdout; and ${passThrough}; and not string match -q -r -- '^--(format|shell|write-profile)=' $argv
        set -l out (command stsx $argv[1] --format fish $argv[2..-1])
        set -l rc $status
        # Never evaluate the output of a failed run.
        if test $rc -eq 0
            test "$argv[1]" != unset; and __stsx_save
            string join \\n -- $out | source
            test "$argv[1]" = unset; and __stsx_restore
        end
        return $rc
    end
    command stsx $argv
end

# The first applied run keeps what the variables it may change were; unset puts them back.
function __stsx_save
    set -q __stsx_saved; and return 0
    set -g __stsx_saved 1
    for v in ${TOUCHED_VARS.join(' ')}
        set -e __stsx_saved_$v
        set -q $v; and set -g __stsx_saved_$v $$v
    end
    return 0
end
function __stsx_restore
    set -q __stsx_saved; or return 0
    for v in ${TOUCHED_VARS.join(' ')}
        set -l kept __stsx_saved_$v
        if set -q $kept
            set -gx $v $$kept
            set -e $kept
        else
            set -e $v
        end
    end
    set -e __stsx_saved
    return 0
end

# Completion, generated from stsx's own option definitions.
function __stsx_command
    set -l cmd ''
    set -l pending 0
    for w in (commandline -opc)[2..-1]
        if test $pending = 1
            set pending 0
            continue
        end
        switch "$cmd/$w"
        case ${pending.map(quoteFish).join(' ')}
            set pending 1
${paths.join('\n')}
        end
    end
    echo $cmd
end
complete -c stsx -e
complete -c stsx -f
${lines.join('\n')}
`;
}

// --- PowerShell -----------------------------------------------------------------------------------

const psQuote = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const psArray = (items: readonly string[]): string => `@(${items.map(psQuote).join(', ')})`;

function powershellScript(spec: CommandSpec): string {
  const commands = allCommands(spec);
  const rules = valueRules(spec);
  const paths = commands.flatMap((c) => c.subcommands.map((s) => `    ${psQuote(`${name(c)}/${s.path.at(-1) ?? ''}`)} = ${psQuote(name(s))}`));
  const values = rules.flatMap(({ keys, value }) => keys.map((k) => `    ${psQuote(k)} = ${value.kind === 'words' ? psArray(value.words) : value.kind === 'profiles' ? "'<profiles>'" : '@()'}`));
  const flags = commands.map((c) => `    ${psQuote(name(c))} = ${psArray(longFlags(c))}`);
  const wordsTable = commands.map((c) => `    ${psQuote(name(c))} = ${psArray(words(c))}`);
  return `# stsx init powershell: in $PROFILE, stsx init powershell | Out-String | Invoke-Expression
# The stsx function: assume, session-token and unset change this session; all else passes through.
function stsx {
  $exe = (Get-Command -Name stsx -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
  $explicit = @($args | Where-Object { $_ -in ${PASS_THROUGH_FLAGS.map(psQuote).join(', ')} -or $_ -like '--format=*' -or $_ -like '--shell=*' -or $_ -like '--write-profile=*' }).Count -gt 0
  # Applied only when nothing reads the output: \`stsx assume ... | Out-File x\` gets the text.
  $last = $MyInvocation.PipelinePosition -eq $MyInvocation.PipelineLength
  if ($args.Count -gt 0 -and $args[0] -in ${APPLIED.map(psQuote).join(', ')} -and -not $explicit -and $last) {
    $rest = @($args | Select-Object -Skip 1)
    $out = & $exe $args[0] --format powershell @rest
    $code = $LASTEXITCODE
    # The first applied run keeps what the variables it may change were; unset puts them back.
    if ($code -eq 0 -and $args[0] -ne 'unset' -and $null -eq $global:__StsxSaved) {
      $global:__StsxSaved = @{}
      foreach ($name in ${psArray(TOUCHED_VARS)}) { $global:__StsxSaved[$name] = [Environment]::GetEnvironmentVariable($name) }
    }
    # Never evaluate the output of a failed run.
    if ($code -eq 0) { $out | Out-String | Invoke-Expression }
    if ($code -eq 0 -and $args[0] -eq 'unset' -and $null -ne $global:__StsxSaved) {
      foreach ($name in @($global:__StsxSaved.Keys)) {
        $value = $global:__StsxSaved[$name]
        if ($null -eq $value) { Remove-Item -Path "env:$name" -ErrorAction SilentlyContinue } else { Set-Item -Path "env:$name" -Value $value }
      }
      $global:__StsxSaved = $null
    }
    $global:LASTEXITCODE = $code
    return
  }
  & $exe @args
}

# Completion, generated from stsx's own option definitions.
Register-ArgumentCompleter -Native -CommandName stsx -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $paths = @{
${paths.join('\n')}
  }
  $values = @{
${values.join('\n')}
  }
  $flags = @{
${flags.join('\n')}
  }
  $words = @{
${wordsTable.join('\n')}
  }
  $typed = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $typed.Count -gt 0) { $typed = @($typed | Select-Object -SkipLast 1) }
  $cmd = ''
  $pending = $null
  foreach ($w in $typed) {
    if ($null -ne $pending) { $pending = $null; continue }
    $key = "$cmd/$w"
    if ($values.ContainsKey($key)) { $pending = $values[$key]; continue }
    if ($paths.ContainsKey($key)) { $cmd = $paths[$key] }
  }
  if ($null -ne $pending) {
    $offer = if ($pending -eq '<profiles>') { @(& (Get-Command -Name stsx -CommandType Application | Select-Object -First 1).Source __complete profiles 2>$null) } else { $pending }
  } elseif ($wordToComplete -like '-*') {
    $offer = $flags[$cmd]
  } else {
    $offer = $words[$cmd]
  }
  @($offer) | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
`;
}

// --- nushell ------------------------------------------------------------------------------------

function nuScript(): string {
  const list = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(' ')}]`;
  return `# stsx init nu: nushell cannot eval text, so save this and source it from config.nu:
#   stsx init nu | save -f ($nu.default-config-dir | path join stsx.nu)
#   then add to config.nu:  source stsx.nu
# The stsx command: assume, session-token and unset change this shell; all else passes through.
# nushell cannot tell whether a command's output is piped: run ^stsx for the text itself.
def --env --wrapped stsx [...args: string@"nu-complete stsx"] {
  let sub = ($args | get 0? | default '')
  let explicit = ($args | any {|a| $a in ${list(PASS_THROUGH_FLAGS)} or ($a starts-with '--format=') or ($a starts-with '--shell=') or ($a starts-with '--write-profile=') })
  if ($sub in ${list(APPLIED)}) and not $explicit {
    # A failed run stops here with its exit status: nothing is applied.
    let record = (^stsx $sub --format nu ...($args | skip 1) | from json)
    # The first applied run keeps what the variables it may change were (a record: nushell passes
    # no record to a child process); unset puts them back.
    if $sub != 'unset' and ('__STSX_SAVED' not-in $env) {
      $env.__STSX_SAVED = (${list(TOUCHED_VARS)} | reduce -f {} {|n, acc| $acc | insert $n (if ($n in $env) { $env | get $n } else { null }) })
    }
    let gone = ($record | transpose name value | where value == null | get name)
    if ($gone | is-not-empty) { hide-env -i ...$gone }
    load-env ($record | transpose name value | where value != null | reduce -f {} {|it, acc| $acc | insert $it.name $it.value })
    if $sub == 'unset' and ('__STSX_SAVED' in $env) {
      let saved = ($env.__STSX_SAVED | transpose name value)
      hide-env __STSX_SAVED
      let unset = ($saved | where value == null | get name)
      if ($unset | is-not-empty) { hide-env -i ...$unset }
      load-env ($saved | where value != null | reduce -f {} {|it, acc| $acc | insert $it.name $it.value })
    }
  } else {
    ^stsx ...$args
  }
}

# Completion: stsx answers from its own option definitions.
def "nu-complete stsx" [context: string] {
  ^stsx __complete words -- ...($context | split row -r '\\s+' | skip 1) | lines
}
`;
}

export function initScript(shell: Shell, spec: CommandSpec): string {
  switch (shell) {
    case 'bash':
      return bashScript(spec);
    case 'zsh':
      return zshScript(spec);
    case 'fish':
      return fishScript(spec);
    case 'powershell':
      return powershellScript(spec);
    case 'nu':
      return nuScript();
  }
}
