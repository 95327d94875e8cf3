#pragma once

#include "cache/shared_cache.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>

namespace dbmcp::cache {

// A SharedCache in this process's memory (--cache memory): thread-safe, at most `max_bytes` of
// keys and values (the least recently used entries are evicted first), entries expire after their
// TTL. Counters live beside the entries, outside the byte bound (one per table). Never throws
// CacheUnavailable. Not shared with other processes.
class MemoryCache : public SharedCache
{
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` tells the time (tests pass their own); steady_clock::now by default.
  explicit MemoryCache(size_t max_bytes, Clock clock = {});

  std::string describe() const override;
  std::optional<std::string> get(const std::string& key) override;
  // A value larger than the whole bound is not kept.
  void set(const std::string& key, const std::string& value, std::chrono::seconds ttl) override;
  std::vector<int64_t> counters(const std::vector<std::string>& keys) override;
  void bump(const std::vector<std::string>& keys) override;

  // The bytes of the keys and values held now (expired entries not yet dropped included).
  size_t bytes() const;
  size_t entries() const;

private:
  struct Entry
  {
    std::string value;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator recency; // its place in m_recency
  };

  void erase(std::unordered_map<std::string, Entry>::iterator entry);

  const size_t m_max_bytes;
  const Clock m_clock;
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, Entry> m_entries;
  std::list<std::string> m_recency; // most recently used first
  std::unordered_map<std::string, int64_t> m_counters;
  size_t m_bytes = 0;
};

} // namespace dbmcp::cache
