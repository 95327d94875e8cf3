# shellcheck shell=bash
# What every scripts/with-<server>.sh shares, sourced after `set -euo pipefail`: the usage check,
# `die`, the free-port start with retries, the restart script, the clean-up on exit and running
# COMMAND. A with-script sets SERVER_SCRIPT (its name, for messages) before sourcing this file, and
# then, in order:
#   server_usage "$@"                    exit 2 without a COMMAND
#   server_cleanup_on_exit STOP          on exit: run STOP, remove $WORK, keep the exit code
#   server_start_on_free_port START STOP NAME
#                                        START PORT on free ports (5 tries, STOP after a failed
#                                        one); sets PORT, or dies with $LOG and NAME
#   server_write_restart START STOP      $WORK/restart: STOP, then START $PORT (for the tests)
#   server_run "$@"                      runs COMMAND; the script exits with its code
# START and STOP are commands or shell functions (files for server_write_restart: the tests run
# the restart script); START takes the port and succeeds once the server accepts connections
# (bounded), STOP succeeds when no server is left running.

die() {
  echo "$SERVER_SCRIPT: $*" >&2
  exit 1
}

server_usage() {
  if [ "$#" -eq 0 ]; then
    echo "usage: $SERVER_SCRIPT COMMAND [ARG...]" >&2
    exit 2
  fi
}

server_cleanup_on_exit() {
  SERVER_STOP=$1
  trap server_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# The EXIT trap: stops the server, removes $WORK and exits with the code the script was leaving with.
server_cleanup() {
  local code=$?
  "$SERVER_STOP" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$code"
}

# Whether something listens on 127.0.0.1:$1 (bash's /dev/tcp connects when something does).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nobody listens on now.
pick_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# Another process may take the port between the pick and the bind: try a few ports.
server_start_on_free_port() {
  local start=$1 stop=$2 name=$3 candidate attempt
  PORT=""
  for attempt in 1 2 3 4 5; do
    candidate=$(pick_port)
    if "$start" "$candidate"; then
      PORT=$candidate
      return
    fi
    "$stop" || true
    echo "$SERVER_SCRIPT: start on port $candidate failed (attempt $attempt)" >&2
  done
  cat "$LOG" >&2 || true
  die "the $name server did not start"
}

server_write_restart() {
  cat >"$WORK/restart" <<RESTART
#!/usr/bin/env bash
"$2" && exec "$1" "$PORT"
RESTART
  chmod 755 "$WORK/restart"
}

server_run() {
  local status
  set +e
  "$@"
  status=$?
  set -e
  exit "$status"
}
