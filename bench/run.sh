#!/usr/bin/env bash
# Builds a Release dbmcp and prints the benchmark table for SQLite and PostgreSQL (a temporary
# cluster from scripts/with-postgres.sh). Usage: bench/run.sh [--rows N] [--reads N] [--starts N]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DDBMCP_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench --target dbmcp dbmcp_bench
./build-bench/bench/dbmcp_bench --backend sqlite "$@"
scripts/with-postgres.sh bash -c './build-bench/bench/dbmcp_bench --backend postgresql --pg-url "$DBMCP_TEST_POSTGRES_URL" '"$*"' | tail -n +3'
