// The prepared statements a MySQL/MariaDB connection keeps (scripts/with-mariadb.sh): a statement
// run again is executed without a new prepare, the cache stays bounded, and a table changed by
// another connection (a column added, or one dropped and another added) is read right through a
// cached statement, before any schema refresh.
#include "backends/mysql/mysql_connection.hpp"
#include "backends/mysql/mysql_store.hpp"
#include "backends/mysql/mysql_url.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <unistd.h>

using namespace dbmcp;
using backends::mysql::Connection;
using backends::mysql::StatementCache;

namespace {

// A database of its own, created with `setup` on a connection of its own and dropped afterwards.
class CacheTestDatabase
{
public:
  explicit CacheTestDatabase(const std::string& setup)
    : m_admin(backends::mysql::parse_url(dbmcp::test::mysql_url()))
  {
    static std::atomic<int> counter{0};
    m_name = fmt::format("cache_{}_{}", ::getpid(), counter++);
    m_admin.query(fmt::format("DROP DATABASE IF EXISTS {0}; CREATE DATABASE {0} CHARACTER SET utf8mb4", m_name));
    m_admin.query(fmt::format("USE {}; {}", m_name, setup));
  }
  ~CacheTestDatabase()
  {
    try {
      m_admin.query("DROP DATABASE IF EXISTS " + m_name);
    } catch (...) {
    }
  }
  CacheTestDatabase(const CacheTestDatabase&) = delete;
  CacheTestDatabase& operator=(const CacheTestDatabase&) = delete;

  backends::mysql::ConnectParams params() const
  {
    auto params = backends::mysql::parse_url(dbmcp::test::mysql_url());
    params.database = m_name;
    return params;
  }
  // The connection that made the database, for changes "by another connection".
  Connection& admin() { return m_admin; }

private:
  Connection m_admin;
  std::string m_name;
};

// The session's count of COM_STMT_PREPARE commands, as the server counts them.
int64_t prepares(Connection& connection)
{
  const auto rows = connection.query_rows("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'");
  REQUIRE(rows.size() == 1);
  return std::stoll(rows[0][1].value_or("-1"));
}

} // namespace

