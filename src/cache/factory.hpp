#pragma once

#include "cache/shared_cache.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace dbmcp::cache {

// Opens the cache at a URL (`max_bytes` bounds an in-process one).
using Factory = std::function<std::unique_ptr<SharedCache>(const std::string& url, size_t max_bytes)>;

// Makes `factory` open the --cache URLs of `scheme` ("redis", "rediss", "unix"): how a backend
// that can serve as a shared cache (the Redis module) plugs in. A later registration of the same
// scheme replaces the earlier one.
void register_factory(const std::string& scheme, Factory factory);

// The cache `url` names: "memory" is a MemoryCache of `max_bytes`; a URL whose scheme has a
// registered factory is opened by it. Throws std::invalid_argument with a message naming what is
// missing for any other URL (e.g. redis:// when the Redis module is not there), and whatever the
// factory throws (CacheUnavailable when the server cannot be reached).
std::unique_ptr<SharedCache> open_cache(const std::string& url, size_t max_bytes);

} // namespace dbmcp::cache
