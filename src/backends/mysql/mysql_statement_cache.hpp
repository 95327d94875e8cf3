#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

struct st_mysql_stmt;

namespace dbmcp::backends::mysql {

// The server-side prepared statements of one connection, keyed by SQL text, so that a statement
// run again costs one round trip (COM_STMT_EXECUTE) instead of a prepare, an execute and a close.
// Bounded: beyond `capacity` the least recently used is closed. Owned by its Connection, which
// empties it before closing (statements die with their connection); emptied when the engine's
// schema generation moves (the catalog was reloaded), and a statement is dropped when it failed
// (Connection::execute prepares it again). Closing sends COM_STMT_CLOSE, which has no answer: it
// never waits for the server. Not thread-safe: used only by the thread that holds the
// connection's lease.
class StatementCache
{
public:
  static constexpr size_t k_capacity = 64;

  // `capacity` is at least 1.
  explicit StatementCache(size_t capacity = k_capacity) : m_capacity(std::max<size_t>(capacity, 1)) {}
  ~StatementCache() { clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement prepared from `text`, now the most recently used, or null when none is kept.
  st_mysql_stmt* find(const std::string& text);
  // Keeps `statement`, prepared from `text` (not kept yet), closing the least recently used one
  // when the cache is full. The cache owns it from now on.
  void keep(const std::string& text, st_mysql_stmt* statement);
  // Closes the statement kept for `text`, if any.
  void forget(const std::string& text);
  // Closes every statement when `generation` differs from the one the cache was filled under.
  void sync(uint64_t generation);
  // Closes every statement.
  void clear();

  size_t size() const { return m_index.size(); }
  size_t capacity() const { return m_capacity; }

private:
  struct Entry
  {
    std::string text;
    st_mysql_stmt* statement;
  };

  const size_t m_capacity;
  std::list<Entry> m_entries; // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> m_index; // keys view Entry::text
  uint64_t m_generation = 0;
};

} // namespace dbmcp::backends::mysql
