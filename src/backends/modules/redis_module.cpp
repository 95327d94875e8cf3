// The Redis backend as a loadable module (dbmcp-redis.so): hiredis is loaded only when a
// redis:// or unix:// URL is opened.
#include "backends/module_abi.hpp"
#include "backends/redis/redis_shared_cache.hpp"
#include "backends/redis/redis_store.hpp"
#include "util/log.hpp"

DBMCP_MODULE_ABI()

extern "C" __attribute__((visibility("default"))) dbmcp::store::Store*
dbmcp_open_store(const dbmcp::store::StoreOptions& options, dbmcp::LogLevel stderr_level)
{
  // The module has its own copy of the logging state: take the executable's level.
  dbmcp::log::set_stderr_level(stderr_level);
  return dbmcp::backends::redis::open_redis_store(options).release();
}

// The shared result cache (--cache redis://…) on the same client library.
extern "C" __attribute__((visibility("default"))) dbmcp::cache::SharedCache*
dbmcp_open_shared_cache(const std::string& url, dbmcp::LogLevel stderr_level)
{
  dbmcp::log::set_stderr_level(stderr_level);
  return dbmcp::backends::redis::open_redis_shared_cache(url).release();
}
