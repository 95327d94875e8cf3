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
echo "with-redis.sh: Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$PORT" >&2

server_run "$@"
