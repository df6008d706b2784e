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
  const bash = shell === 'bash';
  const first = bash ? 1 : 2;
  const end = bash ? '__stsx_n' : 'CURRENT';
  const at = bash ? (i: string) => `\${__stsx_words[${i}]}` : (i: string) => `\${words[${i}]}`;
  // What each value source offers: words, profile names, or a kind the tail handles (files).
  const valueCase = rules.map(({ keys, value }) => {
    const list = value.kind === 'words' ? `__stsx_w=${posixQuote(value.words.join(' '))}` : value.kind === 'profiles' ? '__stsx_w="$(command stsx __complete profiles 2>/dev/null)"' : value.kind === 'file-url' ? '__stsx_kind=file-url' : '__stsx_kind=any';
    return `        ${casePatterns(keys)}) ${list} ;;`;
  });
  const pathCase = commands.flatMap((c) => c.subcommands.map((s) => `      ${posixQuote(`${name(c)}/${s.path.at(-1) ?? ''}`)}) __stsx_cmd=${posixQuote(name(s))} ;;`));
  const flagCase = commands.map((c) => `        ${posixQuote(name(c))}) __stsx_w=${posixQuote(longFlags(c).join(' '))} ;;`);
  const wordCase = commands.filter((c) => words(c).length > 0 || c.positional).map((c) => {
    const extra = c.positional === 'profiles' ? '; [ "$__stsx_args" -eq 0 ] && __stsx_w="$__stsx_w $(command stsx __complete profiles 2>/dev/null)"' : c.positional === 'file-url' ? '; [ "$__stsx_args" -eq 0 ] && __stsx_kind=file-url' : '';
    return `        ${posixQuote(name(c))}) __stsx_w=${posixQuote(words(c).join(' '))}${extra} ;;`;
  });
  const lineCommands = commands.filter((c) => c.commandLine).map((c) => posixQuote(name(c)));
  // bash: the words of the line up to the cursor, split at blanks only (COMP_WORDS is also split
  // at = and :, which would make --profile=x and file://x three words each), else COMP_WORDS (a
  // caller that sets only those). zsh's words are whole already.
  const wordsSetup = bash
    ? `local -a __stsx_words
  if [ -n "\${COMP_LINE-}" ]; then
    read -r -a __stsx_words <<< "\${COMP_LINE:0:COMP_POINT}"
    case "\${COMP_LINE:0:COMP_POINT}" in *[[:blank:]]) __stsx_words+=('') ;; esac
  else
    __stsx_words=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  local __stsx_n=$(( \${#__stsx_words[@]} - 1 ))
  __stsx_cur="\${__stsx_words[__stsx_n]}"`
    : `__stsx_cur="\${words[CURRENT]}"`;
  // Not \`compgen -W\`, which expands $(...) and backticks inside the words it is given.
  const reply = bash
    ? `COMPREPLY=()
  local -a __stsx_list
  IFS=$' \\n' read -r -d '' -a __stsx_list <<< "$__stsx_w"
  for __stsx_i in "\${__stsx_list[@]}"; do
    if [[ "$__stsx_i" == "$__stsx_cur"* ]]; then COMPREPLY+=("$__stsx_pre$__stsx_i"); fi
  done
  case "$__stsx_kind" in
    file-url)
      if [[ "$__stsx_cur" == file://* ]]; then
        while IFS= read -r __stsx_i; do
          [ -d "$__stsx_i" ] && __stsx_i="$__stsx_i/"
          COMPREPLY+=("\${__stsx_pre}file://$__stsx_i")
        done < <(compgen -f -- "\${__stsx_cur#file://}")
        compopt -o nospace 2>/dev/null
      fi ;;
    command)
      if [[ "$__stsx_cur" == */* ]]; then
        while IFS= read -r __stsx_i; do COMPREPLY+=("$__stsx_i"); done < <(compgen -f -- "$__stsx_cur")
      else
        while IFS= read -r __stsx_i; do COMPREPLY+=("$__stsx_i"); done < <(compgen -c -- "$__stsx_cur")
      fi ;;
  esac
  # readline replaces only the part of the word after its last = or : (COMP_WORDBREAKS): the
  # candidates, whole words, lose what comes before it.
  local __stsx_rl="\${COMP_WORDS[COMP_CWORD]-}"
  [[ "$__stsx_rl" == [=:]* && -z "\${__stsx_rl//[=:]/}" ]] && __stsx_rl=''
  local __stsx_drop=$(( \${#__stsx_words[__stsx_n]} - \${#__stsx_rl} ))
  if [ "$__stsx_drop" -gt 0 ]; then
    for __stsx_i in "\${!COMPREPLY[@]}"; do COMPREPLY[__stsx_i]="\${COMPREPLY[__stsx_i]:__stsx_drop}"; done
  fi`
    : `case "$__stsx_kind" in
    file-url) if compset -P 'file://'; then _files; fi; return ;;
    command)
      # The command line after --: completed as zsh completes any command line.
      shift $__stsx_dashes words
      (( CURRENT -= __stsx_dashes ))
      _normal
      return ;;
    any) _files; return ;;
  esac
  compadd -- \${(@)\${=__stsx_w}/#/$__stsx_pre}`;
  return `# Completion, generated from stsx's own option definitions.
_stsx() {
  local __stsx_cur='' __stsx_cmd='' __stsx_pending='' __stsx_w='' __stsx_i __stsx_word __stsx_kind='' __stsx_pre='' __stsx_args=0 __stsx_dashes=''
  ${wordsSetup}
  for ((__stsx_i = ${first}; __stsx_i < ${end}; __stsx_i++)); do
    __stsx_word="${at('__stsx_i')}"
    if [ -n "$__stsx_pending" ]; then __stsx_pending=''; continue; fi
    if [ "$__stsx_word" = '--' ]; then __stsx_dashes=$__stsx_i; break; fi
    case "$__stsx_cmd/$__stsx_word" in
${rules.map(({ keys }) => `      ${casePatterns(keys)}) __stsx_pending="$__stsx_cmd/$__stsx_word" ;;`).join('\n')}
${pathCase.join('\n')}
      */-*) ;;
      *) __stsx_args=$((__stsx_args + 1)) ;;
    esac
  done
  # --flag=value as one word: the value of --flag, each candidate with --flag= before it.
  if [ -z "$__stsx_pending" ] && [ -z "$__stsx_dashes" ]; then
    case "$__stsx_cur" in --*=*) __stsx_pending="$__stsx_cmd/\${__stsx_cur%%=*}"; __stsx_pre="\${__stsx_cur%%=*}="; __stsx_cur="\${__stsx_cur#*=}" ;; esac
  fi
  if [ -n "$__stsx_dashes" ]; then
    # After --: the command's own line (exec), its first word a command.
    case "$__stsx_cmd" in
      ${lineCommands.length > 0 ? lineCommands.join('|') : "''"}) ${bash ? `[ $((__stsx_n - __stsx_dashes)) -eq 1 ] && __stsx_kind=command` : '__stsx_kind=command'} ;;
    esac
  elif [ -n "$__stsx_pending" ]; then
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
# -o default: a word stsx offers nothing for (a command's arguments, a file) gets readline's files.
complete -o default -F _stsx stsx
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
  const on = (c: CommandSpec, more = ''): string => `-n ${quoteFish(`test "$(__stsx_command)" = ${quoteFish(name(c))}${more}`)}`;
  // Each profile with its kind and role, as `stsx profiles` shows them.
  const profiles = quoteFish('(command stsx __complete profile-descriptions 2>/dev/null)');
  const optionLine = (c: CommandSpec, o: OptionSpec): string => {
    const flags = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
    const v = o.value;
    const values = !v ? '' : v.kind === 'words' ? ` -x -a ${quoteFish(v.words.join(' '))}` : v.kind === 'profiles' ? ` -x -a ${profiles}` : v.kind === 'file-url' ? ` -x -a ${quoteFish('(__stsx_file_urls)')}` : ' -r -F';
    return `complete -c stsx ${on(c)} ${flags}${values} -d ${quoteFish(o.description)}`;
  };
  const lines = commands.flatMap((c) => [
    ...c.subcommands.map((s) => `complete -c stsx ${on(c)} -a ${quoteFish(s.path.at(-1) ?? '')} -d ${quoteFish(s.description)}`),
    ...(c.argument ? [`complete -c stsx ${on(c)} -a ${quoteFish(c.argument.join(' '))}`] : []),
    ...(c.positional === 'profiles' ? [`complete -c stsx ${on(c, '; and test "$(__stsx_command args)" = 0')} -a ${profiles}`] : []),
    ...(c.positional === 'file-url' ? [`complete -c stsx ${on(c, '; and test "$(__stsx_command args)" = 0')} -a ${quoteFish('(__stsx_file_urls)')}`] : []),
    ...(c.commandLine ? [`complete -c stsx ${on(c, '; and __stsx_command dashes >/dev/null')} -x -a ${quoteFish('(__stsx_command_line)')}`] : []),
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
# The command typed; with \`args\`, how many positional words it has; with \`dashes\`, the words
# after -- (status 1 when there is no --).
function __stsx_command
    set -l cmd ''
    set -l pending 0
    set -l args 0
    set -l words (commandline -opc)[2..-1]
    for i in (seq (count $words))
        set -l w $words[$i]
        if test $pending = 1
            set pending 0
            continue
        end
        if test "$w" = '--'
            if test "$argv[1]" = dashes
                # Only when there are any: printf with no words would print an empty line.
                set -q words[(math $i + 1)]; and printf '%s\n' $words[(math $i + 1)..-1]
                return 0
            end
            break
        end
        switch "$cmd/$w"
        case ${pending.map(quoteFish).join(' ')}
            set pending 1
${paths.join('\n')}
        case '*/-*'
        case '*'
            set args (math $args + 1)
        end
    end
    switch "$argv[1]"
    case dashes
        return 1
    case args
        echo $args
    case '*'
        echo $cmd
    end
end
# file://PATH: the files under PATH once file:// is typed (also as --policy=file://...).
function __stsx_file_urls
    set -l t (commandline -ct)
    set -l pre (string match -r -- '^--[^=]*=' $t)
    set -l rest (string replace -r -- '^(--[^=]*=)?file://' '' $t); or return
    for p in (__fish_complete_path $rest)
        echo "$pre"file://$p
    end
end
# After -- (exec): the command line is completed as fish completes any command line.
function __stsx_command_line
    set -l words (__stsx_command dashes)
    set -l line (commandline -ct)
    # Not \`string escape\` of nothing, which would read stdin.
    if set -q words[1]
        set line (string join ' ' -- (string escape -- $words) "$line")
    end
    complete -C "$line"
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
# Completion of every word, flags included, by stsx itself (an argument's own completer would not
# be asked for words that begin with -).
@complete "nu-complete stsx"
def --env --wrapped stsx [...args: string] {
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

# Completion: stsx answers from its own option definitions; nothing from it leaves the word to
# nushell's own completion (files).
def "nu-complete stsx" [spans: list<string>] {
  let found = (^stsx __complete words -- ...($spans | skip 1) | lines)
  if ($found | is-empty) { null } else { $found }
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
