#pragma once

#include "store/errors.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

// The one connection pool of the relational engines (SQLite, PostgreSQL, MySQL/MariaDB), generic
// over the engine's connection type. The engine says how a connection opens and how it is checked
// (PoolHooks); the pool owns the bounds, the waiting, the replacement of broken connections and
// the counters.
namespace dbmcp::backends::sql {

struct PoolSettings
{
  // What the pool hands out, for messages: "no database connection free within 5s (pool max 10)".
  std::string what = "database connection";
  int min_size = 1; // opened at construction (at least one) and kept open
  int max_size = 10; // never more connections than this, in use and idle together
  std::chrono::milliseconds acquire_timeout{5000};
  // A connection idle for longer than this is validated (PoolHooks::validate) before reuse.
  std::chrono::milliseconds validate_after_idle{5000};
};

// Counters for diagnostics. `size` counts open connections, idle and in use.
struct PoolStats
{
  int size = 0;
  int idle = 0;
  int in_use = 0;
  int min_size = 0;
  int max_size = 0;
  int64_t waits = 0; // acquisitions that had to wait for a connection to come back
  int64_t timeouts = 0; // acquisitions that gave up after the acquire timeout
  int64_t created = 0; // connections opened since start
  int64_t replaced = 0; // broken connections closed (their place freed for a new one)
  int64_t validations = 0; // round trips made to check a connection before reuse

  // {"size", "idle", "in_use", "min", "max", "waits", "timeouts", "created", "replaced", "validations"}
  Json to_json() const;
};

// "5s", "1.5s", "250ms".
std::string describe_duration(std::chrono::milliseconds duration);

// The unavailable error of an acquisition that waited `timeout` in vain.
store::StoreError pool_exhausted(const PoolSettings& settings);

template <class Connection>
struct PoolHooks
{
  // Opens a connection. Throws StoreError (unavailable, saying why) when it cannot.
  std::function<std::unique_ptr<Connection>()> open;
  // Without a round trip: false when the connection is known to be unusable (closed, marked
  // broken by its driver). Null: always usable.
  std::function<bool(Connection&)> alive;
  // A round trip (SELECT 1, ping), made before reusing a connection that is suspect or was idle
  // longer than PoolSettings::validate_after_idle; false drops it. Null: never validated.
  std::function<bool(Connection&)> validate;
};

// A bounded pool of connections shared by the worker threads of one store. Connections open
// lazily up to `max_size` (the first `min_size` at construction, so that a wrong URL or an
// unreachable server is reported at once), are reused last-in first-out, validated before reuse
// when suspect or idle for long, and replaced when broken: after a server restart the first call
// finds its connection dead, the engine retries it once on a fresh one, and the idle connections
// are validated before their next use. Thread-safe; the hooks run outside the pool's lock.
template <class Connection>
class ConnectionPool
{
  struct Slot
  {
    std::unique_ptr<Connection> connection;
    bool suspect = false;
    std::chrono::steady_clock::time_point idle_since = std::chrono::steady_clock::now();
  };

public:
  // A connection on loan. Returns itself to the pool when destroyed; a connection marked
  // broken() (or no longer alive) is closed instead and its place freed. Move-only.
  class Lease
  {
  public:
    Lease(Lease&& other) noexcept
      : m_pool(std::exchange(other.m_pool, nullptr)),
        m_slot(std::move(other.m_slot)),
        m_fresh(other.m_fresh),
        m_broken(other.m_broken),
        m_suspect(other.m_suspect)
    {
    }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease()
    {
      if (m_pool && m_slot) {
        m_pool->give_back(std::move(m_slot), m_broken, m_suspect);
      }
    }

    Connection& connection() const { return *m_slot->connection; }
    Connection* operator->() const { return m_slot->connection.get(); }
    // The connection is closed rather than reused, and the idle ones are validated before
    // their next use (a server restart breaks them all).
    void broken() noexcept { m_broken = true; }
    // The connection is validated before its next reuse.
    void suspect() noexcept { m_suspect = true; }
    // True when the connection was opened for this lease (rather than reused).
    bool fresh() const noexcept { return m_fresh; }

  private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Slot> slot, bool fresh)
      : m_pool(pool), m_slot(std::move(slot)), m_fresh(fresh)
    {
    }

    ConnectionPool* m_pool;
    std::unique_ptr<Slot> m_slot;
    bool m_fresh;
    bool m_broken = false;
    bool m_suspect = false;
  };

