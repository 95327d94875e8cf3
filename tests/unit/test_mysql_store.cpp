// The MySQL/MariaDB engine on a real server (scripts/with-mariadb.sh): exact type round trips,
// error numbers mapped to codes and messages, the statement timeout, cancellation through KILL
// QUERY, a server restart mid-session, and the URL parser.
#include "backends/mysql/mysql_catalog.hpp"
#include "backends/mysql/mysql_store.hpp"
#include "backends/mysql/mysql_url.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::store;
using dbmcp::test::mysql_restart_command;
using dbmcp::test::mysql_url;

namespace {

StoreOptions options_for(const std::string& url)
{
  StoreOptions options;
  options.url = url;
  options.pool_max = 4;
  return options;
}

// A database of its own per test, created from `setup` and dropped afterwards.
class TestDatabase
{
public:
  explicit TestDatabase(const std::string& setup)
    : m_admin(backends::mysql::open_mysql_store(options_for(mysql_url())))
  {
    static std::atomic<int> counter{0};
    m_name = fmt::format("unit_{}_{}", ::getpid(), counter++);
    CallContext ctx;
    m_admin->execute_script(fmt::format("DROP DATABASE IF EXISTS {0}; CREATE DATABASE {0} CHARACTER SET utf8mb4", m_name),
                            ctx);
    if (!setup.empty()) {
      open()->execute_script(setup, ctx);
    }
  }
  ~TestDatabase()
  {
    try {
      CallContext ctx;
      m_admin->execute_script("DROP DATABASE IF EXISTS " + m_name, ctx);
    } catch (...) {
    }
  }
  std::string url() const
  {
    const std::string base = mysql_url();
    return base.substr(0, base.rfind('/') + 1) + m_name;
  }
  std::unique_ptr<Store> open(StoreOptions options = {}) const
  {
    options.url = url();
    options.pool_max = std::max(options.pool_max, 2);
    return backends::mysql::open_mysql_store(options);
  }

private:
  std::unique_ptr<Store> m_admin;
  std::string m_name;
};

template<typename Call>
StoreError error_of(Call&& call)
{
  try {
    call();
  } catch (const StoreError& e) {
    return e;
  }
  FAIL("expected a StoreError");
  return StoreError(ErrorCode::internal, "unreachable");
}

constexpr const char* k_types = R"sql(
CREATE TABLE kinds (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  price DECIMAL(30,10),
  small DECIMAL(6,2),
  big BIGINT UNSIGNED,
  at DATETIME,
  day DATE,
  clock TIME,
  doc JSON,
  data BLOB,
  note VARCHAR(100),
  ratio DOUBLE,
  flag TINYINT(1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
)sql";

} // namespace

TEST_SUITE("mysql: engine")
{
  TEST_CASE("MySQL store: DECIMAL, unsigned BIGINT, DATETIME, DATE, TIME, JSON, BLOB and emoji round-trip exactly")
  {
    TestDatabase database(k_types);
    auto store = database.open();
    CallContext ctx;
    const Row values{{"price", "12345678901234567890.0123456789"},
                     {"small", 19.99},
                     {"big", 18446744073709551615ULL},
                     {"at", "2024-02-29 23:59:58"},
                     {"day", "1999-12-31"},
                     {"clock", "12:34:56"},
                     {"doc", Json{{"a", Json::array({1, "two", nullptr})}, {"b", Json{{"c", true}}}}},
                     {"data", "AAECA/8="},
                     {"note", "caf\u00e9 \U0001F600 \u4e2d"},
                     {"ratio", 0.1},
                     {"flag", true}};
    const auto stored = store->insert("kinds", values, {}, ctx).row;
    CHECK(stored["id"] == 1);
    CHECK(stored["price"] == "12345678901234567890.0123456789");
    CHECK(stored["small"] == 19.99);
    CHECK(stored["big"].get<uint64_t>() == 18446744073709551615ULL);
    CHECK(stored["at"] == "2024-02-29 23:59:58");
    CHECK(stored["day"] == "1999-12-31");
    CHECK(stored["clock"] == "12:34:56");
    CHECK(stored["doc"] == values["doc"]);
    CHECK(stored["data"] == Json{{"$base64", "AAECA/8="}, {"bytes", 5}});
    CHECK(stored["note"] == "caf\u00e9 \U0001F600 \u4e2d");
    CHECK(stored["ratio"] == 0.1);
    CHECK(stored["flag"] == 1);

    Select query{.table = "kinds", .where = {{"note", Op::eq, "caf\u00e9 \U0001F600 \u4e2d"}}};
    const auto rows = store->select(query, ctx);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == stored);
    CHECK(store->count("kinds", {{"big", Op::eq, 18446744073709551615ULL}}, std::nullopt, ctx) == 1);

    const auto column = [&](const std::string& name) { return *store->schema()->require_table("kinds").find_column(name); };
    CHECK(column("doc").type == "json");
    CHECK(column("data").kind == ValueKind::blob);
    CHECK(column("price").kind == ValueKind::real);
    CHECK(column("id").auto_increment);
  }

