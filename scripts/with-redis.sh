#!/usr/bin/env bash
# Runs COMMAND... against a throw-away Redis server:
#   scripts/with-redis.sh ctest --test-dir build --output-on-failure -R redis
#
# Starts redis-server on 127.0.0.1 on a free port, without persistence (no RDB snapshot, no AOF),
# with its working directory and unix socket in a temporary folder, waits until it answers PING,
# and exports:
#   DBMCP_TEST_REDIS_URL      redis://127.0.0.1:PORT/0
#   DBMCP_TEST_REDIS_SOCKET   the server's unix socket (unix://$DBMCP_TEST_REDIS_SOCKET?db=0)
#   DBMCP_TEST_REDIS_RESTART  a command that stops the server and starts it again on the same port
#   DBMCP_TEST_REDIS_TLS_URL  rediss://localhost:TLSPORT/0, the same server over TLS
#   DBMCP_TEST_REDIS_TLS_CA   the throw-away CA (PEM) that signed its certificate (for localhost only)
# then runs COMMAND, stops the server and removes the folder on exit, and exits with COMMAND's code.
set -euo pipefail
SERVER_SCRIPT=with-redis.sh
# shellcheck source=scripts/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
server_usage "$@"

PATH="$PATH:/usr/sbin:/sbin"
for tool in redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; run scripts/install-deps.sh (package redis-server)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbmcp-redis.XXXXXX")
SOCKET="$WORK/redis.sock"
LOG="$WORK/server.log"
PIDFILE="$WORK/redis.pid"

# $WORK/stop stops the server (bounded: 10 s, then SIGKILL); $WORK/start PORT starts it in the
# background and succeeds once it answers PING (bounded: 30 s). Both are files so that the tests
# can restart the server through DBMCP_TEST_REDIS_RESTART.
cat >"$WORK/stop" <<STOP
#!/usr/bin/env bash
[ -f "$PIDFILE" ] || exit 0
pid=\$(cat "$PIDFILE" 2>/dev/null || true)
if [ -n "\$pid" ]; then
  kill "\$pid" 2>/dev/null || true
  for _ in \$(seq 1 100); do
    kill -0 "\$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "\$pid" 2>/dev/null || true
fi
rm -f "$PIDFILE"
STOP
cat >"$WORK/start" <<START
#!/usr/bin/env bash
cd "$WORK"
"$(command -v redis-server)" --bind 127.0.0.1 --port "\$1" --unixsocket "$SOCKET" --unixsocketperm 700 \\
  --save "" --appendonly no --dir "$WORK" --daemonize no --protected-mode yes --enable-debug-command local >>"$LOG" 2>&1 &
server=\$!
echo "\$server" >"$PIDFILE"
for _ in \$(seq 1 300); do
  [ "\$(redis-cli -s "$SOCKET" ping 2>/dev/null)" = PONG ] && exit 0
  kill -0 "\$server" 2>/dev/null || exit 1
  sleep 0.1
done
exit 1
START
chmod 755 "$WORK/stop" "$WORK/start"

server_cleanup_on_exit "$WORK/stop"

server_start_on_free_port "$WORK/start" "$WORK/stop" Redis

server_write_restart "$WORK/start" "$WORK/stop"

export DBMCP_TEST_REDIS_URL="redis://127.0.0.1:$PORT/0"
export DBMCP_TEST_REDIS_SOCKET="$SOCKET"
export DBMCP_TEST_REDIS_RESTART="$WORK/restart"

# rediss://: a TLS port on the same server, opened at run time (CONFIG SET) by $WORK/tls-on PORT,
# with a throw-away CA and a certificate for the name localhost only (so that 127.0.0.1 fails the
# name check) made by `openssl req`; the restart script opens it again.
command -v openssl >/dev/null 2>&1 || die "openssl not found; run scripts/install-deps.sh (package openssl)"
mkdir "$WORK/tls"
(
  cd "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=dbmcp test CA" -keyout ca.key -out ca.pem
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
  printf 'subjectAltName=DNS:localhost\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem
) >"$WORK/tls/openssl.log" 2>&1 || { cat "$WORK/tls/openssl.log" >&2; die "openssl could not make the test certificate"; }
cat >"$WORK/tls-on" <<TLSON
#!/usr/bin/env bash
[ "\$(redis-cli -s "$SOCKET" config set tls-cert-file "$WORK/tls/server.pem" tls-key-file "$WORK/tls/server.key" \\
  tls-ca-cert-file "$WORK/tls/ca.pem" tls-auth-clients no tls-port "\$1" 2>&1)" = OK ]
TLSON
chmod 755 "$WORK/tls-on"
TLS_PORT=""
for _ in 1 2 3 4 5; do
  candidate=$(pick_port)
  if "$WORK/tls-on" "$candidate"; then
    TLS_PORT=$candidate
    break
  fi
done
[ -n "$TLS_PORT" ] || die "the Redis server did not open a TLS port"
cat >"$WORK/restart" <<RESTART
#!/usr/bin/env bash
"$WORK/stop" && "$WORK/start" "$PORT" && exec "$WORK/tls-on" "$TLS_PORT"
RESTART
export DBMCP_TEST_REDIS_TLS_URL="rediss://localhost:$TLS_PORT/0"
export DBMCP_TEST_REDIS_TLS_CA="$WORK/tls/ca.pem"
echo "with-redis.sh: Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$PORT, TLS on $TLS_PORT" >&2

server_run "$@"
