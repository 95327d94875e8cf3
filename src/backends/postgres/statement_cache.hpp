#pragma once

#include <pqxx/connection>

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

namespace dbmcp::backends::postgres {

// The named prepared statements of one connection, keyed by SQL text, so that a statement run
// again is neither parsed nor planned again and costs one round trip. Bounded: beyond
// k_capacity the least recently used is deallocated. Belongs to the connection's pool slot, so a
// replaced connection starts empty; emptied when the pool's schema generation moves (the catalog
// was reloaded) and when a statement failed because the schema changed under it. Not
// thread-safe: used only by the thread that holds the connection's lease.
class StatementCache
{
public:
  static constexpr size_t k_capacity = 64;

  // The name of the prepared statement for `text` on `connection`, defining it when absent
  // (libpqxx sends the PREPARE on its first execution). May deallocate the least recently used
  // statement, a round trip; call it only while the connection's transaction is healthy.
  std::string name_for(pqxx::connection& connection, const std::string& text);

  // Drops the statement for `text` (its plan went stale): the next name_for() defines a new one.
  // Its deallocation waits for sync(), outside any transaction.
  void forget(const std::string& text);

  // At the start of a lease, outside any transaction: empties the cache when `generation` differs
  // from the one it was filled under, and deallocates what was forgotten. Throws libpqxx's
  // broken_connection when the connection is gone.
  void sync(pqxx::connection& connection, uint64_t generation);

  size_t size() const { return m_entries.size(); }

private:
  struct Entry
  {
    std::string name;
    std::list<std::string>::iterator position; // in m_recency
  };

  void drop(pqxx::connection& connection, const std::string& name);

  std::unordered_map<std::string, Entry> m_entries; // by SQL text
  std::list<std::string> m_recency;                 // SQL texts, most recently used first
  std::vector<std::string> m_forgotten;             // names to deallocate at the next sync()
  uint64_t m_generation = 0;
  uint64_t m_next_name = 0;
};

} // namespace dbmcp::backends::postgres
