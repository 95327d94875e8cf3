// The per-connection cache of named prepared statements against a real server
// (scripts/with-postgres.sh): a statement is prepared once per connection and reused by SQL text,
// bounded, emptied when the schema generation moves and on a new connection, and prepared again
// when the schema changed under it (a column's type altered between two calls).
#include "backends/postgres/pg_connection.hpp"
#include "backends/postgres/pg_session.hpp"
#include "store/errors.hpp"
#include "test_postgres_support.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dbmcp;
using namespace dbmcp::backends::postgres;
namespace sql = dbmcp::backends::sql;
using namespace std::chrono_literals;

namespace {

PoolOptions one_connection(const std::string& uri)
{
  PoolOptions result;
  result.uri = uri;
  result.min_size = 1;
  result.max_size = 1; // every call on the same connection, so its statements can be counted
  result.acquire_timeout = 5000ms;
  return result;
}

// Runs `work` as one call of `access` through the runner, as the engine does.
void run(TransactionRunner& runner, sql::Access access, const std::function<void(PgSession&)>& work)
{
  CallContext ctx;
  runner.run(ctx, access, sql::ErrorScope{}, work);
}

// The named statements prepared on the (single) connection, counted without preparing one.
int64_t prepared_count(TransactionRunner& runner)
{
  int64_t count = -1;
  run(runner, sql::Access::read, [&](PgSession& session) {
    count = session.exec("SELECT count(*) FROM pg_prepared_statements")[0][0].as<int64_t>();
  });
  return count;
}

// The rows `text` returns with `params`, run through Session::execute in a call of `access`.
std::vector<store::Row> rows_of(TransactionRunner& runner, sql::Access access, const std::string& text,
                                const std::vector<Json>& params)
{
  std::vector<store::Row> rows;
  run(runner, access, [&](PgSession& session) { rows = session.execute(text, params).rows; });
  return rows;
}

} // namespace

TEST_SUITE("backends::postgres::StatementCache")
{
  TEST_CASE("StatementCache: a statement is prepared once per connection and reused by its text")
  {
    ConnectionPool pool(one_connection(test::postgres_url()));
    TransactionRunner runner(pool);
    CHECK(prepared_count(runner) == 0);
    for (int i = 0; i < 3; ++i) {
      const auto rows = rows_of(runner, sql::Access::read, "SELECT $1::int + 1 AS n", {i});
      REQUIRE(rows.size() == 1);
      CHECK(rows[0]["n"] == i + 1);
    }
    CHECK(rows_of(runner, sql::Access::write, "SELECT $1::int + 1 AS n", {41})[0]["n"] == 42);
    CHECK(prepared_count(runner) == 1);
    rows_of(runner, sql::Access::read, "SELECT $1::int + 2 AS n", {0});
    CHECK(prepared_count(runner) == 2);
  }

  TEST_CASE("StatementCache: bounded, the least recently used deallocated first")
  {
    ConnectionPool pool(one_connection(test::postgres_url()));
    TransactionRunner runner(pool);
    const auto keep = "SELECT $1::int AS kept";
    run(runner, sql::Access::read, [&](PgSession& session) {
      for (size_t i = 0; i < StatementCache::k_capacity + 10; ++i) {
        session.execute(keep, {1}); // kept recent: never the one evicted
        session.execute(fmt::format("SELECT $1::int + {} AS n", i), {1});
      }
    });
    CHECK(prepared_count(runner) == static_cast<int64_t>(StatementCache::k_capacity));
    run(runner, sql::Access::read, [&](PgSession& session) {
      const auto found = session.exec("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", {keep});
      CHECK(found[0][0].as<int>() == 1);
    });
  }

  TEST_CASE("StatementCache: emptied at the next lease once the schema generation moves")
  {
    ConnectionPool pool(one_connection(test::postgres_url()));
    TransactionRunner runner(pool);
    rows_of(runner, sql::Access::read, "SELECT $1::int AS n", {1});
    rows_of(runner, sql::Access::read, "SELECT $1::text AS t", {"a"});
    CHECK(prepared_count(runner) == 2);
    pool.schema_changed(); // what the engine does when it reloads the catalog
    CHECK(prepared_count(runner) == 0);
    CHECK(rows_of(runner, sql::Access::read, "SELECT $1::int AS n", {7})[0]["n"] == 7);
    CHECK(prepared_count(runner) == 1);
  }

  TEST_CASE("StatementCache: a column's type altered between two calls re-prepares the statement")
  {
    test::TestSchema db("CREATE TABLE t (id int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10);");
    ConnectionPool pool(one_connection(db.url()));
    TransactionRunner runner(pool);
    const std::string text = "SELECT * FROM t WHERE id = $1";
    CHECK(rows_of(runner, sql::Access::read, text, {1})[0]["b"] == 10);

    SUBCASE("in autocommit (a read)")
    {
      db.exec("ALTER TABLE t ALTER COLUMN b TYPE text");
      CHECK(rows_of(runner, sql::Access::read, text, {1})[0]["b"] == "10");
      db.exec("ALTER TABLE t ALTER COLUMN b TYPE bigint USING b::bigint");
      CHECK(rows_of(runner, sql::Access::read, text, {1})[0]["b"] == 10);
    }
    SUBCASE("as a transaction's first statement (a write): the call runs again")
    {
      db.exec("ALTER TABLE t ALTER COLUMN b TYPE text");
      CHECK(rows_of(runner, sql::Access::write, text, {1})[0]["b"] == "10");
    }
    SUBCASE("after a statement completed in the transaction: an error, nothing run twice")
    {
      db.exec("ALTER TABLE t ALTER COLUMN b TYPE text");
      CHECK_THROWS_AS(run(runner, sql::Access::write,
                          [&](PgSession& session) {
                            session.execute("UPDATE t SET id = id WHERE id = $1", {1});
                            session.execute(text, {1});
                          }),
                      store::StoreError);
      CHECK(rows_of(runner, sql::Access::read, text, {1})[0]["b"] == "10"); // the next call is served
    }
    SUBCASE("a table dropped and created again with the same name")
    {
      db.exec("DROP TABLE t; CREATE TABLE t (id int PRIMARY KEY, b text, c int); INSERT INTO t VALUES (1, 'x', 2);");
      const auto rows = rows_of(runner, sql::Access::read, text, {1});
      CHECK(rows[0]["b"] == "x");
      CHECK(rows[0]["c"] == 2);
    }
    SUBCASE("a table dropped: the error names it")
    {
      db.exec("DROP TABLE t");
      CHECK_THROWS_AS(rows_of(runner, sql::Access::read, text, {1}), store::StoreError);
    }
  }

  TEST_CASE("StatementCache: a connection replaced after a server restart prepares its statements anew")
  {
    ConnectionPool pool(one_connection(test::postgres_url()));
    TransactionRunner runner(pool);
    CHECK(rows_of(runner, sql::Access::read, "SELECT $1::int AS n", {1})[0]["n"] == 1);
    test::restart_server();
    // The cached name belongs to the dead connection: the call is retried on a new one, which
    // prepares the statement itself.
    CHECK(rows_of(runner, sql::Access::read, "SELECT $1::int AS n", {2})[0]["n"] == 2);
    CHECK(prepared_count(runner) == 1);
    test::restart_server();
    CHECK(rows_of(runner, sql::Access::write, "SELECT $1::int AS n", {3})[0]["n"] == 3);
    CHECK(prepared_count(runner) == 1);
  }
}
