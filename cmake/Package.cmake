# Debian packages of what `cmake --install` installs, one per install component:
#   dbmcp           the binary (SQLite built in), man page, completions; needs no libpq
#   dbmcp-<module>  each backend module (lib/<arch>/dbmcp/dbmcp-<module>.so) and its client
#                   library: dbmcp-postgres (libpqxx, libpq), dbmcp-mysql, dbmcp-redis
#
#   cmake -S . -B build-pkg -G Ninja -DCMAKE_BUILD_TYPE=Release -DDBMCP_BUILD_TESTS=OFF
#   ninja -C build-pkg && (cd build-pkg && cpack -G DEB)
#   # -> build-pkg/dbmcp_<version>_<arch>.deb, build-pkg/dbmcp-postgres_<version>_<arch>.deb
#
# scripts/check-package.sh builds, installs and removes them. dpkg-shlibdeps (dpkg-dev) computes
# each package's run-time dependencies from its own files.

set(CPACK_PACKAGE_NAME dbmcp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "dbmcp")
set(CPACK_PACKAGE_CONTACT "dbmcp maintainers <dbmcp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Model Context Protocol server over stdio for SQLite, PostgreSQL, MySQL/MariaDB and Redis")
set(CPACK_PACKAGE_DESCRIPTION
    "dbmcp is one native binary that puts a database in front of an AI assistant. It is a
Model Context Protocol (MCP) server over stdio that wires one fixed set of tools (CRUD,
search, pagination, batch insert, schema introspection, diagnostics) onto a SQLite,
PostgreSQL or MySQL/MariaDB database, or a Redis key space. Names are checked against the
live schema and every value is a bound parameter; an access policy hides tables and
columns, masks values and confines rows. Includes admin subcommands (health, diagnostics,
init, maintenance, policy, audit, config), a man page and bash, zsh and fish completions.
The PostgreSQL, MySQL/MariaDB and Redis modules come in packages of their own.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY dbmcp)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEB_COMPONENT_INSTALL ON)
# main, then one component per module; each module's CPACK_DEBIAN_<NAME>_* variables (package
# name, file name, Depends, Suggests, description) come from its backend.cmake
# (dbmcp_backend_module in cmake/Backends.cmake).
set(CPACK_COMPONENTS_ALL main ${DBMCP_MODULES})
set(CPACK_DEBIAN_MAIN_PACKAGE_NAME dbmcp)
set(CPACK_DEBIAN_MAIN_FILE_NAME DEB-DEFAULT) # dbmcp_<version>_<arch>.deb
set(CPACK_DEBIAN_MAIN_PACKAGE_SUGGESTS "dbmcp-postgres, dbmcp-mysql, dbmcp-redis, bash-completion, sqlite3")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

include(CPack)
