# The PostgreSQL engine (libpqxx over libpq) on the generic relational store, the module
# dbmcp-postgres.so in the package dbmcp-postgres (cmake/Backends.cmake).
if(DBMCP_WITH_POSTGRES)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx libpq)
  dbmcp_backend_module(postgres LIBRARIES dbmcp_backends_sql PkgConfig::PQXX SUGGESTS postgresql-client
    DESCRIPTION "PostgreSQL backend module for dbmcp\n dbmcp loads this module (and libpq) on first use of a postgresql:// URL.")
endif()
