# The Redis key-value engine (hiredis), the module dbmcp-redis.so in the package dbmcp-redis
# (cmake/Backends.cmake).
if(DBMCP_WITH_REDIS)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
  dbmcp_backend_module(redis LIBRARIES dbmcp_store dbmcp_config PkgConfig::HIREDIS SUGGESTS redis-tools
    DESCRIPTION "Redis backend module for dbmcp\n dbmcp loads this module (and hiredis) on first use of a redis:// or\n unix:// URL.")
endif()
