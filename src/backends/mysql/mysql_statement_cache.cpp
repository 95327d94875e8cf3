#include "backends/mysql/mysql_statement_cache.hpp"

#include <mysql.h>

namespace dbmcp::backends::mysql {

st_mysql_stmt* StatementCache::find(const std::string& text)
{
  const auto found = m_index.find(text);
  if (found == m_index.end()) {
    return nullptr;
  }
  m_entries.splice(m_entries.begin(), m_entries, found->second);
  return found->second->statement;
}

void StatementCache::keep(const std::string& text, st_mysql_stmt* statement)
{
  while (m_index.size() >= m_capacity) {
    Entry& oldest = m_entries.back();
    m_index.erase(oldest.text);
    mysql_stmt_close(oldest.statement);
    m_entries.pop_back();
  }
  m_entries.push_front(Entry{text, statement});
  m_index.emplace(m_entries.front().text, m_entries.begin());
}

void StatementCache::forget(const std::string& text)
{
  const auto found = m_index.find(text);
  if (found == m_index.end()) {
    return;
  }
  const auto entry = found->second;
  m_index.erase(found);
  mysql_stmt_close(entry->statement);
  m_entries.erase(entry);
}

void StatementCache::sync(uint64_t generation)
{
  if (generation != m_generation) {
    clear();
    m_generation = generation;
  }
}

void StatementCache::clear()
{
  m_index.clear();
  for (const Entry& entry : m_entries) {
    mysql_stmt_close(entry.statement);
  }
  m_entries.clear();
}

} // namespace dbmcp::backends::mysql
