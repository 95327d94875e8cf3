#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace dbmcp::backends::sqlite {

// The statements prepared on one connection, keyed by their SQL text, the least recently used
// finalised beyond `capacity`. Emptied whenever `schema_generation` has moved since the last use
// (the store bumps it on every schema refresh). Not thread-safe: it belongs to one connection,
// used by one thread at a time under the pool's lease.
class StatementCache
{
public:
  StatementCache(size_t capacity, const std::atomic<uint64_t>& schema_generation)
    : m_capacity(capacity), m_generation(schema_generation), m_seen(schema_generation.load())
  {
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // A statement borrowed from the cache; reset and its bindings cleared when the borrow ends, so
  // that it holds no lock and no bound value between calls.
  class Borrowed
  {
  public:
    Borrowed(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> owned)
      : m_statement(statement), m_in_use(in_use), m_owned(std::move(owned))
    {
    }
    Borrowed(Borrowed&& other) noexcept
      : m_statement(std::exchange(other.m_statement, nullptr)),
        m_in_use(std::exchange(other.m_in_use, nullptr)),
        m_owned(std::move(other.m_owned))
    {
    }
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    Borrowed& operator=(Borrowed&&) = delete;
    ~Borrowed();

    SQLite::Statement& operator*() const { return *m_statement; }
    SQLite::Statement* operator->() const { return m_statement; }

  private:
    SQLite::Statement* m_statement;
    bool* m_in_use; // null for a statement prepared outside the cache (m_owned)
    std::unique_ptr<SQLite::Statement> m_owned;
  };

  // The statement for `sql` on `db`, prepared on first use. A statement already borrowed (a nested
  // use of the same text) comes back as a fresh one that is finalised after use. Throws
  // SQLite::Exception when `sql` does not prepare.
  Borrowed borrow(SQLite::Database& db, const std::string& sql);

  // Finalises every statement not borrowed at the moment.
  void clear();
  size_t size() const { return m_entries.size(); }

private:
  struct Entry
  {
    std::string sql;
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };

  const size_t m_capacity;
  const std::atomic<uint64_t>& m_generation;
  uint64_t m_seen;
  std::list<Entry> m_entries; // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> m_index; // keys view Entry::sql
};

} // namespace dbmcp::backends::sqlite
