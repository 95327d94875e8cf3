#!/usr/bin/env bash
# get_record calls/s through one dbmcp process, without and with the query-result cache, on SQLite
# and PostgreSQL, with --cache memory and --cache redis:// (and rediss:// when the server has a TLS
# port): the same N calls piped in, timed from start to exit (start-up included, a few ms).
# One command prints every figure, the servers being throw-away ones:
#   scripts/with-postgres.sh scripts/with-redis.sh bench/cache.sh
# PostgreSQL is timed when DBMCP_TEST_POSTGRES_URL is set, Redis when DBMCP_TEST_REDIS_URL is (and
# rediss:// when DBMCP_TEST_REDIS_TLS_URL and DBMCP_TEST_REDIS_TLS_CA are), as those scripts export.
# Usage: bench/cache.sh [--calls N] [--ids K] [--binary PATH]
#   --calls N   calls per run (default 20000)
#   --ids K     the calls cycle over K users (default 1: every call after the first is a hit)
#   --binary    the dbmcp to time (default build/dbmcp; a Release build gives the figures to quote)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=20000
ids=1
binary=build/dbmcp
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --ids) ids=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    *) echo "usage: bench/cache.sh [--calls N] [--ids K] [--binary PATH]" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "bench/cache.sh: $binary is not built (cmake --build build --target dbmcp)" >&2; exit 2; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The demo schema and K users in database DB.
prepare() {
  "$binary" --db "$1" init --demo >/dev/null 2>&1
  for i in $(seq 1 "$ids"); do
    "$binary" --db "$1" call insert_record \
      "{\"table\":\"users\",\"record\":{\"name\":\"user $i\",\"email\":\"u$i@bench.test\",\"age\":30}}" >/dev/null
  done
}

requests="$scratch/requests.jsonl"
awk -v calls="$calls" -v ids="$ids" 'BEGIN {
  print "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}"
  print "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"
  for (i = 1; i <= calls; i++)
    printf "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":\"get_record\",\"arguments\":{\"table\":\"users\",\"id\":%d}}}\n", i, (i - 1) % ids + 1
}' >"$requests"

# Prints calls/s of `dbmcp --db DB ARGS...` over the requests; checks every call was answered.
time_run() {
  local db=$1 out="$scratch/out.jsonl" start end answered
  shift
  start=$(date +%s%N)
  "$binary" --db "$db" "$@" <"$requests" >"$out"
  end=$(date +%s%N)
  answered=$(grep -c '"isError":false' "$out" || true)
  [ "$answered" -eq "$calls" ] || { echo "bench/cache.sh: $answered of $calls calls answered" >&2; exit 1; }
  awk -v n="$calls" -v ns="$((end - start))" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'
}

# The caches to time: label and --cache URL.
caches=("memory|memory")
if [ -n "${DBMCP_TEST_REDIS_URL:-}" ]; then
  caches+=("redis|$DBMCP_TEST_REDIS_URL")
  if [ -n "${DBMCP_TEST_REDIS_TLS_URL:-}" ] && [ -n "${DBMCP_TEST_REDIS_TLS_CA:-}" ]; then
    caches+=("rediss (TLS)|$DBMCP_TEST_REDIS_TLS_URL?ca=$DBMCP_TEST_REDIS_TLS_CA")
  fi
fi
databases=("SQLite|$scratch/bench.db")
if [ -n "${DBMCP_TEST_POSTGRES_URL:-}" ]; then
  databases+=("PostgreSQL|$DBMCP_TEST_POSTGRES_URL")
fi

echo "get_record, $calls calls over $ids users, one process each ($(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)):"
for entry in "${databases[@]}"; do
  name=${entry%%|*}
  db=${entry#*|}
  prepare "$db"
  printf '  %-11s uncached:              %7s calls/s\n' "$name" "$(time_run "$db")"
  for cache in "${caches[@]}"; do
    printf '  %-11s --cache %-14s %7s calls/s\n' "$name" "${cache%%|*}:" "$(time_run "$db" --cache "${cache#*|}")"
  done
done
[ -n "${DBMCP_TEST_POSTGRES_URL:-}" ] || echo "  (no PostgreSQL: run under scripts/with-postgres.sh)"
[ -n "${DBMCP_TEST_REDIS_URL:-}" ] || echo "  (no Redis: run under scripts/with-redis.sh)"
