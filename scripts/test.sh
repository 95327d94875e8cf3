#!/usr/bin/env bash
# Builds dbmcp and runs the whole test suite against real servers: SQLite files and a temporary
# PostgreSQL cluster on 127.0.0.1 (scripts/with-postgres.sh; every scripts/with-*.sh wraps the run).
# DBMCP_TEST_JOBS sets how many tests run at once (default 2). Usage:
#   scripts/test.sh                      # RelWithDebInfo build in build/
#   scripts/test.sh --sanitize address   # ASan+UBSan build in build-asan/ (clang when installed)
#   scripts/test.sh --sanitize thread    # TSan build in build-tsan/
# (scripts/configure.sh says how each tree is configured.)
#   scripts/test.sh --concurrency ...    # only the tests labelled `concurrency` (and what they need)
# Extra arguments go to ctest (e.g. -R e2e_ to run the black-box tests only).
set -euo pipefail
cd "$(dirname "$0")/.."

kind=plain
target=all
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) kind="$2"; shift 2 ;;
    --concurrency) target=concurrency_tests; set -- "$@" -L concurrency; shift ;;
    *) break ;;
  esac
done
build="$(scripts/configure.sh "$kind")"
cmake --build "$build" --target "$target"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp}"
# The servers the backend tests need: every scripts/with-<server>.sh starts one throwaway server,
# exports its URL and runs its COMMAND (the next wrapper, ctest last), so a backend joins the suite
# by adding its script. Two tests at a time: the tests of one server hold its RESOURCE_LOCK
# (tests/CMakeLists.txt), since they share its database and some restart it.
wrappers=(scripts/with-*.sh)
exec "${wrappers[@]}" ctest --test-dir "$build" --output-on-failure -j "${DBMCP_TEST_JOBS:-2}" "$@"