  TEST_CASE("MySQL store: error numbers become codes with exact messages")
  {
    TestDatabase database(R"sql(
      CREATE TABLE parents (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, UNIQUE KEY uq_code (code));
      CREATE TABLE children (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL,
        qty INT CHECK (qty > 0), note VARCHAR(3),
        CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parents(id));
      INSERT INTO parents VALUES (1, 'a');
      INSERT INTO children (parent_id, qty) VALUES (1, 5);
    )sql");
    auto store = database.open();
    CallContext ctx;
    const auto unique = error_of([&] { store->insert("parents", Row{{"id", 2}, {"code", "a"}}, {}, ctx); });
    CHECK(unique.code() == ErrorCode::unique_violation);
    CHECK(std::string(unique.what()) == "code 'a' already exists in parents (unique)");
    const auto primary = error_of([&] { store->insert("parents", Row{{"id", 1}, {"code", "b"}}, {}, ctx); });
    CHECK(primary.code() == ErrorCode::unique_violation);
    CHECK(std::string(primary.what()) == "id 1 already exists in parents (primary key)");
    const auto child = error_of([&] { store->insert("children", Row{{"parent_id", 7}, {"qty", 1}}, {}, ctx); });
    CHECK(child.code() == ErrorCode::foreign_key_violation);
    CHECK(std::string(child.what()) == "children.parent_id 7 has no matching parents.id");
    const auto parent = error_of([&] { store->remove("parents", {{"id", Op::eq, 1}}, {}, ctx); });
    CHECK(parent.code() == ErrorCode::foreign_key_violation);
    CHECK(std::string(parent.what()) == "parents.id 1 is still referenced from children.parent_id");
    const auto check = error_of([&] { store->insert("children", Row{{"parent_id", 1}, {"qty", 0}}, {}, ctx); });
    CHECK(check.code() == ErrorCode::check_violation);
    CHECK(std::string(check.what()) == "qty violates CHECK (qty > 0)");
    const auto not_null = error_of([&] { store->insert("children", Row{{"qty", 1}}, {}, ctx); });
    CHECK(not_null.code() == ErrorCode::not_null_violation);
    CHECK(std::string(not_null.what()) == "children.parent_id must not be null");
    const auto null = error_of([&] { store->update("parents", {{"id", Op::eq, 1}}, Row{{"code", nullptr}}, {}, ctx); });
    CHECK(null.code() == ErrorCode::not_null_violation);
    CHECK(std::string(null.what()) == "parents.code must not be null");
    const auto too_long = error_of([&] { store->insert("children", Row{{"parent_id", 1}, {"note", "long"}}, {}, ctx); });
    CHECK(too_long.code() == ErrorCode::invalid_argument);
    CHECK(std::string(too_long.what()).find("note") != std::string::npos);
    const auto blob = error_of([&] { store->insert("parents", Row{{"id", "x"}, {"code", "z"}}, {}, ctx); });
    CHECK(blob.code() == ErrorCode::invalid_argument);
  }

