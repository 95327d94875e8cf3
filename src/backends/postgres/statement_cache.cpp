#include "backends/postgres/statement_cache.hpp"

#include "util/log.hpp"

#include <fmt/format.h>
#include <pqxx/except>

namespace dbmcp::backends::postgres {

std::string StatementCache::name_for(pqxx::connection& connection, const std::string& text)
{
  const auto found = m_entries.find(text);
  if (found != m_entries.end()) {
    m_recency.splice(m_recency.begin(), m_recency, found->second.position);
    return found->second.name;
  }
  if (m_entries.size() >= k_capacity) {
    const std::string oldest = m_recency.back();
    const std::string name = m_entries.at(oldest).name;
    m_entries.erase(oldest);
    m_recency.pop_back();
    drop(connection, name);
  }
  std::string name = fmt::format("dbmcp_{}", m_next_name++);
  connection.prepare(name, text);
  m_recency.push_front(text);
  m_entries.emplace(text, Entry{name, m_recency.begin()});
  return name;
}

void StatementCache::forget(const std::string& text)
{
  const auto found = m_entries.find(text);
  if (found == m_entries.end()) {
    return;
  }
  m_forgotten.push_back(found->second.name);
  m_recency.erase(found->second.position);
  m_entries.erase(found);
}

void StatementCache::sync(pqxx::connection& connection, uint64_t generation)
{
  if (generation != m_generation) {
    for (const auto& entry : m_entries) {
      m_forgotten.push_back(entry.second.name);
    }
    m_entries.clear();
    m_recency.clear();
    m_generation = generation;
  }
  while (!m_forgotten.empty()) {
    const std::string name = std::move(m_forgotten.back());
    m_forgotten.pop_back();
    drop(connection, name);
  }
}

void StatementCache::drop(pqxx::connection& connection, const std::string& name)
{
  try {
    connection.unprepare(name);
  } catch (const pqxx::broken_connection&) {
    throw;
  } catch (const pqxx::sql_error& e) {
    // Already gone on the server (DEALLOCATE ALL, a reset session): nothing left to free.
    log::write(LogLevel::debug, fmt::format("postgresql: deallocating {}: {}", name, e.what()));
  }
}

} // namespace dbmcp::backends::postgres
