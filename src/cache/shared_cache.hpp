#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

// The store behind the query-result cache (--cache): an in-process MemoryCache, or a server that
// several dbmcp processes share (Redis, from its module). Knows nothing of tools or databases.
namespace dbmcp::cache {

// A cache that cannot be reached or answered garbage. The result cache then serves from the
// database and tries the cache again later; it is never shown to the client.
struct CacheUnavailable : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

class SharedCache
{
public:
  virtual ~SharedCache() = default;
  // What this cache is, for logs and diagnostics ("memory, at most 64 MiB", "redis://host:6379/0"),
  // with no password.
  virtual std::string describe() const = 0;
  // The value stored under `key`, or nullopt when absent or expired. Throws CacheUnavailable.
  virtual std::optional<std::string> get(const std::string& key) = 0;
  // Stores `value` under `key` for `ttl` (replacing what was there). A cache bounded in size may
  // evict it (or not keep it at all) at any time. Throws CacheUnavailable.
  virtual void set(const std::string& key, const std::string& value, std::chrono::seconds ttl) = 0;
  // The counter under each of `keys`, in order; 0 for a counter never bumped. Counters do not
  // expire and are not evicted. Throws CacheUnavailable.
  virtual std::vector<int64_t> counters(const std::vector<std::string>& keys) = 0;
  // Adds one to the counter under each of `keys`. Throws CacheUnavailable.
  virtual void bump(const std::vector<std::string>& keys) = 0;
};

} // namespace dbmcp::cache
