// The PostgreSQL connection pool against a real server (scripts/with-postgres.sh).
#include "backends/postgres/pg_connection.hpp"
#include "store/errors.hpp"
#include "test_postgres_support.hpp"

#include <doctest/doctest.h>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <optional>
#include <thread>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::backends::postgres;
using namespace std::chrono_literals;

// libpqxx 6.4 leaks one PGresult when it finds a connection broken (the restart and
// terminated-backend tests do that on purpose); that leak is the library's, not ours.
extern "C" const char* __lsan_default_suppressions()
{
  return "leak:libpqxx-6.4.so\n";
}

namespace {

PoolOptions options(int min_size, int max_size, std::chrono::milliseconds timeout = 2000ms)
{
  PoolOptions result;
  result.uri = test::postgres_url();
  result.min_size = min_size;
  result.max_size = max_size;
  result.acquire_timeout = timeout;
  return result;
}

std::string scalar(ConnectionPool::Lease& lease, const std::string& sql)
{
  pqxx::nontransaction tx(lease.connection());
  return tx.exec(sql)[0][0].c_str();
}

int backend_pid(ConnectionPool::Lease& lease)
{
  return std::stoi(scalar(lease, "SELECT pg_backend_pid()"));
}

} // namespace

TEST_SUITE("backends::postgres::ConnectionPool")
{
  TEST_CASE("ConnectionPool: opens min connections at start and grows up to max on demand")
  {
    ConnectionPool pool(options(2, 4));
    CHECK(pool.stats().size == 2);
    CHECK(pool.stats().idle == 2);
    {
      std::vector<ConnectionPool::Lease> leases;
      for (int i = 0; i < 4; ++i) {
        leases.push_back(pool.acquire());
      }
      const PoolStats busy = pool.stats();
      CHECK(busy.size == 4);
      CHECK(busy.in_use == 4);
      CHECK(busy.idle == 0);
      CHECK(busy.created == 4);
    }
    const PoolStats after = pool.stats();
    CHECK(after.idle == 4);
    CHECK(after.in_use == 0);
    const Json json = after.to_json();
    CHECK(json["max"] == 4);
    CHECK(json.contains("waits"));
    CHECK(json.contains("replaced"));
  }

  TEST_CASE("ConnectionPool: a returned connection is reused, last in first out")
  {
    ConnectionPool pool(options(1, 3));
    int pid = 0;
    {
      auto lease = pool.acquire();
      pid = backend_pid(lease);
    }
    auto again = pool.acquire();
    CHECK(backend_pid(again) == pid);
    CHECK_FALSE(again.fresh());
    CHECK(pool.stats().created == 1);
  }

  TEST_CASE("ConnectionPool: connections carry application_name, statement_timeout and read-only")
  {
    PoolOptions settings = options(1, 1);
    settings.statement_timeout = 1500ms;
    settings.read_only = true;
    ConnectionPool pool(settings);
    auto lease = pool.acquire();
    CHECK(scalar(lease, "SELECT current_setting('application_name')") == "dbmcp");
    CHECK(scalar(lease, "SELECT current_setting('statement_timeout')") == "1500ms");
    CHECK(scalar(lease, "SELECT current_setting('default_transaction_read_only')") == "on");
  }

  TEST_CASE("ConnectionPool: an application_name in the URL wins over the default")
  {
    PoolOptions settings = options(1, 1);
    settings.uri += "?application_name=billing";
    ConnectionPool pool(settings);
    auto lease = pool.acquire();
    CHECK(scalar(lease, "SELECT current_setting('application_name')") == "billing");
  }

  TEST_CASE("ConnectionPool: acquire fails with unavailable after the timeout when all are in use")
  {
    ConnectionPool pool(options(1, 2, 300ms));
    auto first = pool.acquire();
    auto second = pool.acquire();
    const auto started = std::chrono::steady_clock::now();
    try {
      auto third = pool.acquire();
      FAIL("acquire should have timed out");
    } catch (const store::StoreError& e) {
      CHECK(e.code() == store::ErrorCode::unavailable);
      CHECK(std::string(e.what()) == "no database connection free within 300ms (pool max 2)");
    }
    CHECK(std::chrono::steady_clock::now() - started >= 290ms);
    CHECK(pool.stats().timeouts == 1);
    CHECK(pool.stats().waits == 1);
  }

  TEST_CASE("ConnectionPool: the timeout message reads in seconds")
  {
    ConnectionPool pool(options(1, 1, 1000ms));
    auto only = pool.acquire();
    CHECK_THROWS_WITH_AS(pool.acquire(), "no database connection free within 1s (pool max 1)", store::StoreError);
  }

  TEST_CASE("ConnectionPool: a waiter gets the connection another thread returns")
  {
    ConnectionPool pool(options(1, 1, 5000ms));
    std::optional<ConnectionPool::Lease> held(pool.acquire());
    std::thread releaser([&] {
      // Return the connection once the main thread is waiting for it.
      test::eventually([&] { return pool.stats().waits > 0; });
      held.reset();
    });
    auto lease = pool.acquire();
    releaser.join();
    CHECK(scalar(lease, "SELECT 1") == "1");
    CHECK(pool.stats().waits == 1);
    CHECK(pool.stats().size == 1);
  }

  TEST_CASE("ConnectionPool: many threads share a small pool without exceeding it")
  {
    ConnectionPool pool(options(1, 3, 10000ms));
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 20; ++i) {
          try {
            auto lease = pool.acquire();
            pqxx::work tx(lease.connection());
            tx.exec("SELECT pg_sleep(0.001)");
            tx.commit();
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
    const PoolStats stats = pool.stats();
    CHECK(stats.size <= 3);
    CHECK(stats.created <= 3);
    CHECK(stats.in_use == 0);
  }

  TEST_CASE("ConnectionPool: a connection marked broken is closed and replaced")
  {
    ConnectionPool pool(options(1, 2));
    int pid = 0;
    {
      auto lease = pool.acquire();
      pid = backend_pid(lease);
      lease.broken();
    }
    CHECK(pool.stats().size == 0);
    auto next = pool.acquire();
    CHECK(backend_pid(next) != pid);
    CHECK(pool.stats().replaced == 1);
  }

  TEST_CASE("ConnectionPool: a connection the server killed is detected before reuse")
  {
    ConnectionPool pool(options(1, 2));
    int pid = 0;
    {
      auto lease = pool.acquire();
      pid = backend_pid(lease);
      lease.suspect(); // as after a failed statement
    }
    test::admin_exec(fmt::format("SELECT pg_terminate_backend({})", pid));
    REQUIRE(test::eventually([&] {
      pqxx::connection admin(test::postgres_url());
      pqxx::nontransaction tx(admin);
      return tx.exec(fmt::format("SELECT 1 FROM pg_stat_activity WHERE pid = {}", pid)).empty();
    }));
    auto lease = pool.acquire(); // the SELECT 1 check fails; a new connection replaces it
    CHECK(backend_pid(lease) != pid);
    CHECK(lease.fresh());
    CHECK(pool.stats().replaced == 1);
  }

  TEST_CASE("ConnectionPool: an unreachable server is reported as unavailable at construction")
  {
    PoolOptions settings = options(1, 1, 1000ms);
    settings.uri = "postgresql://postgres@127.0.0.1:1/nowhere";
    try {
      ConnectionPool pool(settings);
      FAIL("the pool should not open");
    } catch (const store::StoreError& e) {
      CHECK(e.code() == store::ErrorCode::unavailable);
      CHECK(std::string(e.what()).find("cannot connect to PostgreSQL") == 0);
    }
  }

  TEST_CASE("ConnectionPool: a closed pool refuses new leases")
  {
    ConnectionPool pool(options(1, 1));
    pool.close();
    CHECK(pool.stats().size == 0);
    CHECK_THROWS_AS(pool.acquire(), store::StoreError);
  }

  TEST_CASE("ConnectionPool: effective_uri adds defaults without overriding the URL")
  {
    CHECK(ConnectionPool::effective_uri("postgresql://h/db", 5000ms)
          == "postgresql://h/db?fallback_application_name=dbmcp&connect_timeout=5");
    CHECK(ConnectionPool::effective_uri("postgresql://h/db?sslmode=require&connect_timeout=3", 5000ms)
          == "postgresql://h/db?sslmode=require&connect_timeout=3&fallback_application_name=dbmcp");
    CHECK(ConnectionPool::effective_uri("postgres://h/db", 500ms).find("connect_timeout=2") != std::string::npos);
  }
}
