// The generic connection pool of the relational engines (backends/sql/connection_pool.hpp), over
// an in-process connection type whose "server" can be restarted: the pool's own logic (bounds,
// waiting, validation, replacement, counters) under threads. The engines' uses of it run against
// real servers in unit_postgres (test_postgres_pool.cpp), unit_mysql and unit_sqlite.
#include "backends/sql/connection_pool.hpp"
#include "store/errors.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::backends::sql;
using namespace std::chrono_literals;

namespace {

// A stand-in server: connections opened before a restart() are dead after it.
struct FakeServer
{
  std::atomic<int> epoch{0};
  std::atomic<int> opened{0};
  std::atomic<bool> down{false};
  std::atomic<int> validations{0};
};

struct FakeConnection
{
  int id = 0;
  int epoch = 0;
  bool closed = false; // set by a test to play a connection the driver knows is gone
};

PoolHooks<FakeConnection> hooks(FakeServer& server)
{
  return {[&server] {
            if (server.down) {
              throw store::unavailable("cannot connect: the server is down");
            }
            return std::make_unique<FakeConnection>(FakeConnection{++server.opened, server.epoch.load(), false});
          },
          [](FakeConnection& connection) { return !connection.closed; },
          [&server](FakeConnection& connection) {
            ++server.validations;
            return connection.epoch == server.epoch;
          }};
}

PoolSettings settings(int min_size, int max_size, std::chrono::milliseconds timeout = 2000ms)
{
  PoolSettings result;
  result.min_size = min_size;
  result.max_size = max_size;
  result.acquire_timeout = timeout;
  result.validate_after_idle = 1h; // validated only when suspect, unless a test says otherwise
  return result;
}

// Polls `condition` for up to 5 s.
template <class Condition>
bool eventually(Condition condition)
{
  for (int i = 0; i < 500; ++i) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

} // namespace

TEST_SUITE("backends::sql::ConnectionPool")
{
  TEST_CASE("ConnectionPool: opens min connections at start, grows up to max, reuses last in first out")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(2, 4), hooks(server));
    CHECK(server.opened == 2);
    CHECK(pool.stats().size == 2);
    CHECK(pool.stats().idle == 2);
    {
      std::vector<ConnectionPool<FakeConnection>::Lease> leases;
      for (int i = 0; i < 4; ++i) {
        leases.push_back(pool.acquire());
      }
      CHECK(pool.stats().size == 4);
      CHECK(pool.stats().in_use == 4);
      CHECK(leases[0].fresh() == false);
      CHECK(leases[3].fresh() == true);
    }
    CHECK(pool.stats().idle == 4);
    int id = 0;
    {
      auto lease = pool.acquire();
      id = lease->id;
    }
    auto again = pool.acquire();
    CHECK(again->id == id);
    CHECK(pool.stats().created == 4);
    const Json json = pool.stats().to_json();
    for (const char* key : {"size", "idle", "in_use", "min", "max", "waits", "timeouts", "created", "replaced"}) {
      CHECK(json.contains(key));
    }
  }

  TEST_CASE("ConnectionPool: min above max opens max; at least one connection opens at start")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> big(settings(5, 2), hooks(server));
    CHECK(big.stats().size == 2);
    FakeServer other;
    ConnectionPool<FakeConnection> none(settings(0, 2), hooks(other));
    CHECK(none.stats().size == 1);
  }

  TEST_CASE("ConnectionPool: a failed open at construction is thrown as the hook threw it")
  {
    FakeServer server;
    server.down = true;
    CHECK_THROWS_WITH_AS(ConnectionPool<FakeConnection>(settings(1, 2), hooks(server)),
                         "cannot connect: the server is down", store::StoreError);
  }

  TEST_CASE("ConnectionPool: acquire gives up with unavailable naming the pool size and the timeout")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 2, 300ms), hooks(server));
    auto first = pool.acquire();
    auto second = pool.acquire();
    const auto start = std::chrono::steady_clock::now();
    try {
      auto third = pool.acquire();
      FAIL("acquire should have timed out");
    } catch (const store::StoreError& e) {
      CHECK(e.code() == store::ErrorCode::unavailable);
      CHECK(std::string(e.what()) == "no database connection free within 300ms (pool max 2)");
    }
    CHECK(std::chrono::steady_clock::now() - start >= 300ms);
    CHECK(pool.stats().timeouts == 1);
    CHECK(pool.stats().waits == 1);
  }

  TEST_CASE("ConnectionPool: the timeout message names what the pool holds and reads in seconds")
  {
    FakeServer server;
    PoolSettings writer = settings(1, 1, 1000ms);
    writer.what = "SQLite writer connection";
    ConnectionPool<FakeConnection> pool(writer, hooks(server));
    auto only = pool.acquire();
    CHECK_THROWS_WITH_AS(pool.acquire(), "no SQLite writer connection free within 1s (pool max 1)",
                         store::StoreError);
  }

  TEST_CASE("ConnectionPool: a waiter gets the connection another thread returns")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 1, 5000ms), hooks(server));
    std::optional<ConnectionPool<FakeConnection>::Lease> held(pool.acquire());
    const int id = (*held)->id;
    std::thread releaser([&] {
      eventually([&] { return pool.stats().waits > 0; });
      held.reset();
    });
    auto lease = pool.acquire();
    releaser.join();
    CHECK(lease->id == id);
    CHECK(pool.stats().waits == 1);
    CHECK(pool.stats().size == 1);
  }

  TEST_CASE("ConnectionPool: a waiter gets a place freed by a broken connection")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 1, 5000ms), hooks(server));
    std::optional<ConnectionPool<FakeConnection>::Lease> held(pool.acquire());
    std::thread breaker([&] {
      eventually([&] { return pool.stats().waits > 0; });
      held->broken();
      held.reset();
    });
    auto lease = pool.acquire();
    breaker.join();
    CHECK(lease.fresh());
    CHECK(lease->id == 2);
    CHECK(pool.stats().replaced == 1);
  }

  TEST_CASE("ConnectionPool: a connection marked broken, or found closed, is closed and replaced")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 2), hooks(server));
    {
      auto lease = pool.acquire();
      lease.broken();
    }
    CHECK(pool.stats().size == 0);
    CHECK(pool.stats().replaced == 1);
    {
      auto lease = pool.acquire();
      CHECK(lease.fresh());
      lease->closed = true; // the driver saw it go
    }
    CHECK(pool.stats().size == 0);
    CHECK(pool.stats().replaced == 2);
  }

  TEST_CASE("ConnectionPool: a suspect connection failing validation is replaced before reuse")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 2), hooks(server));
    {
      auto lease = pool.acquire();
      lease.suspect(); // as after a failed statement
    }
    ++server.epoch; // the server dropped it meanwhile
    auto lease = pool.acquire();
    CHECK(server.validations == 1);
    CHECK(lease.fresh());
    CHECK(lease->epoch == server.epoch);
    CHECK(pool.stats().replaced == 1);
    CHECK(pool.stats().size == 1);
  }

  TEST_CASE("ConnectionPool: a suspect connection passing validation is reused and trusted again")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 2), hooks(server));
    {
      auto lease = pool.acquire();
      lease.suspect();
    }
    {
      auto lease = pool.acquire();
      CHECK_FALSE(lease.fresh());
    }
    auto lease = pool.acquire();
    CHECK(server.validations == 1);
    CHECK(pool.stats().validations == 1);
  }

  TEST_CASE("ConnectionPool: a connection idle for longer than validate_after_idle is validated")
  {
    FakeServer server;
    PoolSettings idle = settings(1, 1);
    idle.validate_after_idle = 20ms;
    ConnectionPool<FakeConnection> pool(idle, hooks(server));
    {
      auto lease = pool.acquire(); // just opened: not validated
    }
    CHECK(server.validations == 0);
    std::this_thread::sleep_for(50ms);
    ++server.epoch; // restarted while the connection sat idle
    auto lease = pool.acquire();
    CHECK(server.validations == 1);
    CHECK(lease.fresh());
    CHECK(lease->epoch == server.epoch);
  }

  TEST_CASE("ConnectionPool: after a server restart only the call in flight meets a dead connection")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(3, 3), hooks(server));
    {
      // Three idle connections, all opened before the restart.
      std::vector<ConnectionPool<FakeConnection>::Lease> leases;
      for (int i = 0; i < 3; ++i) {
        leases.push_back(pool.acquire());
      }
    }
    ++server.epoch;
    {
      auto in_flight = pool.acquire();
      CHECK(in_flight->epoch != server.epoch); // this call fails on it ...
      in_flight.broken();                      // ... and the engine marks it broken
    }
    // Every later acquisition gets a live connection: the idle ones are validated first.
    std::vector<ConnectionPool<FakeConnection>::Lease> leases;
    for (int i = 0; i < 3; ++i) {
      leases.push_back(pool.acquire());
      CHECK(leases.back()->epoch == server.epoch);
    }
    CHECK(pool.stats().replaced == 3);
    CHECK(pool.stats().size == 3);
  }

  TEST_CASE("ConnectionPool: a connection that cannot be opened frees its place")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(1, 2, 200ms), hooks(server));
    auto held = pool.acquire();
    server.down = true;
    CHECK_THROWS_WITH_AS(pool.acquire(), "cannot connect: the server is down", store::StoreError);
    CHECK(pool.stats().size == 1);
    server.down = false;
    auto second = pool.acquire();
    CHECK(second.fresh());
    CHECK(pool.stats().size == 2);
  }

  TEST_CASE("ConnectionPool: a closed pool refuses new leases and closes those coming back")
  {
    FakeServer server;
    ConnectionPool<FakeConnection> pool(settings(2, 2), hooks(server));
    std::optional<ConnectionPool<FakeConnection>::Lease> out(pool.acquire());
    pool.close();
    CHECK(pool.stats().size == 1);
    CHECK_THROWS_AS(pool.acquire(), store::StoreError);
    out.reset();
    CHECK(pool.stats().size == 0);
  }

  TEST_CASE("ConnectionPool: many threads share a small pool without exceeding it, through failures")
  {
    FakeServer server;
    PoolSettings shared = settings(1, 3, 10000ms);
    shared.validate_after_idle = 1ms;
    ConnectionPool<FakeConnection> pool(shared, hooks(server));
    std::atomic<int> failures{0};
    std::atomic<int> in_use{0};
    std::atomic<int> most{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          try {
            auto lease = pool.acquire();
            const int now = ++in_use;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            if ((i + t) % 17 == 0) {
              lease.broken();
            } else if ((i + t) % 5 == 0) {
              lease.suspect();
            }
            if (t == 0 && i % 50 == 0) {
              ++server.epoch; // a restart now and then
            }
            --in_use;
          } catch (const std::exception&) {
            ++failures;
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(failures == 0);
    CHECK(most <= 3);
    const PoolStats stats = pool.stats();
    CHECK(stats.size <= 3);
    CHECK(stats.in_use == 0);
    CHECK(stats.created == stats.replaced + stats.size);
  }
}
