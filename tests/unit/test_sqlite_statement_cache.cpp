// The per-connection statement cache: statements reused by SQL text, reset and unbound after each
// use, bounded, a nested use of a borrowed text served by a fresh statement, and emptied when the
// schema generation moves (a schema change between calls never runs a statement prepared before).
#include "backends/sqlite/sqlite_connection.hpp"
#include "test_sqlite_support.hpp"

#include <sqlite3.h>

using namespace dbmcp;
using namespace dbmcp::backends::sqlite;
using namespace dbmcp::test;

TEST_SUITE("sqlite: statement cache")
{
  TEST_CASE("StatementCache: reuses a statement by text, reset and unbound after each use")
  {
    std::atomic<uint64_t> generation{0};
    Connection db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, generation);
    db.exec("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)");
    SQLite::Statement* first = nullptr;
    {
      auto statement = db.prepared("SELECT count(*) FROM t WHERE a >= ?");
      first = &*statement;
      statement->bind(1, 2);
      REQUIRE(statement->executeStep());
      CHECK(statement->getColumn(0).getInt() == 1);
    }
    {
      auto statement = db.prepared("SELECT count(*) FROM t WHERE a >= ?");
      CHECK(&*statement == first);
      REQUIRE(statement->executeStep()); // a NULL parameter: the binding was cleared
      CHECK(statement->getColumn(0).getInt() == 0);
    }
    // Reset after use: the connection holds no open statement, so it can be written to freely.
    CHECK(sqlite3_next_stmt(db.getHandle(), nullptr) != nullptr);
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s; s = sqlite3_next_stmt(db.getHandle(), s)) {
      CHECK(sqlite3_stmt_busy(s) == 0);
    }
  }

  TEST_CASE("StatementCache: a nested use of a borrowed text gets a statement of its own")
  {
    std::atomic<uint64_t> generation{0};
    Connection db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, generation);
    auto outer = db.prepared("SELECT 1");
    auto inner = db.prepared("SELECT 1");
    CHECK(&*outer != &*inner);
    CHECK(db.cached_statements() == 1);
  }

  TEST_CASE("StatementCache: bounded, the least recently used finalised first")
  {
    std::atomic<uint64_t> generation{0};
    Connection db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, generation);
    for (size_t i = 0; i < Connection::k_cached_statements + 10; ++i) {
      db.prepared("SELECT " + std::to_string(i));
    }
    CHECK(db.cached_statements() == Connection::k_cached_statements);
    int open = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s; s = sqlite3_next_stmt(db.getHandle(), s)) {
      ++open;
    }
    CHECK(open == static_cast<int>(Connection::k_cached_statements));
  }

  TEST_CASE("StatementCache: a schema change between calls (ALTER) is seen once the generation moves")
  {
    std::atomic<uint64_t> generation{0};
    Connection db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, generation);
    db.exec("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)");
    {
      auto statement = db.prepared("SELECT * FROM t");
      REQUIRE(statement->executeStep());
      CHECK(statement->getColumnCount() == 1);
    }
    db.exec("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'");
    ++generation; // what Connections::schema_changed() does
    auto statement = db.prepared("SELECT * FROM t");
    REQUIRE(statement->executeStep());
    CHECK(statement->getColumnCount() == 2); // a statement kept from before would still say 1
    CHECK(statement->getColumn(1).getString() == "x");
  }
}

TEST_SUITE("sqlite: store")
{
  TEST_CASE("SqliteStore: a table ALTERed between two reads answers with its new columns")
  {
    const std::string path = demo_sqlite_file();
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(path));
    CallContext ctx;
    store::Select query;
    query.table = "enrolments";
    store->insert("enrolments", Json{{"student", 1}, {"course", "maths"}, {"grade", 3.5}}, {}, ctx);
    CHECK(store->select(query, ctx).at(0).size() == 3);
    store->execute_script("ALTER TABLE enrolments ADD COLUMN room TEXT NOT NULL DEFAULT 'A1'", ctx);
    auto rows = store->select(query, ctx);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["room"] == "A1");
    store->execute_script("ALTER TABLE enrolments DROP COLUMN grade", ctx);
    rows = store->select(query, ctx);
    CHECK_FALSE(rows[0].contains("grade"));
    store->insert("enrolments", Json{{"student", 2}, {"course", "art"}}, {}, ctx);
    CHECK(store->count("enrolments", {}, std::nullopt, ctx) == 2);
  }
}
