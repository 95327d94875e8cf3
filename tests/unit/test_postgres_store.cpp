// The PostgreSQL Store against a real server (scripts/with-postgres.sh): introspection, error
// mapping, COPY batches, full-text search, recovery from a server restart, statement timeout,
// cancellation and read-only mode.
#include "backends/postgres/postgres_store.hpp"
#include "store/errors.hpp"
#include "test_postgres_support.hpp"

#include <doctest/doctest.h>
#include <pqxx/transaction>

#include <algorithm>
#include <future>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::store;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE users (
  id SERIAL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(100) NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  profile JSONB,
  avatar BYTEA,
  score NUMERIC(10, 2),
  active BOOLEAN NOT NULL DEFAULT true
);
CREATE TABLE posts (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE INDEX idx_posts_fulltext ON posts USING GIN (to_tsvector('english', title || ' ' || content));
CREATE VIEW slow AS SELECT pg_sleep(3)::text AS slept;
INSERT INTO users (name, email, age) VALUES ('Ada', 'ada@example.com', 36), ('Alan', 'alan@example.com', 41);
INSERT INTO posts (title, content, author_id) VALUES
  ('Analytical engines', 'The engine might compose music', 1),
  ('Machines that think', 'Can machines think? Machines compute.', 2),
  ('Relay bugs', 'A moth in relay 70', 2);
)sql";

StoreOptions options_for(const std::string& url)
{
  StoreOptions options;
  options.url = url;
  options.pool_min = 1;
  options.pool_max = 4;
  options.pool_timeout = 5000ms;
  return options;
}

std::unique_ptr<Store> open(const test::TestSchema& schema, StoreOptions options = {})
{
  options.url = schema.url();
  if (options.pool_max == 10 && options.pool_min == 1) { // defaults: keep the test pool small
    options.pool_max = 4;
  }
  return backends::postgres::open_postgres_store(options);
}

Filter where_eq(const std::string& column, Json value)
{
  return {Condition{column, Op::eq, std::move(value)}};
}

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

int64_t count_rows(Store& store, const std::string& table)
{
  CallContext ctx;
  return store.count(table, {}, std::nullopt, ctx);
}

} // namespace

