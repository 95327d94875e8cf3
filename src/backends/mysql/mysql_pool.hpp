#pragma once

#include "backends/mysql/mysql_connection.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace dbmcp::backends::mysql {

// A bounded pool of connections. A connection idle for longer than k_validate_after is pinged
// before it is handed out and replaced when it does not answer; a lease returns its connection
// when it ends, or drops it when it broke.
class Pool
{
public:
  Pool(ConnectParams params, int min, int max, std::chrono::milliseconds wait);

  class Lease
  {
  public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection) : m_pool(&pool), m_connection(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    ~Lease();
    Connection& connection() { return *m_connection; }

  private:
    Pool* m_pool;
    std::unique_ptr<Connection> m_connection;
  };

  // A connection; waits up to the pool timeout when every one is busy, then throws unavailable.
  // Throws unavailable when the server cannot be reached.
  Lease acquire();
  // A fresh connection outside the pool (for KILL QUERY). Throws MysqlError.
  std::unique_ptr<Connection> connect() const { return std::make_unique<Connection>(m_params); }
  Json statistics() const;

private:
  void give_back(std::unique_ptr<Connection> connection);

  const ConnectParams m_params;
  const int m_max;
  const std::chrono::milliseconds m_wait;
  mutable std::mutex m_mutex;
  std::condition_variable m_returned;
  std::vector<std::unique_ptr<Connection>> m_idle;
  int m_open = 0;
  int64_t m_replaced = 0;
};

// The message for a server that cannot be reached, naming host and port but not the password.
std::string unreachable(const ConnectParams& params, const MysqlError& error);

} // namespace dbmcp::backends::mysql
