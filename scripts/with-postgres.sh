#!/usr/bin/env bash
# Runs COMMAND... against a throw-away PostgreSQL server:
#   scripts/with-postgres.sh ctest --test-dir build --output-on-failure
#
# Initialises a cluster in a temporary folder (as the `postgres` OS user when run as root), starts
# it on 127.0.0.1 on a free port with its unix socket inside that folder, waits until it accepts
# connections, creates the database dbmcp_test and exports:
#   DBMCP_TEST_POSTGRES_URL  postgresql://postgres@127.0.0.1:PORT/dbmcp_test (trust auth)
#   DBMCP_TEST_PG_CTL        a pg_ctl that works from the caller's user (runs as postgres if needed)
#   DBMCP_TEST_PGDATA        the data directory, for `$DBMCP_TEST_PG_CTL -D $DBMCP_TEST_PGDATA restart`
# then runs COMMAND, stops the server and removes the folder on exit, and exits with COMMAND's code.
# Set DBMCP_PG_BIN to choose the PostgreSQL binaries (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail
SERVER_SCRIPT=with-postgres.sh
# shellcheck source=scripts/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
server_usage "$@"

find_bin_dir() {
  if [ -n "${DBMCP_PG_BIN:-}" ]; then
    echo "$DBMCP_PG_BIN"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    die "no PostgreSQL server binaries (initdb) found; run scripts/install-deps.sh or set DBMCP_PG_BIN"
  fi
}

BIN=$(find_bin_dir)
for tool in initdb pg_ctl pg_isready psql; do
  [ -x "$BIN/$tool" ] || die "$BIN/$tool is missing"
done

# As root, the server runs as the `postgres` user (initdb and postgres refuse to run as root).
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' OS user (installed with the postgresql package)"
  # From a folder the server's user can read, so that no tool warns about the caller's cwd.
  as_server_user() { (cd / && runuser -u postgres -- "$@"); }
  WORK=$(mktemp -d /tmp/dbmcp-pg.XXXXXX)
  chown postgres: "$WORK"
else
  as_server_user() { "$@"; }
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbmcp-pg.XXXXXX")
fi
chmod 755 "$WORK"
PGDATA_DIR="$WORK/data"
SOCKET_DIR="$WORK/socket"
LOG="$WORK/server.log"
as_server_user mkdir -p "$SOCKET_DIR"

# Called by scripts/lib/server.sh (the free-port start and the exit trap).
# shellcheck disable=SC2317
start_server() { as_server_user "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOG" -o "-p $1" -w -t 60 start >/dev/null 2>&1; }
# shellcheck disable=SC2317
stop_server() {
  if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    as_server_user "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
}
server_cleanup_on_exit stop_server

as_server_user "$BIN/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKET_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF

server_start_on_free_port start_server stop_server PostgreSQL

# pg_ctl -w already waited; confirm over TCP with a bounded poll (30 s).
ready=0
for _ in $(seq 1 300); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; then
    ready=1
    break
  fi
  sleep 0.1
done
[ "$ready" -eq 1 ] || { cat "$LOG" >&2; die "the PostgreSQL server on port $PORT never became ready"; }

"$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE dbmcp_test" >/dev/null || die "CREATE DATABASE dbmcp_test failed"

# A pg_ctl the tests can call as themselves (as root it switches to the server's user), with the
# server log kept in the folder so that a restart never writes to the caller's output.
cat >"$WORK/pg_ctl" <<EOF
#!/usr/bin/env bash
if [ "\$(id -u)" -eq 0 ]; then
  cd /
  exec runuser -u postgres -- "$BIN/pg_ctl" -l "$LOG" "\$@"
fi
exec "$BIN/pg_ctl" -l "$LOG" "\$@"
EOF
chmod 755 "$WORK/pg_ctl"

export DBMCP_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PORT/dbmcp_test"
export DBMCP_TEST_PG_CTL="$WORK/pg_ctl"
export DBMCP_TEST_PGDATA="$PGDATA_DIR"
echo "with-postgres.sh: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DBMCP_TEST_POSTGRES_URL)" >&2

server_run "$@"
