#!/usr/bin/env bash
# Checks the man page and the shell completions against the built binary, so neither can drift
# from the code (registered by tests/docs/tests.cmake).
#
#   check_docs.sh MODE DBMCP_BINARY SOURCE_DIR       MODE: man | bash | zsh | fish
#
# The reference is what the binary itself says: the subcommands and flags of `dbmcp --help` and
# `dbmcp COMMAND --help`, the allowed values CLI11 prints for --log-level and the maintenance
# operation, and the tool names `dbmcp --allow-admin tools` lists. The environment variables come
# from setting_names() in src/config/config.cpp.
#
#   man   groff -ww and man --warnings print nothing; every command, flag, tool and environment
#         variable is documented in its section; EXAMPLES runs every command.
#   bash  completions/dbmcp.bash loads after bash_completion, registers _dbmcp for dbmcp and
#         completes every command, every flag (top level and per command), every tool after
#         `call`, every operation after `maintenance` and every --log-level value.
#   zsh   completions/_dbmcp parses, defines _dbmcp when sourced after compinit, is autoloaded
#         from $fpath through its #compdef line, and (driven through zsh/zpty) completes the same.
#   fish  completions/dbmcp.fish loads and `complete -C` completes the same.
set -uo pipefail

mode=${1:?usage: check_docs.sh man|bash|zsh|fish DBMCP_BINARY SOURCE_DIR}
binary=${2:?missing DBMCP_BINARY}
source_dir=${3:?missing SOURCE_DIR}
here=$(cd "$(dirname "$0")" && pwd)

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Run the binary away from any ./.env and the user's data directory.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
run_dbmcp() {
  (cd "$scratch" && env -u DATABASE_URL HOME="$scratch" XDG_DATA_HOME="$scratch/data" "$binary" "$@")
}

# --- The reference, from the binary -------------------------------------------------------------

# The lines of the section `$1` (e.g. "options", "subcommands", case-insensitive) of help text on stdin.
help_section() {
  awk -v want="$1" '
    /^[A-Za-z][A-Za-z ]*:[ \t]*$/ { name = tolower($0); sub(/:.*/, "", name); inside = (name == want); next }
    inside && /^[ \t]+[^ \t]/ { print }
  '
}

# The flags in the first column of an options section: "-h,--help", "--db URL" -> -h --help --db.
flags_of() {
  help_section options | awk '{ print $1 }' | tr ',' '\n' | grep -E '^--?[A-Za-z]' | sed 's/=.*//' | sort -u
}

top_help=$(run_dbmcp --help) || { echo "FAIL: dbmcp --help failed" >&2; exit 1; }
commands=$(help_section subcommands <<<"$top_help" | awk '{ print $1 }' | grep -E '^[a-z][a-z0-9_-]*$')
global_flags=$(flags_of <<<"$top_help")
declare -A command_flags
for command in $commands; do
  command_help=$(run_dbmcp "$command" --help) || fail "dbmcp $command --help failed"
  command_flags[$command]=$(flags_of <<<"$command_help")
  if [ "$command" = maintenance ]; then
    operations=$(help_section positionals <<<"$command_help" | grep -o '{[^}]*}' | head -1 | tr -d '{}' | tr ',' ' ')
  fi
done
log_levels=$(grep -E '^ +--log-level' <<<"$top_help" | grep -o '{[^}]*}' | head -1 | tr -d '{}' | tr ',' ' ')
tools=$(run_dbmcp --db sqlite::memory: --allow-admin tools | awk '{ print $1 }')
env_vars=$(sed -n '/setting_names()/,/return/p' "$source_dir/src/config/config.cpp" | grep -oE '"(DATABASE_URL|DB_[A-Z_]+)"' | tr -d '"')

# Guard the reference itself, so a change in the help format cannot make every check vacuous.
for expected in serve call tools init health diagnostics maintenance config; do
  grep -qx "$expected" <<<"$commands" || fail "dbmcp --help does not list the command '$expected' (help format changed?)"
done
for expected in --db --read-only --help --version --allow-admin; do
  grep -qx -- "$expected" <<<"$global_flags" || fail "could not read $expected from dbmcp --help"
done
grep -qx -- --schema <<<"${command_flags[init]:-}" || fail "could not read --schema from dbmcp init --help"
[ "$(wc -w <<<"$tools")" -ge 15 ] || fail "dbmcp --allow-admin tools listed only: $tools"
[ "${operations:-}" = "vacuum analyze reindex" ] || fail "could not read the operations from dbmcp maintenance --help: '${operations:-}'"
grep -qw warning <<<"$log_levels" || fail "could not read the --log-level values from dbmcp --help: '$log_levels'"
[ "$(wc -w <<<"$env_vars")" -ge 14 ] || fail "could not read setting_names() from src/config/config.cpp: $env_vars"
if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s) reading the reference" >&2
  exit 1