TEST_SUITE("backends::postgres::PostgresStore")
{
  TEST_CASE("PostgresStore: introspects tables, views, keys, indexes, checks and full-text indexes")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CHECK(store->backend() == "postgresql");
    const auto schema = store->schema();
    REQUIRE(schema->tables.size() == 3);
    CHECK(schema->tables[0].name == "posts");
    CHECK(schema->tables[1].name == "slow");
    CHECK(schema->tables[1].is_view);

    const TableInfo& users = schema->require_table("users");
    CHECK(users.primary_key == std::vector<std::string>{"id"});
    const Column& id = users.require_column("id");
    CHECK(id.auto_increment);
    CHECK(id.kind == ValueKind::integer);
    CHECK_FALSE(id.nullable);
    CHECK(users.require_column("name").type == "character varying(100)");
    CHECK(users.require_column("name").kind == ValueKind::text);
    CHECK(users.require_column("age").nullable);
    CHECK(users.require_column("score").kind == ValueKind::real);
    CHECK(users.require_column("active").kind == ValueKind::boolean);
    CHECK(users.require_column("avatar").kind == ValueKind::blob);
    CHECK(users.require_column("active").default_value == "true");
    CHECK(users.require_column("created_at").default_value == "now()");
    CHECK(users.checks == std::vector<std::string>{"age >= 0 AND age <= 150"});
    const bool unique_email = std::any_of(users.indexes.begin(), users.indexes.end(), [](const Index& index) {
      return index.unique && index.columns == std::vector<std::string>{"email"};
    });
    CHECK(unique_email);
    REQUIRE(users.referenced_by.size() == 1);
    CHECK(users.referenced_by[0].table == "posts");
    CHECK(users.referenced_by[0].columns == std::vector<std::string>{"author_id"});

    const TableInfo& posts = schema->require_table("posts");
    CHECK(posts.require_column("id").auto_increment); // identity
    REQUIRE(posts.foreign_keys.size() == 1);
    CHECK(posts.foreign_keys[0].ref_table == "users");
    CHECK(posts.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    CHECK(posts.has_fulltext);
    CHECK_FALSE(users.has_fulltext);
    CHECK(posts.relations_to("users").size() == 1);
  }

  TEST_CASE("PostgresStore: --tables and --exclude-tables limit what is introspected")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.visibility.exclude = {"slow"};
    auto store = open(db, options);
    CHECK(store->schema()->find_table("slow") == nullptr);
    CHECK(store->schema()->find_table("users") != nullptr);
    CHECK_THROWS_AS(count_rows(*store, "slow"), StoreError);
  }

  TEST_CASE("PostgresStore: insert returns the stored row with typed values")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    const Row values{{"name", "Grace"},    {"email", "grace@example.com"}, {"age", 85},
                     {"profile", Json{{"langs", {"COBOL"}}}}, {"avatar", "AAH/"}, {"score", 19.5}};
    const InsertResult result = store->insert("users", values, {}, ctx);
    const Row& row = result.row;
    CHECK(row["id"] == 3);
    CHECK(row["name"] == "Grace");
    CHECK(row["age"] == 85);
    CHECK(row["active"] == true);
    CHECK(row["profile"]["langs"][0] == "COBOL");
    CHECK(row["avatar"] == Json{{"$base64", "AAH/"}, {"bytes", 3}});
    CHECK(row["score"] == 19.5);
    CHECK(row["created_at"].is_string());
    CHECK(row.begin().key() == "id"); // column order is the table's

    // JSON values keep their JSON type in json/jsonb columns, strings included.
    const auto updated = store->update("users", where_eq("id", 3), Row{{"profile", "just text"}}, WriteLimits{}, ctx);
    CHECK(updated.at(0)["profile"] == "just text");
    BatchInsert batch;
    batch.table = "users";
    const std::vector<Row> with_profile{Row{{"name", "J"}, {"email", "j@j"}, {"profile", Json::array({1, "two"})}}};
    batch.rows = with_profile;
    store->insert_many(batch, ctx);
    Select json;
    json.table = "users";
    json.where = where_eq("email", "j@j");
    CHECK(store->select(json, ctx).at(0)["profile"] == Json::array({1, "two"}));
  }

  TEST_CASE("PostgresStore: json values the JSON library cannot hold come back as {\"$json_text\": text}")
  {
    // PostgreSQL keeps them; nlohmann's parser refuses them, and the discarded value printed as a
    // bare <discarded> token that made the whole answer line invalid JSON.
    test::TestSchema db("CREATE TABLE docs (id INTEGER PRIMARY KEY, doc JSON, bin JSONB);");
    const std::string deep = std::string(1000, '[') + std::string(1000, ']');
    db.exec("INSERT INTO docs VALUES (1, '1e400', '1e400'), (2, '\"\\ud800\"', '{\"ok\": [1, 2.5]}'), "
            "(3, '{\"a\": -1e400}', NULL), (4, '" + deep + "', '" + deep + "')");
    auto store = open(db);
    CallContext ctx;
    Select select;
    select.table = "docs";
    select.order = {OrderKey{"id", false}};
    const auto rows = store->select(select, ctx);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0]["doc"] == Json{{"$json_text", "1e400"}});
    CHECK(rows[0]["bin"] == Json{{"$json_text", "1" + std::string(400, '0')}});
    CHECK(rows[1]["doc"] == Json{{"$json_text", "\"\\ud800\""}});
    CHECK(rows[1]["bin"] == Json::parse(R"({"ok": [1, 2.5]})"));
    CHECK(rows[2]["doc"] == Json{{"$json_text", "{\"a\": -1e400}"}});
    CHECK(rows[2]["bin"].is_null());
    CHECK(rows[3]["doc"] == Json{{"$json_text", deep}});
    CHECK(rows[3]["bin"]["$json_text"].is_string());
    Json all = Json::array();
    for (const auto& row : rows) {
      all.push_back(row);
    }
    CHECK(Json::accept(all.dump()));  // every row prints as valid JSON
  }

  TEST_CASE("PostgresStore: insert with related rows fills the foreign key, in one transaction")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    const auto result = store->insert("users", Row{{"name", "Edsger"}, {"email", "ewd@example.com"}},
                                      {RelatedRows{"posts", {Row{{"title", "Go To"}}, Row{{"title", "Humble"}}}}}, ctx);
    REQUIRE(result.related.size() == 1);
    CHECK(result.related[0].first == "posts");
    REQUIRE(result.related[0].second.size() == 2);
    CHECK(result.related[0].second[1]["author_id"] == result.row["id"]);

    // A failing child undoes the parent too.
    const auto error = error_of([&] {
      store->insert("users", Row{{"name", "Barbara"}, {"email", "bl@example.com"}},
                    {RelatedRows{"posts", {Row{{"title", nullptr}}}}}, ctx);
    });
    CHECK(error.code() == ErrorCode::not_null_violation);
    CHECK(std::string(error.what()) == "posts.title must not be null");
    CHECK(store->count("users", where_eq("email", "bl@example.com"), std::nullopt, ctx) == 0);
  }

  TEST_CASE("PostgresStore: constraint errors carry codes and actionable messages")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    SUBCASE("unique")
    {
      const auto e = error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "ada@example.com"}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::unique_violation);
      CHECK(std::string(e.what()) == "email 'ada@example.com' already exists in users (unique)");
    }
    SUBCASE("check")
    {
      const auto e = error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "x@y"}, {"age", 200}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::check_violation);
      CHECK(std::string(e.what()) == "age violates CHECK (age >= 0 AND age <= 150)");
    }
    SUBCASE("foreign key, both ways")
    {
      const auto e = error_of([&] { store->insert("posts", Row{{"title", "T"}, {"author_id", 99}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(e.what()) == "posts.author_id 99 has no matching users.id");
      const auto parent = error_of([&] { store->remove("users", where_eq("id", 1), WriteLimits{}, ctx); });
      CHECK(parent.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(parent.what()) == "users.id 1 is still referenced from posts.author_id");
    }
    SUBCASE("not null")
    {
      const auto e = error_of([&] { store->insert("users", Row{{"email", "n@n"}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::not_null_violation);
      CHECK(std::string(e.what()) == "users.name must not be null");
    }
    SUBCASE("invalid input names the column")
    {
      const auto e = error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "x@y"}, {"age", "abc"}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::invalid_argument);
      CHECK(std::string(e.what()) == "age: invalid input syntax for type integer: \"abc\"");
    }
    SUBCASE("unknown column")
    {
      const auto e = error_of([&] { store->insert("users", Row{{"name", "X"}, {"emial", "x@y"}}, {}, ctx); });
      CHECK(e.code() == ErrorCode::invalid_argument);
      CHECK(std::string(e.what()).find("did you mean 'email'") != std::string::npos);
    }
    CHECK(count_rows(*store, "users") == 2);
  }

  TEST_CASE("PostgresStore: select, count, aggregate, update and remove")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    Select query;
    query.table = "users";
    query.columns = {"id", "name"};
    query.where = {Condition{"age", Op::gte, 40}};
    const auto rows = store->select(query, ctx);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == Json{{"id", 2}, {"name", "Alan"}});

    AggregateQuery aggregate;
    aggregate.table = "posts";
    aggregate.group_by = {"author_id"};
    aggregate.aggregates = {Aggregate{AggregateFn::count, std::nullopt, "count"}};
    const auto groups = store->aggregate(aggregate, ctx);
    REQUIRE(groups.size() == 2);
    CHECK(groups[1]["author_id"] == 2);
    CHECK(groups[1]["count"] == 2);

    const auto updated = store->update("users", where_eq("id", 1), Row{{"age", 37}, {"active", false}}, WriteLimits{}, ctx);
    REQUIRE(updated.size() == 1);
    CHECK(updated[0]["age"] == 37);
    CHECK(updated[0]["active"] == false);

    const auto removed = store->remove("posts", where_eq("author_id", 2), WriteLimits{}, ctx);
    CHECK(removed.size() == 2);
    CHECK(count_rows(*store, "posts") == 1);
  }

  TEST_CASE("PostgresStore: contains search is case-insensitive; fulltext ranks with _rank")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    Select contains;
    contains.table = "posts";
    contains.search = TextSearch{"MACHINES", {}, false};
    CHECK(store->select(contains, ctx).size() == 1);
    CHECK(store->count("posts", {}, contains.search, ctx) == 1);

    Select fulltext;
    fulltext.table = "posts";
    fulltext.search = TextSearch{"machine", {}, true}; // stemmed: matches "machines"
    const auto ranked = store->select(fulltext, ctx);
    REQUIRE(ranked.size() == 1);
    CHECK(ranked[0]["title"] == "Machines that think");
    CHECK(ranked[0]["_rank"].is_number());
    CHECK(store->count("posts", {}, fulltext.search, ctx) == 1);

    Select several;
    several.table = "posts";
    several.columns = {"id", "title"};
    several.where = {Condition{"author_id", Op::in, Json::array({1, 2})}};
    several.search = TextSearch{"engine relay", {"title", "content"}, true};
    CHECK(store->select(several, ctx).empty()); // plainto_tsquery ANDs the words
    several.search = TextSearch{"relay", {"content"}, true};
    const auto one = store->select(several, ctx);
    REQUIRE(one.size() == 1);
    CHECK(one[0]["title"] == "Relay bugs");
    CHECK(one[0].contains("_rank"));
    CHECK_FALSE(one[0].contains("content"));
  }

  TEST_CASE("PostgresStore: insert_many copies in batches with progress, all or nothing")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    BatchInsert batch;
    batch.table = "users";
    batch.batch_size = 1000;
    std::vector<Row> rows;
    for (int i = 0; i < 5000; ++i) {
      rows.push_back(Row{{"name", fmt::format("user\t{}\n", i)}, {"email", fmt::format("u{}@example.com", i)},
                         {"age", i % 100}});
    }
    rows[10]["profile"] = Json{{"k", "v\\w"}}; // a row with other columns starts a new COPY
    batch.rows = rows;
    std::vector<double> progress;
    CallContext ctx;
    ctx.set_progress_sink([&](double done, std::optional<double> total, const std::string& message) {
      progress.push_back(done);
      CHECK(total == 5000);
      CHECK(message == fmt::format("Inserted {} of 5000 rows", static_cast<int>(done)));
    });
    const BatchResult result = store->insert_many(batch, ctx);
    CHECK(result.inserted == 5000);
    CHECK(result.batches == 5);
    CHECK(progress == std::vector<double>{1000, 2000, 3000, 4000, 5000});
    CHECK(count_rows(*store, "users") == 5002);
    Select check;
    check.table = "users";
    check.where = where_eq("email", "u10@example.com");
    const auto stored = store->select(check, ctx);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0]["name"] == "user\t10\n");
    CHECK(stored[0]["profile"]["k"] == "v\\w");
    CHECK(stored[0]["active"] == true); // omitted columns take their defaults

    SUBCASE("a duplicate in the middle fails the whole batch and names the row")
    {
      BatchInsert bad;
      bad.table = "users";
      bad.batch_size = 100;
      std::vector<Row> new_rows;
      for (int i = 0; i < 300; ++i) {
        new_rows.push_back(Row{{"name", "n"}, {"email", fmt::format("new{}@example.com", i)}});
      }
      new_rows[250]["email"] = "ada@example.com";
      bad.rows = new_rows;
      CallContext batch_ctx;
      const auto e = error_of([&] { store->insert_many(bad, batch_ctx); });
      CHECK(e.code() == ErrorCode::unique_violation);
      CHECK(e.details()["row"] == 250);
      CHECK(std::string(e.what()) == "row 250: email 'ada@example.com' already exists in users (unique)");
      CHECK(count_rows(*store, "users") == 5002);
    }
    SUBCASE("bad input and constraint failures inside COPY are mapped to their row")
    {
      BatchInsert bad;
      bad.table = "users";
      std::vector<Row> typed{Row{{"name", "a"}, {"email", "a1"}}, Row{{"name", "b"}, {"email", "b1"}, {"age", "old"}}};
      bad.rows = typed;
      CallContext batch_ctx;
      const auto e = error_of([&] { store->insert_many(bad, batch_ctx); });
      CHECK(e.code() == ErrorCode::invalid_argument);
      CHECK(e.details()["row"] == 1);
      CHECK(std::string(e.what()) == "row 1: age: invalid input syntax for type integer: \"old\"");
      typed[1]["age"] = 999;
      const auto check = error_of([&] { store->insert_many(bad, batch_ctx); });
      CHECK(check.code() == ErrorCode::check_violation);
      CHECK(check.details()["row"] == 1);
    }
    SUBCASE("an unknown column is refused before anything is sent")
    {
      BatchInsert bad;
      bad.table = "users";
      const std::vector<Row> misspelt{Row{{"name", "a"}, {"email", "a1"}}, Row{{"name", "b"}, {"emial", "b1"}}};
      bad.rows = misspelt;
      CallContext batch_ctx;
      const auto e = error_of([&] { store->insert_many(bad, batch_ctx); });
      CHECK(e.code() == ErrorCode::invalid_argument);
      CHECK(e.details()["row"] == 1);
      CHECK(std::string(e.what()).rfind("row 1: unknown column 'emial'", 0) == 0);
    }
    SUBCASE("on_conflict ignore skips duplicates; replace overwrites them")
    {
      BatchInsert again;
      again.table = "users";
      again.on_conflict = OnConflict::ignore;
      const std::vector<Row> duplicated{Row{{"name", "dup"}, {"email", "ada@example.com"}}, Row{{"name", "new"}, {"email", "fresh@x"}}};
      again.rows = duplicated;
      CallContext batch_ctx;
      const auto ignored = store->insert_many(again, batch_ctx);
      CHECK(ignored.inserted == 1);
      CHECK(ignored.skipped == 1);
      again.on_conflict = OnConflict::replace;
      const std::vector<Row> renamed{Row{{"id", 1}, {"name", "Ada L."}, {"email", "ada@example.com"}}};
      again.rows = renamed;
      const auto replaced = store->insert_many(again, batch_ctx);
      CHECK(replaced.inserted == 1);
      Select ada;
      ada.table = "users";
      ada.where = where_eq("id", 1);
      CHECK(store->select(ada, batch_ctx)[0]["name"] == "Ada L.");
    }
  }

  TEST_CASE("PostgresStore: identifiers that need quoting work in every statement, COPY included")
  {
    test::TestSchema db(R"sql(
      CREATE TABLE "Odd ""Table""" ("Id" SERIAL PRIMARY KEY, "Full Name" TEXT NOT NULL UNIQUE, "select" INT);
    )sql");
    auto store = open(db);
    CallContext ctx;
    const std::string table = "Odd \"Table\"";
    CHECK(store->insert(table, Row{{"Full Name", "a"}, {"select", 1}}, {}, ctx).row["Id"] == 1);
    BatchInsert batch;
    batch.table = table;
    const std::vector<Row> first{Row{{"Full Name", "b"}, {"select", 2}}, Row{{"Full Name", "c"}}};
    batch.rows = first;
    CHECK(store->insert_many(batch, ctx).inserted == 2);
    batch.on_conflict = OnConflict::ignore;
    const std::vector<Row> second{Row{{"Full Name", "c"}}, Row{{"Full Name", "d"}}};
    batch.rows = second;
    CHECK(store->insert_many(batch, ctx).skipped == 1);
    batch.on_conflict = OnConflict::error;
    const auto e = error_of([&] { store->insert_many(batch, ctx); });
    CHECK(e.code() == ErrorCode::unique_violation);
    CHECK(std::string(e.what()) == "row 0: Full Name 'c' already exists in Odd \"Table\" (unique)");
    CHECK(count_rows(*store, table) == 4);
    Select search;
    search.table = table;
    search.search = TextSearch{"d", {}, true};
    CHECK(store->select(search, ctx).size() == 1);
    CHECK(store->update(table, where_eq("select", 2), Row{{"select", 3}}, WriteLimits{}, ctx).at(0)["select"] == 3);
  }

  TEST_CASE("PostgresStore: recovers from a server restart between two calls without reopening")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.statement_timeout = 1000ms;
    auto store = open(db, options);
    CHECK(count_rows(*store, "users") == 2);
    test::restart_server();
    // The pooled connection died with the server: the next call must still succeed.
    CHECK(count_rows(*store, "users") == 2);
    CallContext ctx;
    store->insert("users", Row{{"name", "After"}, {"email", "after@restart"}}, {}, ctx);
    CHECK(count_rows(*store, "users") == 3);
    test::restart_server();
    // A write as the first call after a restart is retried too (nothing had been done).
    store->insert("users", Row{{"name", "After2"}, {"email", "after2@restart"}}, {}, ctx);
    CHECK(count_rows(*store, "users") == 4);
    CHECK_NOTHROW(store->ping(ctx));
    // The reconnected sessions keep their settings.
    Select slow;
    slow.table = "slow";
    CHECK(error_of([&] { store->select(slow, ctx); }).code() == ErrorCode::timeout);
  }

  TEST_CASE("PostgresStore: a column's type altered under the store: its prepared reads and writes keep working")
  {
    test::TestSchema db("CREATE TABLE t (id int PRIMARY KEY, b int); INSERT INTO t VALUES (1, 10);");
    StoreOptions options;
    options.pool_max = 1; // one connection, so the second call finds the first one's statement
    auto store = open(db, options);
    CallContext ctx;
    Select by_id;
    by_id.table = "t";
    by_id.where = where_eq("id", 1);
    CHECK(store->select(by_id, ctx).at(0)["b"] == 10);
    CHECK(store->update("t", where_eq("id", 1), Row{{"b", 11}}, WriteLimits{}, ctx).at(0)["b"] == 11);
    db.exec("ALTER TABLE t ALTER COLUMN b TYPE text");
    CHECK(store->select(by_id, ctx).at(0)["b"] == "11");
    CHECK(store->update("t", where_eq("id", 1), Row{{"b", 12}}, WriteLimits{}, ctx).at(0)["b"] == "12");
    db.exec("ALTER TABLE t ALTER COLUMN b TYPE bigint USING b::bigint");
    store->refresh_schema();
    CHECK(store->select(by_id, ctx).at(0)["b"] == 12);
    CHECK(store->update("t", where_eq("id", 1), Row{{"b", 13}}, WriteLimits{}, ctx).at(0)["b"] == 13);
  }

  TEST_CASE("PostgresStore: after a restart, every idle connection of a larger pool is replaced")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.pool_min = 4;
    options.pool_max = 4;
    auto store = open(db, options);
    REQUIRE(store->diagnostics(*std::make_unique<CallContext>())["pool"]["idle"] == 4);
    test::restart_server();
    for (int i = 0; i < 6; ++i) {
      CHECK(count_rows(*store, "users") == 2);
    }
    CallContext ctx;
    const Json pool = store->diagnostics(ctx)["pool"];
    CHECK(pool["replaced"] >= 1);
    CHECK(pool["size"] <= 4);
  }

  TEST_CASE("PostgresStore: statement_timeout stops a slow statement with `timeout`; the store still serves")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.statement_timeout = 1000ms;
    auto store = open(db, options);
    CallContext ctx;
    Select slow;
    slow.table = "slow";
    const auto started = std::chrono::steady_clock::now();
    const auto e = error_of([&] { store->select(slow, ctx); });
    CHECK(e.code() == ErrorCode::timeout);
    CHECK(std::string(e.what()) == "the statement ran longer than the statement timeout (1s)");
    CHECK(std::chrono::steady_clock::now() - started < 2900ms);
    const auto script = error_of([&] { store->execute_script("SELECT pg_sleep(3)", ctx); });
    CHECK(script.code() == ErrorCode::timeout);
    CHECK(count_rows(*store, "users") == 2);
  }

  TEST_CASE("PostgresStore: a cancelled call stops its statement, rolls back and throws Cancelled")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    auto running = std::async(std::launch::async, [&] {
      store->execute_script("INSERT INTO users (name, email) VALUES ('Z', 'z@z'); SELECT pg_sleep(30);", ctx);
    });
    const bool started = test::eventually([&] {
      pqxx::connection admin(test::postgres_url());
      pqxx::work tx(admin);
      return !tx.exec("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")
                  .empty();
    });
    REQUIRE(started);
    const auto cancelled_at = std::chrono::steady_clock::now();
    ctx.cancel();
    CHECK_THROWS_AS(running.get(), Cancelled);
    CHECK(std::chrono::steady_clock::now() - cancelled_at < 5s);
    CHECK(count_rows(*store, "users") == 2);
  }

  TEST_CASE("PostgresStore: --read-only refuses writes up front and reads still work")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.read_only = true;
    auto store = open(db, options);
    CallContext ctx;
    CHECK(error_of([&] { store->insert("users", Row{{"name", "x"}, {"email", "y"}}, {}, ctx); }).code()
          == ErrorCode::read_only);
    CHECK(error_of([&] { store->remove("users", where_eq("id", 1), WriteLimits{}, ctx); }).code() == ErrorCode::read_only);
    CHECK(error_of([&] { store->execute_script("DELETE FROM users", ctx); }).code() == ErrorCode::read_only);
    CHECK(error_of([&] { store->maintenance(Maintenance::vacuum, "", ctx); }).code() == ErrorCode::read_only);
    CHECK(count_rows(*store, "users") == 2);
  }

  TEST_CASE("PostgresStore: diagnostics redact the password and report tables and the pool")
  {
    test::TestSchema db(k_schema);
    test::admin_exec("DO $$ BEGIN CREATE ROLE dbmcp_diag LOGIN SUPERUSER PASSWORD 's3cret'; "
                     "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    std::string url = db.url();
    url.replace(url.find("postgres@"), 9, "dbmcp_diag:s3cret@");
    StoreOptions options;
    options.url = url;
    options.pool_max = 2;
    auto store = backends::postgres::open_postgres_store(options);
    CallContext ctx;
    const Json diagnostics = store->diagnostics(ctx);
    CHECK(diagnostics["engine"] == "postgresql");
    CHECK(diagnostics["version"].get<std::string>().rfind("15", 0) == 0);
    CHECK(diagnostics["database"] == "dbmcp_test");
    CHECK(diagnostics["schema"] == db.name());
    CHECK(diagnostics["read_only"] == false);
    CHECK(diagnostics["connection"].get<std::string>().find("s3cret") == std::string::npos);
    CHECK(diagnostics["connection"].get<std::string>().find("dbmcp_diag:****@") != std::string::npos);
    CHECK(diagnostics["pool"]["max"] == 2);
    CHECK(diagnostics["pool"]["size"] >= 1);
    const auto& tables = diagnostics["tables"];
    REQUIRE(tables.size() == 3);
    CHECK(tables[2]["name"] == "users");
    CHECK(tables[2]["size_bytes"].get<int64_t>() > 0);
    CHECK(tables[2].contains("rows_estimate"));
  }

  TEST_CASE("PostgresStore: maintenance runs VACUUM, ANALYZE and REINDEX")
  {
    test::TestSchema db(k_schema);
    auto store = open(db);
    CallContext ctx;
    CHECK(store->maintenance(Maintenance::vacuum, "users", ctx)["ok"] == true);
    CHECK(store->maintenance(Maintenance::analyze, "", ctx)["operation"] == "analyze");
    CHECK(store->schema()->require_table("users").row_estimate == 2); // ANALYZE refreshed reltuples
    CHECK(store->maintenance(Maintenance::reindex, "posts", ctx)["statement"] == "REINDEX TABLE \"posts\"");
    CHECK_NOTHROW(store->maintenance(Maintenance::vacuum, "", ctx));
  }

  TEST_CASE("PostgresStore: concurrent calls share the pool")
  {
    test::TestSchema db(k_schema);
    StoreOptions options;
    options.pool_max = 3;
    auto store = open(db, options);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        CallContext ctx;
        for (int i = 0; i < 25; ++i) {
          try {
            if (i % 5 == 0) {
              store->insert("users", Row{{"name", "c"}, {"email", fmt::format("c{}_{}@x", t, i)}}, {}, ctx);
            } else {
              store->count("users", {}, std::nullopt, ctx);
            }
          } catch (const std::exception& e) {
            ++failures;
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(failures == 0);
    CHECK(count_rows(*store, "users") == 2 + 8 * 5);
  }

  TEST_CASE("PostgresStore: an unreachable server fails to open with unavailable")
  {
    StoreOptions options = options_for("postgresql://postgres@127.0.0.1:1/none");
    options.pool_timeout = 1000ms;
    const auto e = error_of([&] { backends::postgres::open_postgres_store(options); });
    CHECK(e.code() == ErrorCode::unavailable);
  }
}
