# fish completion for dbmcp. Installed as share/fish/vendor_completions.d/dbmcp.fish; or
# `source completions/dbmcp.fish`.
# Keep in step with src/cli/*.cpp: tests/docs/check_docs.sh fails when a flag of `dbmcp --help`
# or `dbmcp COMMAND --help` is not offered here.

set -l __dbmcp_commands serve call tools init health diagnostics maintenance config audit policy

# The command (first non-flag word) and how many positional arguments follow it, skipping the
# values of flags that take one.
function __dbmcp_command_and_positionals
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l command
    set -l positionals 0
    set -l skip 0
    for token in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $token
            case --db --tables --exclude-tables --key-prefix --pool-min --pool-max --pool-timeout --statement-timeout \
                --env-file --secrets-dir --log-level --max-line-bytes --max-queued-bytes --workers --max-rows --max-answer-bytes --max-affected-rows --cache --cache-ttl --cache-max-bytes --schema --table \
                --audit --policy --file -n --lines --tool --since --outcome --text
                set skip 1
            case '-*'
            case '*'
                if test -z "$command"
                    set command $token
                else
                    set positionals (math $positionals + 1)
                end
        end
    end
    echo $command
    echo $positionals
end

# True when the command is $argv[1] and exactly $argv[2] positional arguments follow it.
function __dbmcp_at_positional
    set -l state (__dbmcp_command_and_positionals)
    test "$state[1]" = "$argv[1]"; and test "$state[2]" -eq "$argv[2]"
end

complete -c dbmcp -f

# Commands.
set -l no_command "not __fish_seen_subcommand_from $__dbmcp_commands"
complete -c dbmcp -n $no_command -a serve -d 'Serve MCP over stdin/stdout (the default)'
complete -c dbmcp -n $no_command -a call -d 'Run one tool and print its result as JSON'
complete -c dbmcp -n $no_command -a tools -d 'List the tools this configuration offers'
complete -c dbmcp -n $no_command -a init -d 'Create tables: --demo or --schema FILE.sql'
complete -c dbmcp -n $no_command -a health -d 'Check the database connection'
complete -c dbmcp -n $no_command -a diagnostics -d 'Engine, connection, table and pool statistics'
complete -c dbmcp -n $no_command -a maintenance -d 'VACUUM, ANALYZE or REINDEX'
complete -c dbmcp -n $no_command -a config -d 'Show the resolved configuration and its sources'
complete -c dbmcp -n $no_command -a audit -d 'Read the audit trail (tail, search)'
complete -c dbmcp -n $no_command -a policy -d 'Check an access policy file against the live schema'

# Global flags, accepted before or after the command.
complete -c dbmcp -l db -r -F -a 'sqlite: sqlite:/// sqlite::memory: postgresql:// postgres:// mysql:// mariadb:// redis:// unix://' -d 'Database URL (env DATABASE_URL)'
complete -c dbmcp -l read-only -d 'Open the database read-only; no write tools'
complete -c dbmcp -l tables -x -d 'Only expose these tables (comma-separated)'
complete -c dbmcp -l exclude-tables -x -d 'Hide these tables (comma-separated)'
complete -c dbmcp -l key-prefix -x -d 'Redis: confine every key to this prefix'
complete -c dbmcp -l pool-min -x -d 'Minimum pooled connections (default 1)'
complete -c dbmcp -l pool-max -x -d 'Maximum pooled connections (default 10)'
complete -c dbmcp -l pool-timeout -x -d 'Seconds to wait for a pooled connection (default 5)'
complete -c dbmcp -l statement-timeout -x -d 'Seconds a statement may run'
complete -c dbmcp -l env-file -r -F -d 'Read settings from this .env file'
complete -c dbmcp -l secrets-dir -x -a '(__fish_complete_directories)' -d 'Read secrets from this directory'
complete -c dbmcp -l create -d 'SQLite: create the database file when it is missing'
complete -c dbmcp -l wal -d 'SQLite: switch the database to WAL journal mode'
complete -c dbmcp -l cache -x -a 'memory redis://' -d 'Cache read answers: memory or redis://host:6379/0'
complete -c dbmcp -l cache-ttl -x -d 'Seconds a cached answer is served (default 300)'
complete -c dbmcp -l cache-max-bytes -x -d 'Bytes the memory cache may hold (default 64 MiB)'
complete -c dbmcp -l policy -r -F -d 'Access policy file, TOML or JSON (env DB_POLICY)'
complete -c dbmcp -l audit -r -F -d 'Append one JSON line per tool call to this file (env DB_AUDIT)'
complete -c dbmcp -l log-level -x -a 'debug info notice warning error critical alert emergency' -d 'stderr log level'
complete -c dbmcp -l max-line-bytes -x -d 'Longest accepted input line (default 64 MiB)'
complete -c dbmcp -l max-queued-bytes -x -d 'Input read but not yet served before reading pauses (default 64 MiB)'
complete -c dbmcp -l workers -x -d 'Concurrent tool calls'
complete -c dbmcp -l max-rows -x -d 'Largest page a read returns (default 100)'
complete -c dbmcp -l max-affected-rows -x -d 'Most rows one update_records/delete_records may change (default 1000, 0: no limit)'
complete -c dbmcp -l max-answer-bytes -x -d 'Byte budget of the rows one answer carries (default 100000)'
complete -c dbmcp -l allow-admin -d 'Offer the run_maintenance tool'
complete -c dbmcp -s h -l help -d 'Print help and exit'
complete -c dbmcp -n $no_command -s V -l version -d 'Print the version, backends built in and modules found'