fi

# --- The man page ------------------------------------------------------------------------------

# The roff text of the man page section `$1` (".SH $1" up to the next .SH).
man_section() {
  awk -v want="$1" '/^\.SH / { name = $0; sub(/^\.SH +"?/, "", name); sub(/"$/, "", name); inside = (name == want); next } inside' \
    "$source_dir/man/dbmcp.1"
}

# The tags (the line after .TP or .TQ) of the man page section `$1`, as plain words, one tag per
# line: '.BR \-h ", " \-\-help' -> '-h --help'.
man_tags() {
  man_section "$1" | awk '/^\.(TP|TQ)/ { getline tag; print tag }' |
    sed -E 's/^\.[A-Z]+ *//; s/\\f[BIRP]//g; s/\\-/-/g; s/"//g; s/,/ /g; s/ +/ /g'
}

# "command flag" for every flag tagged inside a command's entry under COMMANDS.
man_command_flags() {
  man_tags COMMANDS | awk '$1 !~ /^-/ { command = $1; next } { print command, $1 }'
}

check_man() {
  local page=$source_dir/man/dbmcp.1 output
  output=$(groff -man -ww -z "$page" 2>&1)
  [ -z "$output" ] || fail "groff -man -ww -z man/dbmcp.1 warns: $output"
  output=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$output" ] || fail "man --warnings -l man/dbmcp.1 warns: $output"
  MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'EXIT STATUS' || fail "man -l man/dbmcp.1 does not render"

  local synopsis command_tags command_flag_pairs option_words tool_words examples flag command tool var
  synopsis=$(man_section SYNOPSIS)
  command_tags=$(man_tags COMMANDS | awk '{ print $1 }')
  command_flag_pairs=$(man_command_flags)
  option_words=$(man_tags OPTIONS | tr ' ' '\n')
  tool_words=$(man_tags TOOLS | tr ' ' '\n')
  examples=$(man_section EXAMPLES | sed 's/\\-/-/g')
  for command in $commands; do
    grep -qx "$command" <<<"$command_tags" || fail "man page: COMMANDS has no entry for '$command'"
    grep -qE "^\.B +$command$" <<<"$synopsis" || [ "$command" = serve ] ||
      fail "man page: SYNOPSIS does not show '$command'"
    grep -qE "dbmcp .*$command( |$)" <<<"$examples" || fail "man page: EXAMPLES has no example of '$command'"
    for flag in ${command_flags[$command]}; do
      grep -qx -- "$flag" <<<"$global_flags" && continue
      grep -qx -- "$command $flag" <<<"$command_flag_pairs" ||
        fail "man page: the entry of '$command' under COMMANDS has no item for $flag"
      grep -qF -- "$(sed 's/-/\\-/g' <<<"$flag")" <<<"$synopsis" ||
        fail "man page: SYNOPSIS does not show $flag"
    done
  done
  for flag in $global_flags; do
    grep -qx -- "$flag" <<<"$option_words" || fail "man page: OPTIONS has no entry for $flag"
  done
  for tool in $tools; do
    grep -qx "$tool" <<<"$tool_words" || fail "man page: TOOLS has no entry for $tool"
  done
  for var in $env_vars XDG_DATA_HOME HOME; do
    grep -qx "$var" <<<"$(man_tags ENVIRONMENT)" || fail "man page: ENVIRONMENT has no entry for $var"
  done
  local status
  for status in 0 1 2; do
    grep -qx "$status" <<<"$(man_tags "EXIT STATUS")" || fail "man page: EXIT STATUS has no entry for $status"
  done
  for url in 'sqlite:///' 'sqlite:' 'sqlite::memory:' 'postgresql://' 'postgres://' 'sslmode'; do
    grep -qF "$url" <<<"$(man_section "DATABASE URLS")" || fail "man page: DATABASE URLS lacks $url"
  done
}

# --- The completions ---------------------------------------------------------------------------

# complete_<shell> LINE prints the candidates the shell offers for LINE, one per line.
complete_bash() {
  bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion || exit 1
    source "$1" || exit 1
    line=$2
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    spec=$(complete -p dbmcp) || exit 1
    function=$(sed -n "s/.*-F \([^ ]*\).*/\1/p" <<<"$spec")
    "$function" dbmcp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash "$source_dir/completions/dbmcp.bash" "$1"
}

complete_fish() {
  fish --no-config -c 'source $argv[1]; or exit 1; complete -C $argv[2]' "$source_dir/completions/dbmcp.fish" "$1" |
    cut -f1
}

