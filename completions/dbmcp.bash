# bash completion for dbmcp                                -*- shell-script -*-
#
# Installed as share/bash-completion/completions/dbmcp; or `source completions/dbmcp.bash`.
# Keep in step with src/cli/*.cpp: tests/docs/check_docs.sh fails when a flag of `dbmcp --help`
# or `dbmcp COMMAND --help` is not offered here.

_dbmcp_commands="serve call tools init health diagnostics maintenance config audit policy"

# Flags that every command accepts (parsed by the top-level app; commands fall through to it).
_dbmcp_global_flags="--db --read-only --tables --exclude-tables --key-prefix --pool-min --pool-max --pool-timeout
  --statement-timeout --env-file --secrets-dir --create --wal --cache --cache-ttl --cache-max-bytes --audit --policy --log-level --max-line-bytes --max-queued-bytes --workers --max-rows
  --max-answer-bytes --max-affected-rows
  --allow-admin -h --help"

_dbmcp_tools="list_tables describe_table get_record list_records search_records count_records
  aggregate_records insert_record insert_records update_record update_records delete_record
  delete_records database_diagnostics run_maintenance cache_get cache_scan cache_stats cache_set
  cache_delete cache_expire"

_dbmcp_maintenance_operations="vacuum analyze reindex"

# Flags that take a value in the next word.
_dbmcp_flag_takes_value()
{
  case $1 in
    --db | --tables | --exclude-tables | --key-prefix | --pool-min | --pool-max | --pool-timeout | \
      --statement-timeout | --env-file | --secrets-dir | --log-level | --max-line-bytes | --max-queued-bytes | \
      --workers | --max-rows | --max-answer-bytes | --max-affected-rows | --cache | --cache-ttl | --cache-max-bytes | --schema | --table | \
      --audit | --policy | --file | -n | --lines | --tool | --since | --outcome | --text)
      return 0
      ;;
  esac
  return 1
}

_dbmcp_files()
{
  # $1: -d for directories only, or a glob such as *.sql.
  if declare -F _filedir >/dev/null 2>&1; then
    if [[ $1 == -d ]]; then
      _filedir -d
    elif [[ -n $1 ]]; then
      _filedir "${1#\*.}"
    else
      _filedir
    fi
  else
    local IFS=$'\n'
    if [[ $1 == -d ]]; then
      COMPREPLY=($(compgen -d -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
  fi
}

_dbmcp()
{
  local cur prev words cword
  cword=$COMP_CWORD
  words=("${COMP_WORDS[@]}")
  cur=${words[cword]}
  prev=
  ((cword > 0)) && prev=${words[cword - 1]}
  # bash splits --flag=value at '=' (COMP_WORDBREAKS): complete the value of the flag.
  if [[ $cur == = ]] && ((cword > 1)); then
    prev=${words[cword - 1]}
    cur=
  elif [[ $prev == = ]] && ((cword > 1)); then
    prev=${words[cword - 2]}
  fi
  COMPREPLY=()

  case $prev in
    --db)
      # A bare path is a SQLite database; offer the URL schemes too.
      _dbmcp_files
      if [[ $cur != */* ]]; then
        COMPREPLY+=($(compgen -W "sqlite: sqlite:/// sqlite::memory: postgresql:// postgres:// mysql:// mariadb://" -- "$cur"))
      fi
      [[ $cur == *: ]] && compopt -o nospace 2>/dev/null
      return 0
      ;;
    --env-file | --audit | --file)
      _dbmcp_files
      return 0
      ;;
    --policy)
      _dbmcp_files
      return 0
      ;;
    --secrets-dir)
      _dbmcp_files -d
      return 0
      ;;
    --schema)
      _dbmcp_files '*.sql'
      return 0
      ;;
    --log-level)
      COMPREPLY=($(compgen -W "debug info notice warning error critical alert emergency" -- "$cur"))
      return 0
      ;;
    --cache)
      COMPREPLY=($(compgen -W "memory redis://" -- "$cur"))
      return 0
      ;;
    --outcome)
      COMPREPLY=($(compgen -W "ok error cancelled intent" -- "$cur"))
      return 0
      ;;
    --tool)
      COMPREPLY=($(compgen -W "$_dbmcp_tools" -- "$cur"))
      return 0
      ;;
    --tables | --exclude-tables | --key-prefix | --pool-min | --pool-max | --pool-timeout | --statement-timeout | \
      --max-line-bytes | --max-queued-bytes | --workers | --max-rows | --max-answer-bytes | --max-affected-rows | --cache-ttl | \
      --cache-max-bytes | --table | -n | --lines | --since | --text)
      return 0 # a value of the user's choosing
      ;;
  esac

  # Find the command and count the positional arguments after it.
  local command= positionals=0 i word
  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    if [[ $word == = ]]; then
      ((i++)) # the value of --flag=value
      continue
    fi
    if [[ $word == -* ]]; then
      if _dbmcp_flag_takes_value "$word" && [[ ${words[i + 1]} != = ]]; then
        ((i++))
      fi
      continue
    fi
    if [[ -z $command ]]; then
      command=$word
    else
      ((positionals++))
    fi
  done

  local flags=$_dbmcp_global_flags
  case $command in
    tools | health | diagnostics | config) flags+=" --json" ;;
    init) flags+=" --demo --schema" ;;
    maintenance) flags+=" --table --json" ;;
    audit) flags+=" --file --json -n --lines -f --follow --tool --since --outcome --text" ;;
    policy) flags+=" --json" ;;
    "") flags+=" -V --version" ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return 0
  fi

  case $command in
    "")
      COMPREPLY=($(compgen -W "$_dbmcp_commands" -- "$cur"))
      ;;
    call)
      if ((positionals == 0)); then
        COMPREPLY=($(compgen -W "$_dbmcp_tools" -- "$cur"))
      elif ((positionals == 1)); then
        COMPREPLY=($(compgen -W "- {}" -- "$cur"))
      fi
      ;;
    maintenance)
      if ((positionals == 0)); then
        COMPREPLY=($(compgen -W "$_dbmcp_maintenance_operations" -- "$cur"))
      fi
      ;;
    audit)
      if ((positionals == 0)); then
        COMPREPLY=($(compgen -W "tail search" -- "$cur"))
      fi
      ;;
    policy)
      if ((positionals == 0)); then
        COMPREPLY=($(compgen -W "check" -- "$cur"))
      elif ((positionals == 1)); then
        _dbmcp_files
      fi
      ;;
  esac
  return 0
}

complete -F _dbmcp dbmcp

# ex: filetype=sh
