#include "cache/result_cache.hpp"

#include "cache/memory_cache.hpp"
#include "util/hmac.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::cache {
namespace {

// The first `bytes` bytes of sha256(`text`) in hex.
std::string short_hash(std::string_view text, size_t bytes = 12)
{
  const Sha256Digest digest = sha256(text);
  std::string hex;
  for (size_t i = 0; i < bytes && i < digest.size(); ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

// `value` with the keys of every object in sorted order (Json keeps insertion order), so that
// equal requests written in another order share an answer.
Json normalised(const Json& value)
{
  if (value.is_array()) {
    Json items = Json::array();
    for (const auto& item : value) {
      items.push_back(normalised(item));
    }
    return items;
  }
  if (!value.is_object()) {
    return value;
  }
  std::vector<std::string> keys;
  for (const auto& [key, item] : value.items()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  Json sorted = Json::object();
  for (const auto& key : keys) {
    sorted[key] = normalised(value[key]);
  }
  return sorted;
}

int64_t now_ms()
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

ResultCache::ResultCache(std::unique_ptr<SharedCache> cache, ResultCacheOptions options)
  : m_cache(std::move(cache)), m_options(std::move(options)), m_database_tag(short_hash(m_options.database, 8)),
    m_answer_tag(short_hash(m_options.answer_options, 8))
{
}

std::vector<std::string> ResultCache::generation_keys(const std::vector<std::string>& tables) const
{
  std::vector<std::string> keys;
  keys.reserve(tables.size());
  for (const auto& table : tables) {
    keys.push_back(fmt::format("dbmcp:{}:gen:{}", m_database_tag, table));
  }
  return keys;
}

bool ResultCache::usable()
{
  const std::lock_guard lock(m_mutex);
  if (!m_down) {
    return true;
  }
  if (std::chrono::steady_clock::now() < m_retry_at) {
    return false;
  }
  try {
    if (!m_pending.empty()) {
      m_cache->bump(generation_keys({m_pending.begin(), m_pending.end()}));
      m_pending.clear();
    }
    // A cache that has nothing pending proves itself with a read.
    m_cache->counters(generation_keys({""}));
  } catch (const CacheUnavailable& e) {
    m_retry_at = std::chrono::steady_clock::now() + m_options.retry_after;
    return false;
  }
  m_down = false;
  log::write(LogLevel::warning, fmt::format("result cache {} is back; caching resumes", m_cache->describe()));
  return true;
}

void ResultCache::failed(const CacheUnavailable& error)
{
  const std::lock_guard lock(m_mutex);
  if (!m_down) {
    log::write(LogLevel::warning,
               fmt::format("result cache {} unavailable ({}); reads go to the database, the cache is tried again "
                           "every {} s",
                           m_cache->describe(), error.what(), m_options.retry_after.count() / 1000.0));
  }
  m_down = true;
  m_retry_at = std::chrono::steady_clock::now() + m_options.retry_after;
}

Json ResultCache::read(const std::string& tool, const Json& arguments, const std::vector<std::string>& tables,
                       const std::function<Json()>& run)
{
  if (!usable()) {
    ++m_misses;
    return run();
  }
  std::string key;
  try {
    // The generations are read before the database: a write that lands in between bumps them,
    // so what is stored below is filed under generations nobody asks for any more.
    const auto generations = m_cache->counters(generation_keys(tables));
    const Json material = Json::array({tool, normalised(arguments), tables, generations});
    key = fmt::format("dbmcp:{}:{}:r:{}", m_database_tag, m_answer_tag, short_hash(material.dump(), 20));
    if (const auto stored = m_cache->get(key)) {
      Json entry = Json::parse(*stored, nullptr, false);
      if (entry.is_object() && entry.contains("result") && entry["result"].is_object() && entry.contains("at") &&
          entry["at"].is_number_integer()) {
        ++m_hits;
        Json result = std::move(entry["result"]);
        result["cached"] = true;
        result["cache_age_ms"] = std::max<int64_t>(0, now_ms() - entry["at"].get<int64_t>());
        return result;
      }
    }
  } catch (const CacheUnavailable& e) {
    failed(e);
    ++m_misses;
    return run();
  }
  ++m_misses;
  Json result = run();
  try {
    const std::string value = Json{{"at", now_ms()}, {"result", result}}.dump(-1, ' ', false,
                                                                              Json::error_handler_t::replace);
    m_cache->set(key, value, m_options.ttl);
    m_bytes_written += static_cast<int64_t>(key.size() + value.size());
  } catch (const CacheUnavailable& e) {
    failed(e);
  }
  return result;
}

void ResultCache::bump(const std::vector<std::string>& tables)
{
  m_invalidations += static_cast<int64_t>(tables.size());
  if (usable()) {
    try {
      m_cache->bump(generation_keys(tables));
      return;
    } catch (const CacheUnavailable& e) {
      failed(e);
    }
  }
  const std::lock_guard lock(m_mutex);
  m_pending.insert(tables.begin(), tables.end());
}

Json ResultCache::write(const std::vector<std::string>& tables, const std::function<Json()>& run)
{
  Json result;
  try {
    result = run();
  } catch (...) {
    bump(tables);
    throw;
  }
  bump(tables);
  return result;
}

void ResultCache::probe()
{
  if (!usable()) {
    return;
  }
  try {
    m_cache->counters(generation_keys({""}));
  } catch (const CacheUnavailable& e) {
    failed(e);
  }
}

Json ResultCache::stats() const
{
  const int64_t hits = m_hits;
  const int64_t misses = m_misses;
  Json stats{{"backend", m_cache->describe()}, {"ttl_seconds", m_options.ttl.count()}};
  {
    const std::lock_guard lock(m_mutex);
    stats["state"] = m_down ? "down" : "up";
  }
  stats["hits"] = hits;
  stats["misses"] = misses;
  stats["hit_ratio"] = hits + misses == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(hits + misses);
  stats["bypassed"] = m_bypassed.load();
  stats["invalidations"] = m_invalidations.load();
  stats["bytes_written"] = m_bytes_written.load();
  if (const auto* memory = dynamic_cast<const MemoryCache*>(m_cache.get())) {
    stats["bytes"] = memory->bytes();
    stats["entries"] = memory->entries();
  }
  return stats;
}

} // namespace dbmcp::cache
