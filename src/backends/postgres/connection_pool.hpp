#pragma once

#include "backends/postgres/statement_cache.hpp"
#include "util/json.hpp"

#include <pqxx/connection>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace dbmcp::backends::postgres {

struct PoolOptions
{
  std::string uri;       // a libpq URI, passed through (sslmode, sslrootcert, … included)
  int min_size = 1;      // opened at construction and kept open
  int max_size = 10;     // never more connections than this, in use and idle together
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds statement_timeout{0}; // 0: the server's default
  bool read_only = false;                         // every transaction READ ONLY
};

// Counters for diagnostics. `size` counts open connections, idle and in use.
struct PoolStats
{
  int size = 0;
  int idle = 0;
  int in_use = 0;
  int min_size = 0;
  int max_size = 0;
  int64_t waits = 0;    // acquisitions that had to wait for a connection to come back
  int64_t timeouts = 0; // acquisitions that gave up after the acquire timeout
  int64_t created = 0;  // connections opened since start
  int64_t replaced = 0; // broken connections closed and replaced

  Json to_json() const;
};

// A bounded pool of PostgreSQL connections, shared by the worker threads of one store.
// Connections are opened lazily up to `max_size` (the first `min_size` at construction), reused
// last-in first-out, checked before reuse and replaced transparently when broken. Every
// connection carries the pool's session settings (statement_timeout, read-only transactions,
// application_name). Thread-safe.
class ConnectionPool
{
  struct Slot;

public:
  // A connection on loan. Returns itself to the pool when destroyed; a connection marked
  // broken() (or found closed) is closed instead and its place freed. Move-only.
  class Lease
  {
  public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& connection() const;
    pqxx::connection* operator->() const { return &connection(); }
    // The connection's prepared statements; they live and die with the connection.
    StatementCache& statements() const;
    // Marks the connection as broken: it is closed rather than reused, and the idle connections
    // are checked with SELECT 1 before their next use.
    void broken() noexcept { m_broken = true; }
    // Marks the connection as suspect: before its next reuse it is tested with SELECT 1.
    void suspect() noexcept { m_suspect = true; }
    // True when the connection was opened for this lease (rather than reused).
    bool fresh() const noexcept { return m_fresh; }

  private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Slot> slot, bool fresh);

    ConnectionPool* m_pool;
    std::unique_ptr<Slot> m_slot;
    bool m_fresh;
    bool m_broken = false;
    bool m_suspect = false;
  };

  // Opens `options.min_size` connections (at least one, so that a wrong URL or an unreachable
  // server is reported at once). Throws StoreError unavailable when the first cannot be opened.
  explicit ConnectionPool(PoolOptions options);
  // Closes every idle connection. Leases must have been returned.
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection that passed its check: an idle one, a new one while below `max_size`, or the
  // first returned within `acquire_timeout`. Throws StoreError unavailable "no database
  // connection free within 5s (pool max 10)" on timeout, or when a connection cannot be opened.
  Lease acquire();
  // Closes every idle connection and the pool's spare capacity; leases still out are closed as
  // they come back. Further acquire() calls throw unavailable.
  void close();

  PoolStats stats() const;
  // Called when the catalog is reloaded (the schema may have changed): every connection empties
  // its statement cache at its next lease (StatementCache::sync with schema_generation()).
  void schema_changed() noexcept { ++m_schema_generation; }
  uint64_t schema_generation() const noexcept { return m_schema_generation.load(); }
  const PoolOptions& options() const { return m_options; }

  // The URI libpq receives: `uri` with fallback_application_name=dbmcp and a connect_timeout
  // added when absent.
  static std::string effective_uri(const std::string& uri, std::chrono::milliseconds acquire_timeout);

private:
  std::unique_ptr<Slot> open_connection();
  // True when `slot` may be reused: open, and answering SELECT 1 when it is suspect.
  bool usable(Slot& slot) const;
  void give_back(std::unique_ptr<Slot> slot, bool broken, bool suspect) noexcept;

  const PoolOptions m_options;
  const std::string m_uri;
  mutable std::mutex m_mutex;
  std::condition_variable m_returned;
  std::deque<std::unique_ptr<Slot>> m_idle;
  int m_size = 0; // open or being opened, idle and in use
  bool m_closed = false;
  int64_t m_waits = 0;
  int64_t m_timeouts = 0;
  int64_t m_created = 0;
  int64_t m_replaced = 0;
  std::atomic<uint64_t> m_schema_generation{0};
};

} // namespace dbmcp::backends::postgres