complete_zsh() {
  local out=$scratch/zsh-matches
  # The completion directory goes on $fpath, so this also proves the #compdef autoload path.
  zsh -f "$here/zsh_complete.zsh" "$source_dir/completions" "$out" "$1" || return 1
  cat "$out"
}

# expect LINE WORD... : the completion of LINE offers every WORD.
expect() {
  local line=$1 offered word missing=()
  shift
  offered=$("complete_$mode" "$line" 2>"$scratch/stderr")
  if [ -s "$scratch/stderr" ]; then
    fail "$mode: completing '$line' wrote to stderr: $(head -5 "$scratch/stderr")"
  fi
  for word in "$@"; do
    grep -qxF -- "$word" <<<"$offered" || missing+=("$word")
  done
  if [ "${#missing[@]}" -ne 0 ]; then
    fail "$mode: completing '$line' does not offer: ${missing[*]} (offered: $(tr '\n' ' ' <<<"$offered"))"
  fi
}

# expect_not LINE WORD... : the completion of LINE offers none of WORD.
expect_not() {
  local line=$1 offered word
  shift
  offered=$("complete_$mode" "$line" 2>/dev/null)
  for word in "$@"; do
    grep -qxF -- "$word" <<<"$offered" && fail "$mode: completing '$line' offers '$word', which does not belong there"
  done
}

check_completions() {
  local file
  case $mode in
    bash) file=completions/dbmcp.bash ;;
    zsh) file=completions/_dbmcp ;;
    fish) file=completions/dbmcp.fish ;;
  esac
  [ -f "$source_dir/$file" ] || { fail "$file is missing"; return; }

  case $mode in
    bash)
      bash -n "$source_dir/$file" || fail "$file does not parse"
      bash --norc --noprofile -c 'source /usr/share/bash-completion/bash_completion; source "$1" &&
        complete -p dbmcp | grep -q -- "-F _dbmcp"' bash "$source_dir/$file" ||
        fail "$file does not register _dbmcp for dbmcp"
      ;;
    zsh)
      zsh -n "$source_dir/$file" || fail "$file does not parse"
      head -1 "$source_dir/$file" | grep -qx '#compdef dbmcp' || fail "$file does not start with #compdef dbmcp"
      zsh -fc 'autoload -Uz compinit && compinit -u -D && source "$1" && whence -w _dbmcp | grep -q function &&
        [[ $_comps[dbmcp] == _dbmcp ]]' zsh "$source_dir/$file" ||
        fail "$file sourced after compinit does not define _dbmcp and register it for dbmcp"
      ;;
    fish)
      fish --no-config -n "$source_dir/$file" || fail "$file does not parse"
      ;;
  esac

  expect "dbmcp he" health
  expect "dbmcp " $commands
  expect_not "dbmcp " --db
  expect "dbmcp --" $(grep -- '^--' <<<"$global_flags")
  # After a flag with its value, the other flags (zsh leaves out the one already given).
  expect "dbmcp --db x --" $(grep -- '^--' <<<"$global_flags" | grep -vx -- --db)
  local command
  for command in $commands; do
    # Its own flags and, since commands fall through to the top level, the global ones.
    expect "dbmcp $command --" $(grep -- '^--' <<<"${command_flags[$command]}") \
      $(grep -- '^--' <<<"$global_flags" | grep -vx -- --version)
  done
  # Short flags where the shell lists them for a lone "-" (zsh and fish do; bash lists all).
  expect "dbmcp -" $(grep -E -- '^-[^-]' <<<"$global_flags")
  expect_not "dbmcp tools --" --demo --schema --table
  expect_not "dbmcp init --" --json
  expect "dbmcp call " $tools
  expect "dbmcp call li" list_records list_tables
  expect_not "dbmcp call li" describe_table
  expect "dbmcp --read-only --db sqlite:x.db call cou" count_records
  expect "dbmcp maintenance " $operations
  expect "dbmcp maintenance --table t re" reindex
  expect "dbmcp --log-level " $log_levels
  expect "dbmcp --log-level debug he" health
}

case $mode in
  man) check_man ;;
  bash | zsh | fish) check_completions ;;
  *)
    echo "unknown mode '$mode'" >&2
    exit 2
    ;;
esac

if [ "$failures" -ne 0 ]; then
  echo "$mode: $failures failure(s)" >&2
  exit 1
fi
echo "$mode: OK ($(wc -w <<<"$commands") commands, $(wc -w <<<"$global_flags $(printf '%s ' "${command_flags[@]}")") flags, $(wc -w <<<"$tools") tools)"