# call TOOL [JSON|-]
complete -c dbmcp -n '__dbmcp_at_positional call 0' -a 'list_tables describe_table get_record list_records search_records count_records aggregate_records insert_record insert_records update_record update_records delete_record delete_records database_diagnostics run_maintenance cache_get cache_scan cache_stats cache_set cache_delete cache_expire' -d Tool
complete -c dbmcp -n '__dbmcp_at_positional call 1' -a '- {}' -d 'Arguments: a JSON object, or - for stdin'

# tools, health, diagnostics, config, maintenance: --json
complete -c dbmcp -n '__fish_seen_subcommand_from tools' -l json -d 'Print names, descriptions and input schemas as JSON'
complete -c dbmcp -n '__fish_seen_subcommand_from health diagnostics config maintenance' -l json -d 'Print JSON even on a terminal'

# init --demo | --schema FILE.sql
complete -c dbmcp -n '__fish_seen_subcommand_from init' -l demo -d 'Create the example schema with a few rows'
complete -c dbmcp -n '__fish_seen_subcommand_from init' -l schema -r -F -d 'Run this SQL script in one transaction'

# maintenance OPERATION [--table T]
complete -c dbmcp -n '__dbmcp_at_positional maintenance 0' -a 'vacuum analyze reindex' -d Operation
complete -c dbmcp -n '__fish_seen_subcommand_from maintenance' -l table -x -d 'Only this table'

# audit tail [-n N] [--follow] | audit search [--tool T] [--since TIME] [--outcome O] [--text S]
complete -c dbmcp -n '__dbmcp_at_positional audit 0' -a 'tail search' -d Action
complete -c dbmcp -n '__fish_seen_subcommand_from audit' -l file -r -F -d 'The audit file (default: --audit or DB_AUDIT)'
complete -c dbmcp -n '__fish_seen_subcommand_from audit' -l json -d 'Print the records as JSON lines'
complete -c dbmcp -n '__fish_seen_subcommand_from tail' -s n -l lines -x -d 'How many records (default 20)'
complete -c dbmcp -n '__fish_seen_subcommand_from tail' -s f -l follow -d 'Keep printing records as they are appended'
complete -c dbmcp -n '__fish_seen_subcommand_from search' -l tool -x -d 'Calls of this tool'
complete -c dbmcp -n '__fish_seen_subcommand_from search' -l since -x -d 'From this UTC time or age (15m, 2h, 7d)'
complete -c dbmcp -n '__fish_seen_subcommand_from search' -l outcome -x -a 'ok error cancelled intent' -d Outcome
complete -c dbmcp -n '__fish_seen_subcommand_from search' -l text -x -d 'Records whose line contains this text'

# policy check FILE [--json]
complete -c dbmcp -n '__dbmcp_at_positional policy 0' -a check -d Action
complete -c dbmcp -n '__dbmcp_at_positional policy 1' -F -d 'The policy file (TOML or JSON)'
complete -c dbmcp -n '__fish_seen_subcommand_from policy' -l json -d 'Print JSON even on a terminal'
