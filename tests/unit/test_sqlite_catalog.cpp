// SQLite introspection: tables, views, columns, keys, indexes, foreign keys both ways, CHECKs,
// FTS5 tables, visibility; and the CHECK parser on its own.
#include "backends/sqlite/sqlite_catalog.hpp"
#include "test_sqlite_support.hpp"

using namespace dbmcp;
using namespace dbmcp::store;
using namespace dbmcp::test;

TEST_SUITE("sqlite: catalog")
{
  TEST_CASE("SqliteCatalog: CHECK constraints are parsed from CREATE TABLE text")
  {
    const auto checks = backends::sqlite::parse_checks(
        "CREATE TABLE \"t(\" (a INTEGER CHECK (a > 0) NOT NULL, \"b,c\" TEXT DEFAULT 'x,(' CHECK(\"b,c\" <> ')'),\n"
        "  -- a comment with CHECK (nothing)\n"
        "  CONSTRAINT pair CHECK (a < length(\"b,c\")), UNIQUE (a))");
    REQUIRE(checks.size() == 3);
    CHECK(checks[0].column == "a");
    CHECK(checks[0].text == "a > 0");
    CHECK(checks[1].column == "b,c");
    CHECK(checks[1].text == "\"b,c\" <> ')'");
    CHECK(checks[2].name == "pair");
    CHECK(checks[2].column.empty());
    CHECK(checks[2].text == "a < length(\"b,c\")");
  }

  TEST_CASE("SqliteCatalog: tables, columns, keys, indexes, foreign keys, checks, full-text")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    const auto schema = store->schema();
    std::vector<std::string> names;
    for (const auto& table : schema->tables) {
      names.push_back(table.name);
    }
    CHECK(names == std::vector<std::string>{"adults", "enrolments", "posts", "users"});

    const TableInfo& users = schema->require_table("users");
    CHECK(users.primary_key == std::vector<std::string>{"id"});
    CHECK(users.find_column("id")->auto_increment);
    CHECK_FALSE(users.find_column("id")->nullable);
    CHECK(users.find_column("name")->kind == ValueKind::text);
    CHECK_FALSE(users.find_column("name")->nullable);
    CHECK(users.find_column("age")->kind == ValueKind::integer);
    CHECK(users.find_column("active")->kind == ValueKind::boolean);
    CHECK(users.find_column("avatar")->kind == ValueKind::blob);
    CHECK(users.find_column("created_at")->default_value == "CURRENT_TIMESTAMP");
    CHECK(users.checks == std::vector<std::string>{"age >= 0 AND age <= 150"});
    CHECK(users.row_estimate == 5);
    REQUIRE(users.referenced_by.size() == 1);
    CHECK(users.referenced_by[0].table == "posts");
    CHECK(users.referenced_by[0].columns == std::vector<std::string>{"author_id"});
    CHECK(std::any_of(users.indexes.begin(), users.indexes.end(), [](const Index& i) { return i.unique; }));

    const TableInfo& posts = schema->require_table("posts");
    CHECK(posts.has_fulltext);
    REQUIRE(posts.foreign_keys.size() == 1);
    CHECK(posts.foreign_keys[0].ref_table == "users");
    CHECK(posts.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    CHECK(posts.indexes.at(0).name == "idx_posts_author");
    CHECK(posts.checks == std::vector<std::string>{"length(title) < 100"});

    const TableInfo& enrolments = schema->require_table("enrolments");
    CHECK(enrolments.primary_key == std::vector<std::string>{"student", "course"});
    CHECK_FALSE(enrolments.find_column("student")->auto_increment);
    CHECK(enrolments.find_column("grade")->kind == ValueKind::real);
    CHECK(schema->require_table("adults").is_view);
    CHECK_FALSE(schema->require_table("adults").row_estimate.has_value());
  }

  TEST_CASE("SqliteCatalog: visibility hides tables; refresh_schema sees new DDL")
  {
    const std::string path = demo_sqlite_file();
    auto options = sqlite_options(path);
    options.visibility.exclude = {"posts"};
    auto store = backends::sqlite::open_sqlite_store(options);
    CHECK(store->schema()->find_table("posts") == nullptr);
    CHECK(store->schema()->require_table("users").referenced_by.empty());
    CHECK(store_error_of([&] { CallContext ctx; store->count("posts", {}, std::nullopt, ctx); }).code()
          == ErrorCode::invalid_argument);
    options.visibility = {{"users"}, {}};
    auto only_users = backends::sqlite::open_sqlite_store(options);
    CHECK(only_users->schema()->tables.size() == 1);

    auto before = store->schema();
    CallContext ctx;
    store->execute_script("CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT);", ctx);
    CHECK(store->schema()->find_table("extra") != nullptr);
    CHECK(before->find_table("extra") == nullptr); // an old snapshot stays as it was
  }

  TEST_CASE("SqliteCatalog: row estimates count small tables and never scan a large one")
  {
    const std::string path = temp_dir() + "/estimates.db";
    CallContext ctx;
    backends::sqlite::open_sqlite_store(sqlite_options(path))->execute_script(
        "CREATE TABLE small (id INTEGER PRIMARY KEY);"
        "CREATE TABLE big (id INTEGER PRIMARY KEY);"
        "CREATE TABLE keyed (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)"
        "  INSERT INTO big SELECT i FROM n;"
        "INSERT INTO keyed SELECT id, 'x' FROM big;"
        "INSERT INTO small SELECT id FROM big LIMIT 7;"
        "DELETE FROM big WHERE id > 24000;",
        ctx);
    const auto schema = backends::sqlite::open_sqlite_store(sqlite_options(path))->schema();
    CHECK(schema->require_table("small").row_estimate == 7);          // counted
    CHECK(schema->require_table("big").row_estimate == 24000);        // the largest rowid
    CHECK_FALSE(schema->require_table("keyed").row_estimate.has_value()); // no rowid to ask
  }
}
