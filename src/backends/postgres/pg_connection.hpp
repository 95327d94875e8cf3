#pragma once

#include "backends/postgres/statement_cache.hpp"
#include "backends/sql/connection_pool.hpp"

#include <pqxx/connection>

#include <atomic>
#include <chrono>
#include <cstdint>
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

using PoolStats = sql::PoolStats;

// One libpq connection and its prepared statements, which live and die with it (a reconnect is
// a new PgConnection, so its statement cache starts empty).
class PgConnection : public pqxx::connection
{
public:
  explicit PgConnection(const std::string& uri) : pqxx::connection(uri) {}
  StatementCache& statements() { return m_statements; }

private:
  StatementCache m_statements; // by SQL text
};

// PostgreSQL's use of the generic pool (backends/sql/connection_pool.hpp): every connection
// carries the session settings of `options` (statement_timeout, read-only transactions,
// application_name) and is checked with SELECT 1 before reuse when suspect or idle for long.
class ConnectionPool : public sql::ConnectionPool<PgConnection>
{
public:
  // Throws StoreError unavailable when the first connection cannot be opened.
  explicit ConnectionPool(PoolOptions options);

  // Called when the catalog is reloaded (the schema may have changed): every connection empties
  // its statement cache at its next lease (StatementCache::sync with schema_generation()).
  void schema_changed() noexcept { ++m_schema_generation; }
  uint64_t schema_generation() const noexcept { return m_schema_generation.load(); }
  const PoolOptions& options() const { return m_options; }

  // The URI libpq receives: `uri` with fallback_application_name=dbmcp and a connect_timeout
  // added when absent.
  static std::string effective_uri(const std::string& uri, std::chrono::milliseconds acquire_timeout);

private:
  const PoolOptions m_options;
  std::atomic<uint64_t> m_schema_generation{0};
};

} // namespace dbmcp::backends::postgres
