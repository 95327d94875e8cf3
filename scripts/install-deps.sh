#!/usr/bin/env bash
# Installs every Debian package dbmcp's build, tests and benchmark need (Debian 12).
# clang and its runtime build the libFuzzer targets (scripts/fuzz.sh).
# Node.js and npm come from the machine (the interop test installs its npm packages itself).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  ca-certificates cmake ninja-build g++ pkg-config git \
  libcli11-dev nlohmann-json3-dev libfmt-dev doctest-dev \
  libsqlitecpp-dev libsqlite3-dev sqlite3 \
  libpqxx-dev libpq-dev postgresql postgresql-client \
  groff man-db bash-completion fish zsh file dpkg-dev \
  clang libclang-rt-14-dev \
  >/dev/null