  TEST_CASE("MySQL store: a value outside an ENUM names the values the column takes")
  {
    TestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, tier ENUM('bronze','silver','gold') NOT NULL, "
                          "flags SET('a','b') NULL); INSERT INTO t VALUES (1, 'gold', 'a');");
    auto store = database.open();
    CallContext ctx;
    const auto updated = error_of([&] { store->update("t", {{"id", Op::eq, 1}}, Row{{"tier", "platinum"}}, {}, ctx); });
    CHECK(updated.code() == ErrorCode::invalid_argument);
    CHECK(std::string(updated.what()) == "t.tier takes one of 'bronze', 'silver', 'gold', not 'platinum'");
    const auto inserted = error_of([&] { store->insert("t", Row{{"id", 2}, {"tier", "gold"}, {"flags", "c"}}, {}, ctx); });
    CHECK(std::string(inserted.what()) == "t.flags takes one of 'a', 'b', not 'c'");
    CHECK(store->count("t", {}, std::nullopt, ctx) == 1);
  }

  TEST_CASE("MySQL store: without RETURNING, written rows are read back by key in the same transaction")
  {
    TestDatabase database(R"sql(
      CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, stamp VARCHAR(10) NOT NULL DEFAULT 'd');
      CREATE TABLE logs (line VARCHAR(20) NOT NULL, level INT);
      INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c');
      INSERT INTO logs VALUES ('x', 1), ('y', 2);
    )sql");
    auto store = database.open();
    CallContext ctx;
    // A given key (no auto-increment): the stored row, defaults included.
    CHECK(store->insert("items", Row{{"id", 4}, {"name", "d"}}, {}, ctx).row == Row{{"id", 4}, {"name", "d"}, {"stamp", "d"}});
    // An update that moves the key returns the row under its new key.
    const auto moved = store->update("items", {{"id", Op::eq, 1}}, Row{{"id", 10}, {"name", "z"}}, {}, ctx);
    REQUIRE(moved.size() == 1);
    CHECK(moved[0] == Row{{"id", 10}, {"name", "z"}, {"stamp", "d"}});
    // An update whose filter no longer matches afterwards still returns the rows it changed.
    const auto renamed = store->update("items", {{"name", Op::in, Json::array({"b", "c"})}}, Row{{"name", "q"}}, {}, ctx);
    CHECK(renamed.size() == 2);
    // Delete returns the rows as they were.
    const auto removed = store->remove("items", {{"name", Op::eq, "q"}}, {}, ctx);
    CHECK(removed.size() == 2);
    CHECK(store->count("items", {}, std::nullopt, ctx) == 2);
    // A table without any key: the update returns the rows its filter matches afterwards.
    const auto keyless = store->update("logs", {{"level", Op::eq, 1}}, Row{{"line", "w"}}, {}, ctx);
    REQUIRE(keyless.size() == 1);
    CHECK(keyless[0] == Row{{"line", "w"}, {"level", 1}});
  }

  TEST_CASE("MySQL store: --read-only runs READ ONLY transactions at the server, not only refused tools")
  {
    TestDatabase database("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);");
    StoreOptions options;
    options.read_only = true;
    auto store = database.open(options);
    CallContext ctx;
    CHECK(store->count("t", {}, std::nullopt, ctx) == 1);
    const auto error = error_of([&] { store->execute_script("INSERT INTO t VALUES (2)", ctx); });
    CHECK(error.code() == ErrorCode::read_only);
    CHECK(store->count("t", {}, std::nullopt, ctx) == 1);
  }

  TEST_CASE("MySQL store: a value longer than the fetch buffer comes back whole, in every row")
  {
    TestDatabase database("CREATE TABLE t (id INT PRIMARY KEY, body LONGTEXT);");
    auto store = database.open();
    CallContext ctx;
    const std::string long_text(100000, 'x');
    store->insert("t", Row{{"id", 1}, {"body", "short"}}, {}, ctx);
    store->insert("t", Row{{"id", 2}, {"body", long_text}}, {}, ctx);
    store->insert("t", Row{{"id", 3}, {"body", "tiny"}}, {}, ctx);
    const auto rows = store->select({.table = "t", .order = {{"id", false}}}, ctx);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["body"] == "short");
    CHECK(rows[1]["body"] == long_text);
    CHECK(rows[2]["body"] == "tiny");
  }

  TEST_CASE("MySQL store: --statement-timeout stops a slow statement with timeout; the store keeps serving")
  {
    TestDatabase database("CREATE VIEW slow AS SELECT SLEEP(5) AS s, 1 AS id;");
    StoreOptions options;
    options.statement_timeout = std::chrono::milliseconds(300);
    auto store = database.open(options);
    CallContext ctx;
    const auto error = error_of([&] { store->select({.table = "slow"}, ctx); });
    CHECK(error.code() == ErrorCode::timeout);
    CHECK(std::string(error.what()) == "the statement ran longer than the statement timeout (300ms)");
    store->ping(ctx);
  }

  TEST_CASE("MySQL store: cancelling a call stops its statement with KILL QUERY and throws Cancelled")
  {
    TestDatabase database("CREATE VIEW slow AS SELECT SLEEP(30) AS s, 1 AS id; CREATE VIEW running AS SELECT ID AS id "
                          "FROM information_schema.PROCESSLIST WHERE INSTR(INFO, 'FROM `slow`') > 0;");
    auto store = database.open();
    auto watcher = database.open();
    CallContext ctx;
    std::atomic<bool> cancelled{false};
    std::thread call([&] {
      try {
        store->select({.table = "slow"}, ctx);
      } catch (const Cancelled&) {
        cancelled = true;
      } catch (...) {
      }
    });
    // Cancel once the statement runs at the server (bounded poll: 30 s).
    CallContext admin;
    for (int i = 0; i < 3000 && watcher->count("running", {}, std::nullopt, admin) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ctx.cancel();
    call.join();
    CHECK(cancelled);
    CallContext again;
    store->ping(again);
  }

  TEST_CASE("MySQL store: a server restart between calls costs no call")
  {
    const std::string restart = mysql_restart_command();
    TestDatabase database("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
    auto store = database.open();
    CallContext ctx;
    CHECK(store->count("t", {}, std::nullopt, ctx) == 2);
    REQUIRE(std::system(restart.c_str()) == 0);
    CHECK(store->count("t", {}, std::nullopt, ctx) == 2);
    store->insert("t", Row{{"id", 3}}, {}, ctx);
    CHECK(store->count("t", {}, std::nullopt, ctx) == 3);
  }

  TEST_CASE("MySQL store: --pool-min connections open at start; --pool-max bounds them; the wait is reported")
  {
    TestDatabase database("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);");
    StoreOptions options;
    options.pool_min = 3;
    options.pool_max = 3;
    options.pool_timeout = std::chrono::milliseconds(300);
    auto store = database.open(options);
    CallContext ctx;
    const Json pool = store->diagnostics(ctx)["pool"];
    CHECK(pool["size"] == 3);
    CHECK(pool["min"] == 3);
    CHECK(pool["max"] == 3);
    CHECK(pool["created"] == 3);
    // Three calls hold the three connections (SLEEP in a view); a fourth waits, then gives up.
    std::vector<std::thread> sleepers;
    for (int i = 0; i < 3; ++i) {
      sleepers.emplace_back([&] {
        CallContext own;
        store->execute_script("DO SLEEP(1.5)", own);
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // diagnostics would need a connection too
    const auto busy = error_of([&] { store->count("t", {}, std::nullopt, ctx); });
    for (auto& sleeper : sleepers) {
      sleeper.join();
    }
    CHECK(busy.code() == ErrorCode::unavailable);
    CHECK(std::string(busy.what()) == "no database connection free within 300ms (pool max 3)");
    CHECK(store->count("t", {}, std::nullopt, ctx) == 1);
  }

  TEST_CASE("MySQL store: a server restart during a call costs at most that call")
  {
    const std::string restart = mysql_restart_command();
    TestDatabase database("CREATE VIEW slow AS SELECT SLEEP(2) AS s, 1 AS id; CREATE VIEW running AS SELECT ID AS id "
                          "FROM information_schema.PROCESSLIST WHERE INSTR(INFO, 'FROM `slow`') > 0;");
    auto store = database.open();
    auto watcher = database.open();
    std::atomic<int> outcome{0}; // 1: answered (retried on a new connection), 2: unavailable, 3: other
    std::thread call([&] {
      try {
        CallContext ctx;
        store->select({.table = "slow"}, ctx);
        outcome = 1;
      } catch (const StoreError& error) {
        outcome = error.code() == ErrorCode::unavailable ? 2 : 3;
      } catch (...) {
        outcome = 3;
      }
    });
    CallContext admin;
    for (int i = 0; i < 3000 && watcher->count("running", {}, std::nullopt, admin) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(std::system(restart.c_str()) == 0);
    call.join();
    CHECK((outcome == 1 || outcome == 2));
    CallContext ctx;
    CHECK(store->count("slow", {}, std::nullopt, ctx) == 1);
  }

  TEST_CASE("MySQL URL: user, password, host, port, database and ssl-mode, percent-decoded")
  {
    const auto params = backends::mysql::parse_url("mysql://me:p%40ss%2Fw@db.example:3307/shop?ssl-mode=REQUIRED");
    CHECK(params.user == "me");
    CHECK(params.password == "p@ss/w");
    CHECK(params.host == "db.example");
    CHECK(params.port == 3307);
    CHECK(params.database == "shop");
    CHECK(params.ssl_mode == "required");
    CHECK(backends::mysql::parse_url("mariadb://localhost/x").port == 3306);
    CHECK_THROWS_AS(backends::mysql::parse_url("mysql://localhost"), StoreError);
    CHECK_THROWS_AS(backends::mysql::parse_url("mysql://h/db?sslmode=bogus"), StoreError);
    CHECK_THROWS_AS(backends::mysql::parse_url("mysql://h/db?unknown=1"), StoreError);
  }

  TEST_CASE("MySQL URL: ssl-ca, ssl-cert and ssl-key, in MySQL's and libpq's spellings; a key without its "
            "certificate or the reverse is refused")
  {
    const auto params = backends::mysql::parse_url(
        "mysql://h/db?ssl-mode=verify_ca&ssl-ca=%2Fetc%2Fca.pem&ssl-cert=/c/cert.pem&ssl-key=/c/key.pem");
    CHECK(params.ssl_mode == "verify_ca");
    CHECK(params.ssl_ca == "/etc/ca.pem");
    CHECK(params.ssl_cert == "/c/cert.pem");
    CHECK(params.ssl_key == "/c/key.pem");
    const auto libpq = backends::mysql::parse_url("mysql://h/db?sslrootcert=/a&sslcert=/b&sslkey=/c");
    CHECK(libpq.ssl_ca == "/a");
    CHECK(libpq.ssl_cert == "/b");
    CHECK(libpq.ssl_key == "/c");
    const auto underscores = backends::mysql::parse_url("mysql://h/db?ssl_cert=/b&ssl_key=/c");
    CHECK(underscores.ssl_cert == "/b");
    CHECK(underscores.ssl_key == "/c");
    CHECK_THROWS_WITH_AS(backends::mysql::parse_url("mysql://h/db?ssl-cert=/b"),
                         doctest::Contains("ssl-cert needs ssl-key"), StoreError);
    CHECK_THROWS_WITH_AS(backends::mysql::parse_url("mysql://h/db?ssl-key=/c"),
                         doctest::Contains("ssl-key needs ssl-cert"), StoreError);
    CHECK_THROWS_WITH_AS(backends::mysql::parse_url("mysql://h/db?unknown=1"),
                         doctest::Contains("supported: ssl-mode, ssl-ca, ssl-cert, ssl-key"), StoreError);
  }

  TEST_CASE("MySQL catalog: CHECK text reads as on the other backends")
  {
    CHECK(backends::mysql::readable_check("`age` >= 0 and `age` <= 150") == "age >= 0 AND age <= 150");
    CHECK(backends::mysql::readable_check("`a` is not null or `b` like 'x%'") == "a IS NOT NULL OR b LIKE 'x%'");
  }
}