TEST_SUITE("mysql: statement cache")
{
  TEST_CASE("MySQL connection: a statement run again is executed without a new prepare")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)); "
                               "INSERT INTO t VALUES (1, 'one'), (2, 'two');");
    Connection connection(database.params());
    const int64_t before = prepares(connection);
    for (int round = 0; round < 5; ++round) {
      const auto rows = connection.execute("SELECT name FROM t WHERE id = ?", {Json(1 + round % 2)}).rows;
      REQUIRE(rows.size() == 1);
      CHECK(rows[0]["name"] == (round % 2 == 0 ? "one" : "two"));
    }
    CHECK(prepares(connection) - before == 1);
    CHECK(connection.cached_statements() == 1);
    // A write through a cached statement reports its own counts each time.
    for (int id = 3; id < 6; ++id) {
      const auto written = connection.execute("INSERT INTO t (id, name) VALUES (?, ?)", {Json(id), Json("n")});
      CHECK(written.affected == 1);
    }
    CHECK(prepares(connection) - before == 2);
    // A failed run closes its statement: the next run prepares it again and works.
    CHECK_THROWS_AS(connection.execute("INSERT INTO t (id, name) VALUES (?, ?)", {Json(3), Json("dup")}),
                    backends::mysql::MysqlError);
    CHECK(connection.execute("INSERT INTO t (id, name) VALUES (?, ?)", {Json(6), Json("n")}).affected == 1);
    CHECK(prepares(connection) - before == 3);
  }

  TEST_CASE("MySQL connection: the cache keeps at most its capacity; the least recently used statement goes")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);");
    Connection connection(database.params());
    const auto open_statements = [&] {
      // The server's own count of this session's prepared statements is not exposed; the global
      // count, measured before and after, is this test's while the mariadb tests run one at a time.
      const auto rows = database.admin().query_rows("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
      return std::stoll(rows.at(0)[1].value_or("-1"));
    };
    const int64_t before = open_statements();
    const size_t total = StatementCache::k_capacity + 16;
    for (size_t i = 0; i < total; ++i) {
      CHECK(connection.execute(fmt::format("SELECT id + {} AS v FROM t", i), {}).rows.at(0)["v"] == 1 + i);
    }
    CHECK(connection.cached_statements() == StatementCache::k_capacity);
    CHECK(open_statements() - before == static_cast<int64_t>(StatementCache::k_capacity));
    // The most recent ones are kept: running the last again prepares nothing.
    const int64_t prepared = prepares(connection);
    connection.execute(fmt::format("SELECT id + {} AS v FROM t", total - 1), {});
    CHECK(prepares(connection) == prepared);
    // The first ones went: running the first again prepares it.
    connection.execute("SELECT id + 0 AS v FROM t", {});
    CHECK(prepares(connection) == prepared + 1);
    CHECK(connection.cached_statements() == StatementCache::k_capacity);
    // A new schema generation empties it.
    connection.sync_statements(1);
    CHECK(connection.cached_statements() == 0);
    connection.query("DO 0"); // the closes have no answer: a round trip after them sees them done
    CHECK(open_statements() == before);
  }

  TEST_CASE("MySQL connection: when the server's max_prepared_stmt_count is reached, kept statements make room")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);");
    Connection connection(database.params());
    Connection& admin = database.admin();
    const auto global = [&](const std::string& query) { return std::stoll(admin.query_rows(query).at(0).back().value_or("-1")); };
    const int64_t limit = global("SELECT @@GLOBAL.max_prepared_stmt_count");
    const int64_t open = global("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
    admin.query(fmt::format("SET GLOBAL max_prepared_stmt_count = {}", open + 3));
    try {
      for (int i = 0; i < 8; ++i) {
        CHECK(connection.execute(fmt::format("SELECT id + {} AS v FROM t", i), {}).rows.at(0)["v"] == 1 + i);
      }
      CHECK(connection.cached_statements() <= 3);
    } catch (...) {
      admin.query(fmt::format("SET GLOBAL max_prepared_stmt_count = {}", limit));
      throw;
    }
    admin.query(fmt::format("SET GLOBAL max_prepared_stmt_count = {}", limit));
  }

  TEST_CASE("MySQL connection: a column added by another connection is read through the cached statement")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO t VALUES (1, 'a');");
    Connection connection(database.params());
    const std::string text = "SELECT * FROM t WHERE id = ?";
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"name", "a"}});
    database.admin().query(fmt::format("ALTER TABLE {}.t ADD COLUMN extra INT NOT NULL DEFAULT 7",
                                       database.params().database));
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"name", "a"}, {"extra", 7}});
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"name", "a"}, {"extra", 7}});
    CHECK(connection.cached_statements() == 1);
  }

  TEST_CASE("MySQL connection: a column replaced by another of another name and type is read by its new name")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO t VALUES (1, 'a');");
    Connection connection(database.params());
    const std::string text = "SELECT * FROM t WHERE id = ?";
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"name", "a"}});
    database.admin().query(fmt::format("ALTER TABLE {}.t DROP COLUMN name, ADD COLUMN score DOUBLE NOT NULL DEFAULT 2.5",
                                       database.params().database));
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"score", 2.5}});
    database.admin().query(fmt::format("ALTER TABLE {}.t CHANGE COLUMN score label VARCHAR(10) NOT NULL DEFAULT 'x'",
                                       database.params().database));
    CHECK(connection.execute(text, {Json(1)}).rows.at(0) == Json{{"id", 1}, {"label", "2.5"}});
  }

  TEST_CASE("MySQL store: a column added by another connection shows in reads, before and after a schema refresh")
  {
    CacheTestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO t VALUES (1, 'a');");
    store::StoreOptions options;
    options.url = dbmcp::test::mysql_url();
    options.url = options.url.substr(0, options.url.rfind('/') + 1) + database.params().database;
    options.pool_max = 1; // one connection: every read goes through the same cached statement
    auto store = backends::mysql::open_mysql_store(options);
    CallContext ctx;
    const store::Select read{.table = "t"};
    CHECK(store->select(read, ctx).at(0) == Json{{"id", 1}, {"name", "a"}});
    CHECK(store->select(read, ctx).at(0) == Json{{"id", 1}, {"name", "a"}});
    database.admin().query(fmt::format("ALTER TABLE {}.t ADD COLUMN extra INT NOT NULL DEFAULT 7",
                                       database.params().database));
    CHECK(store->select(read, ctx).at(0) == Json{{"id", 1}, {"name", "a"}, {"extra", 7}});
    store->refresh_schema();
    CHECK(store->schema()->require_table("t").columns.size() == 3);
    CHECK(store->select(read, ctx).at(0) == Json{{"id", 1}, {"name", "a"}, {"extra", 7}});
  }
}
