// The Redis backend describes itself (backends/info/backend_info.hpp). The engine is the module
// dbmcp-redis.so (hiredis); this description is linked in even when the engine is not built.
#include "backends/info/backend_info.hpp"

namespace dbmcp::backends::info {

const BackendInfo& describe_redis()
{
  static const BackendInfo k_info{
      .name = "redis",
      // rediss:// is Redis over TLS (OpenSSL; Debian's hiredis has none);
      // unix:///path/redis.sock?db=0 is a server's unix socket.
      .schemes = {"redis", "rediss", "unix"},
      .default_port = 6379,
      // DB_PASSWORD goes into the user info: redis://:password@host/0.
      .password_parameter = "",
      .transactional_ddl = false,
      .key_values = true,
      .delivery = Delivery::module,
      .module = "redis",
#ifdef DBMCP_HAVE_REDIS
      .built = true,
#endif
  };
  return k_info;
}

} // namespace dbmcp::backends::info
