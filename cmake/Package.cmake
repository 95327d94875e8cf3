# Debian packages of what `cmake --install` installs, one per install component:
#   dbmcp           the binary (SQLite built in), man page, completions; needs no libpq
#   dbmcp-postgres  the PostgreSQL module (lib/<arch>/dbmcp/dbmcp-postgres.so), libpqxx and libpq
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
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Model Context Protocol server over stdio for SQLite and PostgreSQL")
set(CPACK_PACKAGE_DESCRIPTION
    "dbmcp is one native binary that puts a database in front of an AI assistant. It is a
Model Context Protocol (MCP) server over stdio that wires one fixed set of tools (CRUD,
search, pagination, batch insert, schema introspection, diagnostics) onto a SQLite or
PostgreSQL database. Names are checked against the live schema and every value is a
bound parameter. Includes admin subcommands (health, diagnostics, maintenance, config),
a man page and bash, zsh and fish completions.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY dbmcp)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL main)
if(DBMCP_WITH_POSTGRES)
  list(APPEND CPACK_COMPONENTS_ALL postgres)
endif()
if(DBMCP_WITH_MYSQL)
  list(APPEND CPACK_COMPONENTS_ALL mysql)
endif()
if(DBMCP_WITH_REDIS)
  list(APPEND CPACK_COMPONENTS_ALL redis)
endif()
set(CPACK_DEBIAN_MAIN_PACKAGE_NAME dbmcp)
set(CPACK_DEBIAN_MAIN_FILE_NAME DEB-DEFAULT) # dbmcp_<version>_<arch>.deb
set(CPACK_DEBIAN_MAIN_PACKAGE_SUGGESTS "dbmcp-postgres, bash-completion, sqlite3")
set(CPACK_DEBIAN_POSTGRES_PACKAGE_NAME dbmcp-postgres)
set(CPACK_DEBIAN_POSTGRES_FILE_NAME DEB-DEFAULT) # dbmcp-postgres_<version>_<arch>.deb
set(CPACK_DEBIAN_POSTGRES_PACKAGE_DEPENDS "dbmcp (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_POSTGRES_PACKAGE_SUGGESTS "postgresql-client")
set(CPACK_DEBIAN_POSTGRES_DESCRIPTION
    "PostgreSQL backend module for dbmcp\n dbmcp loads this module (and libpq) on first use of a postgresql:// URL.")
set(CPACK_DEBIAN_MYSQL_PACKAGE_NAME dbmcp-mysql)
set(CPACK_DEBIAN_MYSQL_FILE_NAME DEB-DEFAULT) # dbmcp-mysql_<version>_<arch>.deb
set(CPACK_DEBIAN_MYSQL_PACKAGE_DEPENDS "dbmcp (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_MYSQL_DESCRIPTION
    "MySQL/MariaDB backend module for dbmcp\n dbmcp loads this module (and MariaDB Connector/C) on first use of a\n mysql:// or mariadb:// URL.")
set(CPACK_DEBIAN_REDIS_PACKAGE_NAME dbmcp-redis)
set(CPACK_DEBIAN_REDIS_FILE_NAME DEB-DEFAULT) # dbmcp-redis_<version>_<arch>.deb
set(CPACK_DEBIAN_REDIS_PACKAGE_DEPENDS "dbmcp (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_REDIS_PACKAGE_SUGGESTS "redis-tools")
set(CPACK_DEBIAN_REDIS_DESCRIPTION
    "Redis backend module for dbmcp\n dbmcp loads this module (and hiredis) on first use of a redis://,\n rediss:// (TLS, through OpenSSL) or unix:// URL.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

include(CPack)