  // Opens max(1, min(min_size, max_size)) connections. Throws what hooks.open throws.
  ConnectionPool(PoolSettings settings, PoolHooks<Connection> hooks)
    : m_settings(std::move(settings)), m_hooks(std::move(hooks))
  {
    const int initial = std::max(1, std::min(m_settings.min_size, m_settings.max_size));
    for (int i = 0; i < initial; ++i) {
      m_idle.push_back(open_slot());
      ++m_size;
    }
  }
  // Closes every idle connection. Leases must have been returned.
  ~ConnectionPool() { close(); }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection: an idle one that passed its checks, a new one while below `max_size`, or the
  // first returned within `acquire_timeout`. Throws StoreError unavailable "no database
  // connection free within 5s (pool max 10)" on timeout, or what hooks.open throws.
  Lease acquire()
  {
    const auto deadline = std::chrono::steady_clock::now() + m_settings.acquire_timeout;
    std::unique_lock lock(m_mutex);
    bool waited = false;
    for (;;) {
      if (m_closed) {
        throw store::unavailable(fmt::format("the {} pool is closed", m_settings.what));
      }
      if (!m_idle.empty()) {
        auto slot = std::move(m_idle.back());
        m_idle.pop_back();
        lock.unlock();
        if (usable(*slot)) {
          return Lease(this, std::move(slot), false);
        }
        slot.reset(); // closed outside the lock; its place is taken by a new connection below
        lock.lock();
        ++m_replaced;
        return open_in_place(lock);
      }
      if (m_size < m_settings.max_size) {
        ++m_size;
        return open_in_place(lock);
      }
      if (!waited) {
        waited = true;
        ++m_waits;
      }
      if (m_returned.wait_until(lock, deadline) == std::cv_status::timeout && m_idle.empty()
          && m_size >= m_settings.max_size && !m_closed) {
        ++m_timeouts;
        throw pool_exhausted(m_settings);
      }
    }
  }

  // Closes every idle connection; leases still out are closed as they come back. Further
  // acquire() calls throw unavailable.
  void close()
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

  PoolStats stats() const
  {
    std::lock_guard lock(m_mutex);
    PoolStats stats;
    stats.size = m_size;
    stats.idle = static_cast<int>(m_idle.size());
    stats.in_use = m_size - stats.idle;
    stats.min_size = m_settings.min_size;
    stats.max_size = m_settings.max_size;
    stats.waits = m_waits;
    stats.timeouts = m_timeouts;
    stats.created = m_created;
    stats.replaced = m_replaced;
    stats.validations = m_validations;
    return stats;
  }

  const PoolSettings& settings() const { return m_settings; }

private:
  // Called with `lock` held and a place (m_size) reserved for the new connection; opens it
  // outside the lock and gives the place back when opening fails.
  Lease open_in_place(std::unique_lock<std::mutex>& lock)
  {
    lock.unlock();
    try {
      return Lease(this, open_slot(), true);
    } catch (...) {
      lock.lock();
      --m_size;
      m_returned.notify_one();
      throw;
    }
  }

  std::unique_ptr<Slot> open_slot()
  {
    auto slot = std::make_unique<Slot>();
    slot->connection = m_hooks.open();
    std::lock_guard lock(m_mutex);
    ++m_created;
    return slot;
  }

  // True when `slot` may be reused: alive, and answering validate() when it is suspect or was
  // idle for long. Runs outside the lock.
  bool usable(Slot& slot)
  {
    if (!slot.connection || (m_hooks.alive && !m_hooks.alive(*slot.connection))) {
      return false;
    }
    const bool stale = std::chrono::steady_clock::now() - slot.idle_since > m_settings.validate_after_idle;
    if (!m_hooks.validate || (!slot.suspect && !stale)) {
      return true;
    }
    {
      std::lock_guard lock(m_mutex);
      ++m_validations;
    }
    if (!m_hooks.validate(*slot.connection)) {
      log::write(LogLevel::info, fmt::format("dropping a {} that failed its check", m_settings.what));
      return false;
    }
    slot.suspect = false;
    return true;
  }

  void give_back(std::unique_ptr<Slot> slot, bool broken, bool suspect) noexcept
  {
    const bool reusable = !broken && slot->connection && (!m_hooks.alive || m_hooks.alive(*slot->connection));
    slot->suspect = slot->suspect || suspect;
    slot->idle_since = std::chrono::steady_clock::now();
    std::unique_lock lock(m_mutex);
    if (reusable && !m_closed) {
      m_idle.push_back(std::move(slot));
    } else {
      --m_size;
      if (!m_closed) {
        ++m_replaced; // the next acquire() opens its replacement
      }
      // A connection that broke is often not alone (a server restart kills them all).
      for (auto& idle : m_idle) {
        idle->suspect = true;
      }
      lock.unlock();
      slot.reset(); // closes outside the lock
      lock.lock();
    }
    m_returned.notify_one();
  }

  const PoolSettings m_settings;
  const PoolHooks<Connection> m_hooks;
  mutable std::mutex m_mutex;
  std::condition_variable m_returned;
  std::deque<std::unique_ptr<Slot>> m_idle;
  int m_size = 0; // open or being opened, idle and in use
  bool m_closed = false;
  int64_t m_waits = 0;
  int64_t m_timeouts = 0;
  int64_t m_created = 0;
  int64_t m_replaced = 0;
  int64_t m_validations = 0;
};

} // namespace dbmcp::backends::sql
