#!/usr/bin/env bash
# Runs COMMAND... against a throw-away MariaDB server:
#   scripts/with-mariadb.sh ctest --test-dir build --output-on-failure -R mysql
#
# Initialises a data directory in a temporary folder (mariadb-install-db; the server runs as the
# `mysql` OS user when run as root), starts mariadbd --no-defaults on 127.0.0.1 on a free port with
# its unix socket inside that folder and TLS on (a throw-away CA, EC keys made with openssl in
# that folder), waits until it accepts connections, creates the database dbmcp_test, a user
# `dbmcp` with a password and a user `x509user` that must present a client certificate signed by
# that CA (REQUIRE X509), both with every privilege, and exports:
#   DBMCP_TEST_MYSQL_URL      mysql://dbmcp:PASSWORD@127.0.0.1:PORT/dbmcp_test
#   DBMCP_TEST_MYSQL_TLS_URL  mysql://x509user:PASSWORD@127.0.0.1:PORT/dbmcp_test (without TLS parameters)
#   DBMCP_TEST_MYSQL_TLS_DIR  the folder with ca.pem, client-cert.pem and client-key.pem (the server's
#                             certificate names 127.0.0.1 and localhost)
#   DBMCP_TEST_MYSQL_RESTART  a command that stops the server and starts it again on the same port
# then runs COMMAND, stops the server and removes the folder on exit, and exits with COMMAND's code.
set -euo pipefail
SERVER_SCRIPT=with-mariadb.sh
# shellcheck source=scripts/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
server_usage "$@"

PATH="$PATH:/usr/sbin:/sbin"
for tool in mariadb-install-db mariadbd mariadb-admin mariadb openssl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; run scripts/install-deps.sh (package mariadb-server)"
done

if [ "$(id -u)" -eq 0 ]; then
  id mysql >/dev/null 2>&1 || die "running as root needs a 'mysql' OS user (installed with mariadb-server)"
  RUN_AS="runuser -u mysql --"
  WORK=$(mktemp -d /tmp/dbmcp-maria.XXXXXX)
  chown mysql: "$WORK"
else
  RUN_AS=""
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbmcp-maria.XXXXXX")
fi
chmod 755 "$WORK"
DATA="$WORK/data"
SOCKET="$WORK/mysqld.sock"
LOG="$WORK/server.log"
PIDFILE="$WORK/mysqld.pid"
TLS="$WORK/tls"

# A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, on P-256 keys
# (made in milliseconds). Readable by all: the server may run as `mysql`, the tests as another user.
mkdir "$TLS"
(
  cd "$TLS"
  key="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
  # shellcheck disable=SC2086 # $key is several options
  openssl req -x509 $key -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=dbmcp test CA"
  for who in server client; do
    # shellcheck disable=SC2086
    openssl req $key -keyout "$who-key.pem" -out "$who.csr" -subj "/CN=dbmcp test $who"
  done
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext \
    -out server-cert.pem
  openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -out client-cert.pem
  chmod 755 . && chmod 644 ./*.pem
) >"$WORK/tls.log" 2>&1 || { cat "$WORK/tls.log" >&2; die "making the TLS certificates failed"; }

# $WORK/stop stops the server (bounded: 30 s, then SIGKILL); $WORK/start PORT starts it in the
# background and succeeds once it answers a ping (bounded: 60 s). Both are files so that the
# tests can restart the server through DBMCP_TEST_MYSQL_RESTART.
cat >"$WORK/stop" <<STOP
#!/usr/bin/env bash
[ -f "$PIDFILE" ] || exit 0
pid=\$(cat "$PIDFILE" 2>/dev/null || true)
if [ -n "\$pid" ]; then
  kill "\$pid" 2>/dev/null || true
  for _ in \$(seq 1 300); do
    kill -0 "\$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "\$pid" 2>/dev/null || true
fi
rm -f "$PIDFILE"
STOP
cat >"$WORK/start" <<START
#!/usr/bin/env bash
cd /
$RUN_AS "$(command -v mariadbd)" --no-defaults --datadir="$DATA" --bind-address=127.0.0.1 --port="\$1" \\
  --socket="$SOCKET" --pid-file="$PIDFILE" --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \\
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --max-connections=200 \\
  --ssl-ca="$TLS/ca.pem" --ssl-cert="$TLS/server-cert.pem" --ssl-key="$TLS/server-key.pem" >>"$LOG" 2>&1 &
server=\$!
for _ in \$(seq 1 600); do
  mariadb-admin --no-defaults --socket="$SOCKET" -uroot ping >/dev/null 2>&1 && exit 0
  kill -0 "\$server" 2>/dev/null || exit 1
  sleep 0.1
done
exit 1
START
chmod 755 "$WORK/stop" "$WORK/start"

server_cleanup_on_exit "$WORK/stop"

(cd / && $RUN_AS mariadb-install-db --no-defaults --datadir="$DATA" --auth-root-authentication-method=normal \
  --skip-test-db) >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; die "mariadb-install-db failed"; }

server_start_on_free_port "$WORK/start" "$WORK/stop" MariaDB

PASSWORD="dbmcp-$RANDOM$RANDOM"
mariadb --no-defaults --socket="$SOCKET" -uroot <<SQL || die "creating dbmcp_test failed"
CREATE DATABASE dbmcp_test CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER 'dbmcp'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
CREATE USER 'dbmcp'@'localhost' IDENTIFIED BY '$PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'dbmcp'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'dbmcp'@'localhost' WITH GRANT OPTION;
CREATE USER 'x509user'@'127.0.0.1' IDENTIFIED BY '$PASSWORD' REQUIRE X509;
GRANT ALL PRIVILEGES ON *.* TO 'x509user'@'127.0.0.1';
SQL

server_write_restart "$WORK/start" "$WORK/stop"

export DBMCP_TEST_MYSQL_URL="mysql://dbmcp:$PASSWORD@127.0.0.1:$PORT/dbmcp_test"
export DBMCP_TEST_MYSQL_TLS_URL="mysql://x509user:$PASSWORD@127.0.0.1:$PORT/dbmcp_test"
export DBMCP_TEST_MYSQL_TLS_DIR="$TLS"
export DBMCP_TEST_MYSQL_RESTART="$WORK/restart"
echo "with-mariadb.sh: MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

server_run "$@"
