#!/usr/bin/env bash
# Installs the Debian packages dbmcp needs (Debian 12).
#
#   scripts/install-deps.sh           everything: build, tests, docs checks, fuzzing (clang),
#                                     packaging, benchmark
#   scripts/install-deps.sh --build   only what `cmake -DDBMCP_BUILD_TESTS=OFF` and a build need
#
# Node.js and npm come from the machine (the interop test installs its npm packages itself).
set -euo pipefail
build=(ca-certificates cmake ninja-build g++ pkg-config
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev
  libsqlitecpp-dev libsqlite3-dev
  libpqxx-dev libpq-dev libmariadb-dev libhiredis-dev libssl-dev)
rest=(git doctest-dev sqlite3 postgresql postgresql-client mariadb-server redis-server openssl
  groff man-db bash-completion fish zsh file dpkg-dev clang libclang-rt-14-dev llvm)
case "${1:-}" in
  --build) packages=("${build[@]}") ;;
  "") packages=("${build[@]}" "${rest[@]}") ;;
  *)
    echo "usage: $0 [--build]" >&2
    exit 2
    ;;
esac
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# Debian starts redis-server on 127.0.0.1:6379 where an init system runs it; the tests start their own
# (scripts/with-redis.sh), so the packaged service is stopped and disabled.
if [ -z "${1:-}" ] && command -v service >/dev/null 2>&1; then
  $SUDO service redis-server stop >/dev/null 2>&1 || true
  if command -v update-rc.d >/dev/null 2>&1; then $SUDO update-rc.d redis-server disable >/dev/null 2>&1 || true; fi
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
fi
