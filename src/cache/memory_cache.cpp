#include "cache/memory_cache.hpp"

#include <fmt/format.h>

namespace dbmcp::cache {

MemoryCache::MemoryCache(size_t max_bytes, Clock clock)
  : m_max_bytes(max_bytes), m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); }))
{
}

std::string MemoryCache::describe() const
{
  return fmt::format("memory (in this process, at most {} bytes)", m_max_bytes);
}

void MemoryCache::erase(std::unordered_map<std::string, Entry>::iterator entry)
{
  m_bytes -= entry->first.size() + entry->second.value.size();
  m_recency.erase(entry->second.recency);
  m_entries.erase(entry);
}

std::optional<std::string> MemoryCache::get(const std::string& key)
{
  const std::lock_guard lock(m_mutex);
  const auto found = m_entries.find(key);
  if (found == m_entries.end()) {
    return std::nullopt;
  }
  if (m_clock() >= found->second.expires) {
    erase(found);
    return std::nullopt;
  }
  m_recency.splice(m_recency.begin(), m_recency, found->second.recency);
  return found->second.value;
}

void MemoryCache::set(const std::string& key, const std::string& value, std::chrono::seconds ttl)
{
  const std::lock_guard lock(m_mutex);
  if (const auto found = m_entries.find(key); found != m_entries.end()) {
    erase(found);
  }
  const size_t size = key.size() + value.size();
  if (size > m_max_bytes || ttl.count() <= 0) {
    return;
  }
  while (m_bytes + size > m_max_bytes) {
    erase(m_entries.find(m_recency.back()));
  }
  m_recency.push_front(key);
  m_entries.emplace(key, Entry{value, m_clock() + ttl, m_recency.begin()});
  m_bytes += size;
}

std::vector<int64_t> MemoryCache::counters(const std::vector<std::string>& keys)
{
  const std::lock_guard lock(m_mutex);
  std::vector<int64_t> values;
  values.reserve(keys.size());
  for (const auto& key : keys) {
    const auto found = m_counters.find(key);
    values.push_back(found == m_counters.end() ? 0 : found->second);
  }
  return values;
}

void MemoryCache::bump(const std::vector<std::string>& keys)
{
  const std::lock_guard lock(m_mutex);
  for (const auto& key : keys) {
    ++m_counters[key];
  }
}

size_t MemoryCache::bytes() const
{
  const std::lock_guard lock(m_mutex);
  return m_bytes;
}

size_t MemoryCache::entries() const
{
  const std::lock_guard lock(m_mutex);
  return m_entries.size();
}

} // namespace dbmcp::cache
