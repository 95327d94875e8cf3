#!/usr/bin/env bash
# Configures the build tree of one kind and prints its directory, so that test.sh and fuzz.sh share
# one tree per kind. Usage: scripts/configure.sh plain|address|thread
#   plain    build/       RelWithDebInfo at -O2 -g1 (line tables: backtraces keep file:line, and
#                         the tree compiles in two thirds of the time of -g), g++
#   address  build-asan/  ASan+UBSan at -O1 -g1; with clang when it is installed (it compiles this
#                         tree in about 60% of g++'s time) and then also the libFuzzer targets
#   thread   build-tsan/  TSan at -O1 -g1; with clang when it is installed, else g++
# ccache is used when installed. DBMCP_UNITY=1 builds each target as a few unity files (CMake's
# UNITY_BUILD: about half the CPU time of a full build, so .ci/run sets it; an incremental build
# recompiles a whole batch, so it is off by default). In a unity file the anonymous namespaces of
# a target's .cpp files meet: two helpers of one target may not share a name. Extra arguments go
# to cmake.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind="${1:-plain}"
shift || true
args=(-G Ninja)
if command -v ccache >/dev/null; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [ "${DBMCP_UNITY:-0}" = 1 ]; then
  args+=(-DCMAKE_UNITY_BUILD=ON)
else
  args+=(-DCMAKE_UNITY_BUILD=OFF)
fi
case "$kind" in
  plain)
    build="$root/build"
    args+=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")
    ;;
  address)
    build="$root/build-asan"
    args+=(-DDBMCP_SANITIZE=address)
    if command -v clang++ >/dev/null; then
      args+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DDBMCP_FUZZ=ON)
    fi
    ;;
  thread)
    build="$root/build-tsan"
    args+=(-DDBMCP_SANITIZE=thread)
    if command -v clang++ >/dev/null; then
      args+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
    fi
    ;;
  *) echo "configure.sh: the kind is plain, address or thread, not '$kind'" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$build" "${args[@]}" "$@" >/dev/null
echo "$build"
