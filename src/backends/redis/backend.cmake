# The Redis key-value engine (hiredis; rediss:// through OpenSSL, as Debian's hiredis 0.14 has no TLS), the module dbmcp-redis.so in the package dbmcp-redis
# (cmake/Backends.cmake).
if(DBMCP_WITH_REDIS)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
  find_package(OpenSSL REQUIRED)
  dbmcp_backend_module(redis LIBRARIES dbmcp_store dbmcp_config PkgConfig::HIREDIS OpenSSL::SSL SUGGESTS redis-tools
    DESCRIPTION "Redis backend module for dbmcp\n dbmcp loads this module (and hiredis) on first use of a redis://,\n rediss:// (TLS, through OpenSSL) or unix:// URL.")
endif()
