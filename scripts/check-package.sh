#!/usr/bin/env bash
# Builds the Debian packages (dbmcp, dbmcp-postgres, dbmcp-mysql and dbmcp-redis), installs them with apt-get, checks what
# they installed, and removes them.
#
#   scripts/check-package.sh [BUILD_DIR]      (default build-pkg; needs root or sudo)
#
# A BUILD_DIR that is not configured yet is configured as a Release build without the tests; one
# that is (CI passes the plain stage's build/, RelWithDebInfo with the tests) is packaged as it is,
# after building what the packages hold, so that nothing is compiled twice. Installed files are
# stripped either way. A sanitizer or fuzz build is refused.
#
# Checks: the base package depends on no database client library and holds no module, and
# installed alone it serves SQLite and says that a postgresql:// or mysql:// URL needs
# dbmcp-postgres or dbmcp-mysql; each module package installed beside it loads; dbmcp --version names the project version,
# `man dbmcp` finds the page, the completion files are where bash, zsh and fish look, each
# package has its copyright file, the binaries are stripped, and both remove cleanly. The
# packages must not be installed already.
#
# Not checked here: installing on a machine without libpq at all (this one has it for the
# build); the Depends check is what guarantees it.
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build-pkg}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

fail() {
  echo "check-package: FAIL: $*" >&2
  exit 1
}

for package in dbmcp dbmcp-postgres dbmcp-mysql dbmcp-redis; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    fail "$package is already installed; remove it first (apt-get remove dbmcp-postgres dbmcp-mysql dbmcp-redis dbmcp)"
  fi
done

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDBMCP_BUILD_TESTS=OFF >/dev/null
fi
if grep -Eq '^DBMCP_SANITIZE:STRING=.+|^DBMCP_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  fail "$build is a sanitizer or fuzz build; package a plain one (default build-pkg)"
fi
cmake --build "$build" --target dbmcp # and the modules it loads
echo "check-package: packaging $build ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt"))"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
rm -f "$build"/dbmcp*_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb="$build/dbmcp_${version}_${arch}.deb"
pgdeb="$build/dbmcp-postgres_${version}_${arch}.deb"
mydeb="$build/dbmcp-mysql_${version}_${arch}.deb"
rdeb="$build/dbmcp-redis_${version}_${arch}.deb"
for file in "$deb" "$pgdeb" "$mydeb" "$rdeb"; do
  [ -f "$file" ] || fail "cpack did not write $file (found: $(ls "$build"/*.deb 2>/dev/null || echo nothing))"
  echo "check-package: built $file"
done

# The packages' metadata and contents.
dpkg-deb -f "$deb" Package | grep -qx dbmcp || fail "package name is not dbmcp"
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-package: dbmcp Depends: $depends"
for lib in libc6 libstdc++6 libsqlite3; do
  grep -q "$lib" <<<"$depends" || fail "dbmcp Depends lacks $lib (is dpkg-shlibdeps working?)"
done
if grep -Eq 'libpq|libpqxx|libmariadb|libhiredis' <<<"$depends"; then
  fail "the base package depends on a database client library: $depends"
fi
pgdepends=$(dpkg-deb -f "$pgdeb" Depends)
echo "check-package: dbmcp-postgres Depends: $pgdepends"
for lib in libpqxx "dbmcp (= $version)"; do
  grep -qF "$lib" <<<"$pgdepends" || fail "dbmcp-postgres Depends lacks $lib"
done
mydepends=$(dpkg-deb -f "$mydeb" Depends)
echo "check-package: dbmcp-mysql Depends: $mydepends"
for lib in libmariadb "dbmcp (= $version)"; do
  grep -qF "$lib" <<<"$mydepends" || fail "dbmcp-mysql Depends lacks $lib"
done
rdepends=$(dpkg-deb -f "$rdeb" Depends)
echo "check-package: dbmcp-redis Depends: $rdepends"
for lib in libhiredis "dbmcp (= $version)"; do
  grep -qF "$lib" <<<"$rdepends" || fail "dbmcp-redis Depends lacks $lib"
done
contents=$(dpkg-deb -c "$deb")
rcontents=$(dpkg-deb -c "$rdeb")
pgcontents=$(dpkg-deb -c "$pgdeb")
mycontents=$(dpkg-deb -c "$mydeb")
if grep -q 'dbmcp-[a-z]*\.so$' <<<"$contents"; then fail "the base package holds a backend module"; fi
module=$(grep -o '\./usr/lib/.*dbmcp/dbmcp-postgres\.so$' <<<"$pgcontents") ||
  fail "dbmcp-postgres lacks the PostgreSQL module"
grep -q ' ./usr/share/doc/dbmcp-postgres/copyright$' <<<"$pgcontents" || fail "dbmcp-postgres lacks its copyright file"
mymodule=$(grep -o '\./usr/lib/.*dbmcp/dbmcp-mysql\.so$' <<<"$mycontents") || fail "dbmcp-mysql lacks the MySQL module"
grep -q ' ./usr/share/doc/dbmcp-mysql/copyright$' <<<"$mycontents" || fail "dbmcp-mysql lacks its copyright file"
rmodule=$(grep -o '\./usr/lib/.*dbmcp/dbmcp-redis\.so$' <<<"$rcontents") || fail "dbmcp-redis lacks the Redis module"
grep -q ' ./usr/share/doc/dbmcp-redis/copyright$' <<<"$rcontents" || fail "dbmcp-redis lacks its copyright file"
for path in ./usr/bin/dbmcp ./usr/share/man/man1/dbmcp.1 ./usr/share/bash-completion/completions/dbmcp \
  ./usr/share/zsh/vendor-completions/_dbmcp ./usr/share/fish/vendor_completions.d/dbmcp.fish \
  ./usr/share/doc/dbmcp/copyright; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done

