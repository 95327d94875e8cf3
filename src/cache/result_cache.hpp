#pragma once

#include "cache/shared_cache.hpp"
#include "util/json.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace dbmcp::cache {

struct ResultCacheOptions
{
  std::chrono::seconds ttl{300};
  // Names the database (no password): the per-table generation counters are shared by every
  // process on it, whatever their other options.
  std::string database;
  // The effective options that shape an answer (--max-rows, --tables, --read-only, the answer
  // budget, ...): two processes share answers only when these are equal too.
  std::string answer_options;
  // How long reads skip a cache that failed before trying it again.
  std::chrono::milliseconds retry_after{5000};
};

// The query-result cache over a SharedCache: answers of read tools keyed by tool, arguments,
// options and the generation of every table they read; writes bump those generations. A cache
// that fails (CacheUnavailable) is skipped, with one warning, until `retry_after` has passed;
// generations it could not bump meanwhile are bumped before it serves again. Thread-safe.
class ResultCache
{
public:
  ResultCache(std::unique_ptr<SharedCache> cache, ResultCacheOptions options);

  // The answer of `run` (a read of `tables` by `tool` with `arguments`), from the cache when an
  // equal request was answered within the TTL: then it carries "cached": true and "cache_age_ms".
  // What `run` throws propagates and nothing is stored.
  Json read(const std::string& tool, const Json& arguments, const std::vector<std::string>& tables,
            const std::function<Json()>& run);
  // Runs `run` (a write to `tables`), then bumps their generations, also when `run` throws, so no
  // process on this cache serves an answer read before the write.
  Json write(const std::vector<std::string>& tables, const std::function<Json()>& run);
  // Counts this process saw: {backend, state, ttl_seconds, hits, misses, hit_ratio, bypassed,
  // invalidations, bytes_written[, bytes, entries]}.
  Json stats() const;
  // Tries the cache now (one read) so that stats() says whether it is up, for a process that has
  // not used it yet (`dbmcp diagnostics`); a failure marks it down, with the one warning.
  void probe();
  // A read that the client asked not to serve from the cache (`cache: false`).
  void count_bypass() { ++m_bypassed; }

private:
  std::vector<std::string> generation_keys(const std::vector<std::string>& tables) const;
  // Whether the cache may be tried now; brings it back (after bumping what is pending) when the
  // retry time has come.
  bool usable();
  void failed(const CacheUnavailable& error);
  void bump(const std::vector<std::string>& tables);

  const std::unique_ptr<SharedCache> m_cache;
  const ResultCacheOptions m_options;
  const std::string m_database_tag; // short hash of options.database
  const std::string m_answer_tag;   // short hash of options.answer_options
  std::atomic<int64_t> m_hits{0};
  std::atomic<int64_t> m_misses{0};
  std::atomic<int64_t> m_bypassed{0};
  std::atomic<int64_t> m_invalidations{0};
  std::atomic<int64_t> m_bytes_written{0};
  mutable std::mutex m_mutex; // guards what follows
  bool m_down = false;
  std::chrono::steady_clock::time_point m_retry_at;
  std::set<std::string> m_pending; // tables whose generation a failed bump left unbumped
};

} // namespace dbmcp::cache
