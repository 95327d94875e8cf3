#include "backends/sqlite/sqlite_statement_cache.hpp"

#include <SQLiteCpp/Exception.h>

namespace dbmcp::backends::sqlite {

StatementCache::Borrowed::~Borrowed()
{
  if (!m_statement) {
    return;
  }
  m_statement->tryReset();
  try {
    m_statement->clearBindings();
  } catch (const SQLite::Exception&) {
    // sqlite3_clear_bindings cannot fail; nothing to undo
  }
  if (m_in_use) {
    *m_in_use = false;
  }
}

StatementCache::Borrowed StatementCache::borrow(SQLite::Database& db, const std::string& sql)
{
  if (const uint64_t now = m_generation.load(); now != m_seen) {
    clear();
    m_seen = now;
  }
  if (auto found = m_index.find(sql); found != m_index.end()) {
    auto entry = found->second;
    if (entry->in_use) {
      auto owned = std::make_unique<SQLite::Statement>(db, sql);
      SQLite::Statement* raw = owned.get();
      return Borrowed(raw, nullptr, std::move(owned));
    }
    m_entries.splice(m_entries.begin(), m_entries, entry);
    entry->in_use = true;
    return Borrowed(entry->statement.get(), &entry->in_use, nullptr);
  }
  auto statement = std::make_unique<SQLite::Statement>(db, sql);
  // Evict the least recently used statements that are not borrowed.
  for (auto it = m_entries.end(); m_entries.size() >= m_capacity && it != m_entries.begin();) {
    --it;
    if (!it->in_use) {
      m_index.erase(it->sql);
      it = m_entries.erase(it);
    }
  }
  m_entries.push_front(Entry{sql, std::move(statement), true});
  m_index.emplace(m_entries.front().sql, m_entries.begin());
  return Borrowed(m_entries.front().statement.get(), &m_entries.front().in_use, nullptr);
}

void StatementCache::clear()
{
  for (auto it = m_entries.begin(); it != m_entries.end();) {
    if (it->in_use) {
      ++it; // borrowed by an outer use on this connection: kept (SQLite re-prepares it if needed)
    } else {
      m_index.erase(it->sql);
      it = m_entries.erase(it);
    }
  }
}

} // namespace dbmcp::backends::sqlite
