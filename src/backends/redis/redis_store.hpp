#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::redis {

// Opens a Redis database from `options.url` (redis://…, unix://…): a store of
// Capability::key_values whose keys live under `options.key_prefix`. Connects at once (a PING),
// so an unreachable server throws unavailable; afterwards each call reconnects as needed.
// Throws invalid_argument for a bad URL.
std::unique_ptr<store::Store> open_redis_store(const store::StoreOptions& options);

} // namespace dbmcp::backends::redis
