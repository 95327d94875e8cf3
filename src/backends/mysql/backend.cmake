# The MySQL/MariaDB engine (MariaDB Connector/C) on the generic relational store, the module
# dbmcp-mysql.so in the package dbmcp-mysql (cmake/Backends.cmake).
if(DBMCP_WITH_MYSQL)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
  dbmcp_backend_module(mysql LIBRARIES dbmcp_backends_sql PkgConfig::MARIADB
    DESCRIPTION "MySQL/MariaDB backend module for dbmcp\n dbmcp loads this module (and MariaDB Connector/C) on first use of a\n mysql:// or mariadb:// URL.")
endif()
