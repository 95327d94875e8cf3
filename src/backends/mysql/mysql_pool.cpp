#include "backends/mysql/mysql_pool.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

namespace dbmcp::backends::mysql {
namespace {

constexpr auto k_validate_after = std::chrono::seconds(5);

} // namespace

std::string unreachable(const ConnectParams& params, const MysqlError& error)
{
  return fmt::format("cannot connect to the MySQL server at {}:{} (database {}): {}", params.host, params.port,
                     params.database, error.what());
}

Pool::Pool(ConnectParams params, int min, int max, std::chrono::milliseconds wait)
  : m_params(std::move(params)), m_max(max), m_wait(wait)
{
  (void)min; // connections open on demand; the first one opens with the catalog
}

Pool::Lease::~Lease()
{
  if (m_connection) {
    m_pool->give_back(std::move(m_connection));
  }
}

Pool::Lease Pool::acquire()
{
  std::unique_lock lock(m_mutex);
  for (;;) {
    while (!m_idle.empty()) {
      auto connection = std::move(m_idle.back());
      m_idle.pop_back();
      const bool stale = std::chrono::steady_clock::now() - connection->last_used() > k_validate_after;
      if (!stale || connection->ping()) {
        return Lease(*this, std::move(connection));
      }
      --m_open; // broken while idle (server restarted): replaced below
      ++m_replaced;
    }
    if (m_open < m_max) {
      ++m_open;
      lock.unlock();
      try {
        return Lease(*this, connect());
      } catch (const MysqlError& error) {
        lock.lock();
        --m_open;
        m_returned.notify_one();
        throw store::unavailable(unreachable(m_params, error));
      }
    }
    if (!m_returned.wait_for(lock, m_wait, [&] { return !m_idle.empty() || m_open < m_max; })) {
      throw store::unavailable(fmt::format("all {} database connections stayed busy for {} ms; retry, or raise "
                                           "--pool-max",
                                           m_max, m_wait.count()));
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection)
{
  std::lock_guard lock(m_mutex);
  if (connection->broken()) {
    --m_open;
    ++m_replaced;
  } else {
    m_idle.push_back(std::move(connection));
  }
  m_returned.notify_one();
}

Json Pool::statistics() const
{
  std::lock_guard lock(m_mutex);
  return Json{{"open", m_open},
              {"in_use", m_open - static_cast<int>(m_idle.size())},
              {"idle", static_cast<int64_t>(m_idle.size())},
              {"max", m_max},
              {"replaced", m_replaced}};
}

} // namespace dbmcp::backends::mysql