# Install the base package alone, use it, add the PostgreSQL package, use it, remove both.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
removed=0
cleanup() {
  if [ "$removed" -eq 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dbmcp-postgres dbmcp-mysql dbmcp-redis dbmcp >/dev/null || true
  fi
}
trap cleanup EXIT

[ "$(command -v dbmcp)" = /usr/bin/dbmcp ] || fail "dbmcp is not /usr/bin/dbmcp on PATH"
got=$(dbmcp --version | head -n 1)
[ "$got" = "dbmcp $version" ] || fail "dbmcp --version began '$got', expected 'dbmcp $version'"
echo "check-package: $got"
if ldd /usr/bin/dbmcp | grep -Eq 'libpq|libmariadb'; then fail "/usr/bin/dbmcp links a database client library"; fi
if file /usr/bin/dbmcp | grep -q 'not stripped'; then fail "/usr/bin/dbmcp is not stripped"; fi
echo "check-package: /usr/bin/dbmcp is $(du -h /usr/bin/dbmcp | cut -f1), stripped, without libpq or libmariadb"
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
if command -v zsh >/dev/null; then
  # Debian's zsh searches /usr/share/zsh/vendor-completions by default.
  zsh -fc 'print -l $fpath' | grep -qx /usr/share/zsh/vendor-completions ||
    fail "zsh's default \$fpath lacks /usr/share/zsh/vendor-completions"
fi
if command -v fish >/dev/null; then
  fish -c 'complete -C "dbmcp he"' | grep -q '^health' || fail "fish does not find the installed completion"
fi
(cd /tmp && dbmcp --db sqlite::memory: health --json) | grep -q '"healthy"' ||
  fail "dbmcp health on an in-memory database is not healthy"
alone=$(cd /tmp && dbmcp --db postgresql://127.0.0.1:1/none health --json 2>&1 || true)
grep -q 'install the dbmcp-postgres package' <<<"$alone" ||
  fail "without dbmcp-postgres, a postgresql:// URL does not say what to install: $alone"
alone=$(cd /tmp && dbmcp --db mysql://root@127.0.0.1:1/none health --json 2>&1 || true)
grep -q 'install the dbmcp-mysql package' <<<"$alone" ||
  fail "without dbmcp-mysql, a mysql:// URL does not say what to install: $alone"
echo "check-package: the base package alone serves SQLite and names dbmcp-postgres and dbmcp-mysql"

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$pgdeb" >/dev/null
if file -L "${module#.}" | grep -q 'not stripped'; then fail "${module#.} is not stripped"; fi
# The installed module loads: a PostgreSQL URL gets as far as connecting (nothing listens on port 1).
pg=$(cd /tmp && dbmcp --db postgresql://127.0.0.1:1/none --pool-timeout 2 health --json 2>&1 || true)
if grep -q 'module' <<<"$pg" || ! grep -q '127.0.0.1' <<<"$pg"; then
  fail "the installed PostgreSQL module (${module#.}) did not load: $pg"
fi
echo "check-package: dbmcp-postgres beside it: module ${module#.} loads"

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$mydeb" >/dev/null
if file -L "${mymodule#.}" | grep -q 'not stripped'; then fail "${mymodule#.} is not stripped"; fi
my=$(cd /tmp && dbmcp --db mysql://root@127.0.0.1:1/none --pool-timeout 2 health --json 2>&1 || true)
if grep -q 'module' <<<"$my" || ! grep -q '127.0.0.1' <<<"$my"; then
  fail "the installed MySQL module (${mymodule#.}) did not load: $my"
fi
echo "check-package: dbmcp-mysql beside it: module ${mymodule#.} loads"

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$rdeb" >/dev/null
if file -L "${rmodule#.}" | grep -q 'not stripped'; then fail "${rmodule#.} is not stripped"; fi
rd=$(cd /tmp && dbmcp --db redis://127.0.0.1:1/0 --pool-timeout 2 health --json 2>&1 || true)
if grep -q 'module' <<<"$rd" || ! grep -q '127.0.0.1' <<<"$rd"; then
  fail "the installed Redis module (${rmodule#.}) did not load: $rd"
fi
echo "check-package: dbmcp-redis beside it: module ${rmodule#.} loads"

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dbmcp-postgres dbmcp-mysql dbmcp-redis dbmcp >/dev/null
removed=1
[ ! -e /usr/bin/dbmcp ] || fail "/usr/bin/dbmcp is still there after apt-get remove"
[ ! -e /usr/share/man/man1/dbmcp.1 ] || fail "the man page is still there after apt-get remove"
[ ! -e "${module#.}" ] || fail "${module#.} is still there after apt-get remove"
[ ! -e "${mymodule#.}" ] || fail "${mymodule#.} is still there after apt-get remove"
[ ! -e "${rmodule#.}" ] || fail "${rmodule#.} is still there after apt-get remove"
echo "check-package: OK"
