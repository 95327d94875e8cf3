#include "backends/postgres/connection_pool.hpp"

#include "store/errors.hpp"
#include "util/log.hpp"

#include <fmt/format.h>
#include <pqxx/except>
#include <pqxx/nontransaction>

#include <algorithm>

namespace dbmcp::backends::postgres {

struct ConnectionPool::Slot
{
  std::unique_ptr<pqxx::connection> connection;
  StatementCache statements; // the connection's prepared statements, by SQL text
  bool suspect = false;
};

namespace {

// "5s", "1.5s", "250ms".
std::string describe_duration(std::chrono::milliseconds duration)
{
  const auto ms = duration.count();
  if (ms % 1000 == 0) {
    return fmt::format("{}s", ms / 1000);
  }
  if (ms > 1000) {
    return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  }
  return fmt::format("{}ms", ms);
}

bool has_parameter(const std::string& uri, std::string_view name)
{
  const auto query = uri.find('?');
  if (query == std::string::npos) {
    return false;
  }
  size_t start = query + 1;
  while (start < uri.size()) {
    const auto end = std::min(uri.find('&', start), uri.size());
    const std::string_view pair(uri.data() + start, end - start);
    if (pair.substr(0, pair.find('=')) == name) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// The first line of a libpq error, without the "FATAL:  " noise.
std::string first_line(std::string text)
{
  text = text.substr(0, text.find('\n'));
  for (const char* prefix : {"FATAL:  ", "ERROR:  "}) {
    if (text.rfind(prefix, 0) == 0) {
      text = text.substr(std::char_traits<char>::length(prefix));
    }
  }
  return text;
}

} // namespace

Json PoolStats::to_json() const
{
  return Json{{"size", size},         {"idle", idle},       {"in_use", in_use},   {"min", min_size},
              {"max", max_size},      {"waits", waits},     {"timeouts", timeouts}, {"created", created},
              {"replaced", replaced}};
}

std::string ConnectionPool::effective_uri(const std::string& uri, std::chrono::milliseconds acquire_timeout)
{
  std::string result = uri;
  const auto append = [&](std::string_view name, const std::string& value) {
    if (!has_parameter(result, name)) {
      result += fmt::format("{}{}={}", result.find('?') == std::string::npos ? '?' : '&', name, value);
    }
  };
  append("fallback_application_name", "dbmcp");
  // libpq waits forever for an unreachable host unless told otherwise.
  const auto seconds = std::max<int64_t>(2, (acquire_timeout.count() + 999) / 1000);
  append("connect_timeout", std::to_string(seconds));
  return result;
}

ConnectionPool::ConnectionPool(PoolOptions options)
  : m_options(std::move(options)), m_uri(effective_uri(m_options.uri, m_options.acquire_timeout))
{
  const int initial = std::max(1, std::min(m_options.min_size, m_options.max_size));
  for (int i = 0; i < initial; ++i) {
    m_idle.push_back(open_connection());
    ++m_size;
  }
}

ConnectionPool::~ConnectionPool()
{
  close();
}

std::unique_ptr<ConnectionPool::Slot> ConnectionPool::open_connection()
{
  auto slot = std::make_unique<Slot>();
  try {
    slot->connection = std::make_unique<pqxx::connection>(m_uri);
    // Session settings through set_variable(), so that libpqxx restores them if it ever
    // reconnects the same object.
    if (m_options.statement_timeout.count() > 0) {
      slot->connection->set_variable("statement_timeout", std::to_string(m_options.statement_timeout.count()));
    }
    if (m_options.read_only) {
      slot->connection->set_variable("default_transaction_read_only", "on");
    }
  } catch (const pqxx::broken_connection& e) {
    throw store::unavailable(fmt::format("cannot connect to PostgreSQL: {}", first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    throw store::unavailable(fmt::format("cannot set up the PostgreSQL connection: {}", first_line(e.what())));
  }
  std::lock_guard lock(m_mutex);
  ++m_created;
  return slot;
}

bool ConnectionPool::usable(Slot& slot) const
{
  if (!slot.connection || !slot.connection->is_open()) {
    return false;
  }
  if (!slot.suspect) {
    return true;
  }
  try {
    pqxx::nontransaction probe(*slot.connection);
    probe.exec("SELECT 1");
    slot.suspect = false;
    return true;
  } catch (const std::exception& e) {
    log::write(LogLevel::info, fmt::format("postgresql: dropping a connection that failed its check: {}",
                                           first_line(e.what())));
    return false;
  }
}

ConnectionPool::Lease ConnectionPool::acquire()
{
  const auto deadline = std::chrono::steady_clock::now() + m_options.acquire_timeout;
  std::unique_lock lock(m_mutex);
  bool waited = false;
  for (;;) {
    if (m_closed) {
      throw store::unavailable("the PostgreSQL connection pool is closed");
    }
    if (!m_idle.empty()) {
      auto slot = std::move(m_idle.back());
      m_idle.pop_back();
      lock.unlock();
      if (usable(*slot)) {
        return Lease(this, std::move(slot), false);
      }
      // Replace the dead connection in place: the pool keeps its size.
      slot.reset();
      try {
        auto fresh = open_connection();
        lock.lock();
        ++m_replaced;
        lock.unlock();
        return Lease(this, std::move(fresh), true);
      } catch (...) {
        lock.lock();
        --m_size;
        m_returned.notify_one();
        throw;
      }
    }
    if (m_size < m_options.max_size) {
      ++m_size;
      lock.unlock();
      try {
        return Lease(this, open_connection(), true);
      } catch (...) {
        lock.lock();
        --m_size;
        m_returned.notify_one();
        throw;
      }
    }
    if (!waited) {
      waited = true;
      ++m_waits;
    }
    if (m_returned.wait_until(lock, deadline) == std::cv_status::timeout && m_idle.empty()
        && m_size >= m_options.max_size) {
      ++m_timeouts;
      throw store::unavailable(fmt::format("no database connection free within {} (pool max {})",
                                           describe_duration(m_options.acquire_timeout), m_options.max_size));
    }
  }
}

void ConnectionPool::give_back(std::unique_ptr<Slot> slot, bool broken, bool suspect) noexcept
{
  const bool reusable = !broken && slot->connection && slot->connection->is_open();
  slot->suspect = slot->suspect || suspect;
  std::unique_lock lock(m_mutex);
  if (reusable && !m_closed) {
    m_idle.push_back(std::move(slot));
  } else {
    --m_size;
    if (!m_closed) {
      ++m_replaced; // the next acquire() opens its replacement
    }
    // A connection that broke is often not alone (a server restart kills them all): check the
    // idle ones with SELECT 1 before their next use.
    for (auto& idle : m_idle) {
      idle->suspect = true;
    }
    lock.unlock();
    slot.reset(); // closes outside the lock
    lock.lock();
  }
  m_returned.notify_one();
}

void ConnectionPool::close()
{
  std::deque<std::unique_ptr<Slot>> idle;
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    idle.swap(m_idle);
    m_size -= static_cast<int>(idle.size());
  }
  m_returned.notify_all();
  idle.clear();
}

PoolStats ConnectionPool::stats() const
{
  std::lock_guard lock(m_mutex);
  PoolStats stats;
  stats.size = m_size;
  stats.idle = static_cast<int>(m_idle.size());
  stats.in_use = m_size - stats.idle;
  stats.min_size = m_options.min_size;
  stats.max_size = m_options.max_size;
  stats.waits = m_waits;
  stats.timeouts = m_timeouts;
  stats.created = m_created;
  stats.replaced = m_replaced;
  return stats;
}

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<Slot> slot, bool fresh)
  : m_pool(pool), m_slot(std::move(slot)), m_fresh(fresh)
{
}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
  : m_pool(std::exchange(other.m_pool, nullptr)),
    m_slot(std::move(other.m_slot)),
    m_fresh(other.m_fresh),
    m_broken(other.m_broken),
    m_suspect(other.m_suspect)
{
}

ConnectionPool::Lease::~Lease()
{
  if (m_pool && m_slot) {
    m_pool->give_back(std::move(m_slot), m_broken, m_suspect);
  }
}

pqxx::connection& ConnectionPool::Lease::connection() const
{
  return *m_slot->connection;
}

StatementCache& ConnectionPool::Lease::statements() const
{
  return m_slot->statements;
}

} // namespace dbmcp::backends::postgres
