#!/usr/bin/env bash
# Builds the Debian package, installs it with apt-get, checks what it installed, and removes it.
#
#   scripts/check-package.sh [BUILD_DIR]      (default build-pkg; needs root or sudo)
#
# Checks: dbmcp --version names the project version, `man dbmcp` finds the page, the completion
# files are where bash, zsh and fish look, the package declares its shared-library dependencies,
# and the package removes cleanly. The package must not be installed already.
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build-pkg}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

fail() {
  echo "check-package: FAIL: $*" >&2
  exit 1
}

if dpkg-query -W -f='${Status}' dbmcp 2>/dev/null | grep -q 'install ok installed'; then
  fail "dbmcp is already installed; remove it first (apt-get remove dbmcp)"
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDBMCP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
rm -f "$build"/dbmcp_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb="$build/dbmcp_${version}_${arch}.deb"
[ -f "$deb" ] || fail "cpack did not write $deb (found: $(ls "$build"/*.deb 2>/dev/null || echo nothing))"
echo "check-package: built $deb"

# The package's metadata and contents.
dpkg-deb -f "$deb" Package | grep -qx dbmcp || fail "package name is not dbmcp"
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-package: Depends: $depends"
for lib in libc6 libstdc++6 libsqlite3 libpqxx; do # libpqxx: needed by the PostgreSQL module
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib (is dpkg-shlibdeps working?)"
done
contents=$(dpkg-deb -c "$deb")
module=$(grep -o '\./usr/lib/.*dbmcp/dbmcp-postgres\.so$' <<<"$contents") || fail "the package lacks the PostgreSQL module"
for path in ./usr/bin/dbmcp ./usr/share/man/man1/dbmcp.1 ./usr/share/bash-completion/completions/dbmcp \
  ./usr/share/zsh/vendor-completions/_dbmcp ./usr/share/fish/vendor_completions.d/dbmcp.fish; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done

# Install, use, remove.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
removed=0
cleanup() {
  if [ "$removed" -eq 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dbmcp >/dev/null || true
  fi
}
trap cleanup EXIT

[ "$(command -v dbmcp)" = /usr/bin/dbmcp ] || fail "dbmcp is not /usr/bin/dbmcp on PATH"
got=$(dbmcp --version)
[ "$got" = "dbmcp $version" ] || fail "dbmcp --version printed '$got', expected 'dbmcp $version'"
echo "check-package: $got"
page=$(man -w dbmcp) || fail "man dbmcp does not find the page"
[ "$page" = /usr/share/man/man1/dbmcp.1 ] || [ "$page" = /usr/share/man/man1/dbmcp.1.gz ] ||
  fail "man -w dbmcp found $page"
MANWIDTH=80 man dbmcp 2>/dev/null | grep -q 'Model Context Protocol' || fail "man dbmcp does not render the page"
echo "check-package: man dbmcp -> $page"
if [ -r /usr/share/bash-completion/bash_completion ]; then
  bash -c 'source /usr/share/bash-completion/bash_completion
           source /usr/share/bash-completion/completions/dbmcp
           COMP_WORDS=(dbmcp he); COMP_CWORD=1; COMP_LINE="dbmcp he"; COMP_POINT=8
           _dbmcp dbmcp he dbmcp; [[ " ${COMPREPLY[*]} " == *" health "* ]]' ||
    fail "the installed bash completion does not complete 'dbmcp he'"
fi
if command -v fish >/dev/null; then
  fish -c 'complete -C "dbmcp he"' | grep -q '^health' || fail "fish does not find the installed completion"
fi
(cd /tmp && dbmcp --db sqlite::memory: health --json) | grep -q '"healthy"' ||
  fail "dbmcp health on an in-memory database is not healthy"
# The installed module loads: a PostgreSQL URL gets as far as connecting (nothing listens on port 1).
pg=$(cd /tmp && dbmcp --db postgresql://127.0.0.1:1/none --pool-timeout 2 health --json 2>&1 || true)
if grep -q 'module' <<<"$pg" || ! grep -q '127.0.0.1' <<<"$pg"; then
  fail "the installed PostgreSQL module (${module#.}) did not load: $pg"
fi
echo "check-package: PostgreSQL module ${module#.} loads"

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dbmcp >/dev/null
removed=1
[ ! -e /usr/bin/dbmcp ] || fail "/usr/bin/dbmcp is still there after apt-get remove"
[ ! -e /usr/share/man/man1/dbmcp.1 ] || fail "the man page is still there after apt-get remove"
[ ! -e "${module#.}" ] || fail "${module#.} is still there after apt-get remove"
echo "check-package: OK"
