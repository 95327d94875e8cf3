#!/usr/bin/env bash
# Builds a Release dbmcp and prints one table: each figure beside its engine's floor, measured in
# the same run, for SQLite, PostgreSQL (a temporary cluster from scripts/with-postgres.sh, floors
# from pgbench and COPY) and MySQL/MariaDB (a temporary server from scripts/with-mariadb.sh, floors
# through Connector/C). Usage: bench/run.sh [--rows N] [--reads N] [--starts N]
# BENCH_BACKENDS=sqlite,postgresql,mysql (the default) picks the engines; BENCH_BUILD_DIR the build.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BENCH_BUILD_DIR:-build-bench}
backends=${BENCH_BACKENDS:-sqlite,postgresql,mysql}
if [ -z "${BENCH_BUILD_DIR:-}" ]; then # a given build directory is used as configured
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDBMCP_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" --target dbmcp_bench >&2
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
export BENCH_BINARY="$build/bench/dbmcp_bench" BENCH_ARGS="$*" BENCH_LIST="$backends"
scripts/with-postgres.sh scripts/with-mariadb.sh bash -c \
  '"$BENCH_BINARY" --backend "$BENCH_LIST" --pg-url "$DBMCP_TEST_POSTGRES_URL" --mysql-url "$DBMCP_TEST_MYSQL_URL" $BENCH_ARGS'
