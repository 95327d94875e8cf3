#pragma once

#include "cache/shared_cache.hpp"

#include <memory>
#include <string>

namespace dbmcp::backends::redis {

// The result cache's shared store (--cache redis://…) on a Redis server: answers under their keys
// with SET … EX, generation counters as integer keys (INCR, MGET), so every dbmcp process on that
// server sees the others' answers and invalidations. Connects on first use, not here, and again
// after a failure; every failure to reach or use the server throws cache::CacheUnavailable (the
// caller then reads the database). Throws store::StoreError (invalid_argument) for a malformed URL.
std::unique_ptr<cache::SharedCache> open_redis_shared_cache(const std::string& url);

} // namespace dbmcp::backends::redis
