// The SQLite Store on real database files: URLs, reads with every operator, NULL ordering,
// keysets, search, aggregates, writes, batches, error codes and messages, read-only mode.
#include "test_sqlite_support.hpp"

#include <filesystem>
#include <set>

using namespace dbmcp;
using namespace dbmcp::store;
using namespace dbmcp::test;

namespace {

std::vector<int64_t> ids(const std::vector<Row>& rows)
{
  std::vector<int64_t> result;
  for (const auto& row : rows) {
    result.push_back(row["id"].get<int64_t>());
  }
  return result;
}

int64_t count_where(Store& store, const std::string& table, Filter where)
{
  CallContext ctx;
  return store.count(table, where, std::nullopt, ctx);
}

Json users_batch(int count, int bad_at = -1)
{
  Json rows = Json::array();
  for (int i = 0; i < count; ++i) {
    rows.push_back({{"name", "u" + std::to_string(i)}, {"email", "u" + std::to_string(i) + "@x"},
                    {"age", i == bad_at ? 200 : i % 100}});
  }
  return rows;
}

} // namespace

TEST_SUITE("sqlite: store")
{
  TEST_CASE("SqliteStore: URL forms, memory databases, missing files")
  {
    const std::string dir = temp_dir();
    for (const auto& url : std::vector<std::string>{"sqlite://" + dir + "/a.db", "sqlite:" + dir + "/b.db", dir + "/c.db"}) {
      StoreOptions options;
      options.url = url;
      auto store = backends::sqlite::open_sqlite_store(options);
      CHECK(store->backend() == "sqlite");
    }
    CHECK(std::filesystem::exists(dir + "/a.db"));
    CHECK(std::filesystem::exists(dir + "/b.db"));
    CHECK(std::filesystem::exists(dir + "/c.db"));

    StoreOptions memory;
    memory.url = "sqlite::memory:";
    auto store = backends::sqlite::open_sqlite_store(memory);
    CallContext ctx;
    store->execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('x');", ctx);
    CHECK(store->count("t", {}, std::nullopt, ctx) == 1);

    StoreOptions missing;
    missing.url = "sqlite:" + dir + "/missing.db";
    missing.read_only = true;
    const auto error = store_error_of([&] { backends::sqlite::open_sqlite_store(missing); });
    CHECK(error.code() == ErrorCode::unavailable);
    CHECK(std::string(error.what()).find("does not exist") != std::string::npos);
    missing.read_only = false;
    missing.create = false;
    CHECK(store_error_of([&] { backends::sqlite::open_sqlite_store(missing); }).code() == ErrorCode::unavailable);
    CHECK_FALSE(std::filesystem::exists(dir + "/missing.db"));
    missing.url = "sqlite:";
    CHECK(store_error_of([&] { backends::sqlite::open_sqlite_store(missing); }).code() == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqliteStore: every where operator")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CHECK(count_where(*store, "users", {{"age", Op::gte, 41}, {"age", Op::lt, 85}}) == 2);
    CHECK(count_where(*store, "users", {{"age", Op::gt, 41}}) == 2);
    CHECK(count_where(*store, "users", {{"age", Op::lte, 41}}) == 2);
    CHECK(count_where(*store, "users", {{"name", Op::eq, "Ada"}}) == 1);
    CHECK(count_where(*store, "users", {{"name", Op::ne, "Ada"}}) == 4);
    CHECK(count_where(*store, "users", {{"age", Op::eq, nullptr}}) == 1);
    CHECK(count_where(*store, "users", {{"age", Op::ne, nullptr}}) == 4);
    CHECK(count_where(*store, "users", {{"age", Op::is_null, true}}) == 1);
    CHECK(count_where(*store, "users", {{"id", Op::in, Json::array({1, 2, 99})}}) == 2);
    CHECK(count_where(*store, "users", {{"id", Op::in, Json::array()}}) == 0);
    CHECK(count_where(*store, "users", {{"id", Op::not_in, Json::array({1, 2})}}) == 3);
    CHECK(count_where(*store, "users", {{"id", Op::not_in, Json::array()}}) == 5);
    CHECK(count_where(*store, "users", {{"age", Op::in, Json::array({36, nullptr})}}) == 2);
    CHECK(count_where(*store, "users", {{"email", Op::ilike, "%@EXAMPLE.COM"}}) == 5);
    CHECK(count_where(*store, "users", {{"name", Op::like, "A%"}}) == 2);
    CHECK(count_where(*store, "users", {{"active", Op::eq, true}}) == 5);
    CallContext ctx;
    const auto rows = store->select({.table = "users", .columns = {"name", "active"}, .where = {{"id", Op::eq, 1}}}, ctx);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == Json{{"name", "Ada"}, {"active", true}});
  }

  TEST_CASE("SqliteStore: NULLs first ascending, last descending; keyset pages lose nothing")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    Select query{.table = "users", .order = {{"age", false}, {"id", false}}};
    CHECK(ids(store->select(query, ctx)) == std::vector<int64_t>{5, 1, 2, 4, 3});
    query.order = {{"age", true}, {"id", false}};
    CHECK(ids(store->select(query, ctx)) == std::vector<int64_t>{3, 4, 2, 1, 5});
    CallContext writes;
    const std::vector<Row> added{Row{{"name", "Ada"}, {"email", "ada2@x"}},
                                 Row{{"name", "Ada"}, {"email", "ada3@x"}, {"age", 36}}, Row{{"name", "Zed"}, {"email", "zed@x"}}};
    store->insert_many({.table = "users", .rows = added}, writes);
    for (const bool descending : {false, true}) {
      query.order = {{"age", descending}, {"name", false}, {"id", false}};
      const auto all = ids(store->select(query, ctx));
      std::vector<int64_t> walked;
      query.limit = 2;
      query.after.reset();
      for (;;) {
        const auto page = store->select(query, ctx);
        if (page.empty()) {
          break;
        }
        for (const auto& row : page) {
          walked.push_back(row["id"].get<int64_t>());
        }
        query.after = std::vector<Json>{page.back()["age"], page.back()["name"], page.back()["id"]};
      }
      CHECK(all.size() == 8);
      CHECK(walked == all);
      query.limit = 100;
      query.after.reset();
    }
  }

  TEST_CASE("SqliteStore: contains search, full-text search with rank, aggregates")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    Select search{.table = "posts", .search = TextSearch{"MACHINES", {}, false}};
    CHECK(ids(store->select(search, ctx)) == std::vector<int64_t>{2});
    search.search = TextSearch{"100%", {}, false};
    CHECK(store->select(search, ctx).empty());
    search.search = TextSearch{"statement", {}, true};
    const auto ranked = store->select(search, ctx);
    REQUIRE(ranked.size() == 1);
    CHECK(ranked[0]["title"] == "Go To Statement Considered Harmful");
    CHECK(ranked[0]["_rank"].is_number());
    search.search = TextSearch{"machines think?", {"title"}, true};
    CHECK(ids(store->select(search, ctx)) == std::vector<int64_t>{2});
    CHECK(store->count("posts", {{"author_id", Op::eq, 2}}, TextSearch{"machines", {}, true}, ctx) == 1);
    CHECK(store->count("posts", {{"author_id", Op::eq, 1}}, TextSearch{"machines", {}, true}, ctx) == 0);
    const auto no_fts = store_error_of([&] { store->select({.table = "users", .search = TextSearch{"x", {}, true}}, ctx); });
    CHECK(no_fts.code() == ErrorCode::invalid_argument);
    CHECK(std::string(no_fts.what()).find("no full-text index") != std::string::npos);

    AggregateQuery query{.table = "posts", .group_by = {"author_id"},
                         .aggregates = {{AggregateFn::count, std::nullopt, "count"}, {AggregateFn::max, "id", "top"}},
                         .order = {{"count", true}, {"author_id", false}}};
    const auto groups = store->aggregate(query, ctx);
    REQUIRE(groups.size() == 4);
    CHECK(groups[0] == Json{{"author_id", 1}, {"count", 1}, {"top", 1}});
    const auto avg = store->aggregate({.table = "users", .aggregates = {{AggregateFn::avg, "age", "avg_age"}}}, ctx);
    CHECK(avg.at(0)["avg_age"].get<double>() == doctest::Approx(58.5));
  }

  TEST_CASE("SqliteStore: base64 with '=' anywhere but at the end is refused, not decoded to other bytes")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    for (const char* text : {"QQ==QQ==", "QQ=Q", "Q===", "=QQQ"}) {
      CAPTURE(text);
      const auto error = store_error_of([&] {
        store->insert("users", Row{{"name", "B"}, {"email", std::string(text) + "@x"}, {"avatar", text}}, {}, ctx);
      });
      CHECK(error.code() == ErrorCode::invalid_argument);
    }
    CHECK(store->insert("users", Row{{"name", "B"}, {"email", "b@x"}, {"avatar", "QQ=="}}, {}, ctx).row["avatar"]
          == Json{{"$base64", "QQ=="}, {"bytes", 1}});
  }

  TEST_CASE("SqliteStore: INTEGER columns refuse numbers SQLite would store as REAL")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    for (const char* text : {"1e308", "18446744073709551615", "9223372036854775808", "2.5"}) {
      CAPTURE(text);
      const Row row{{"name", "N"}, {"email", std::string(text) + "@x"}, {"age", Json::parse(text)}};
      CHECK(store_error_of([&] { store->insert("users", row, {}, ctx); }).code() == ErrorCode::invalid_argument);
      const std::vector<Row> rows{row};
      CHECK(store_error_of([&] { store->insert_many({"users", rows, 10, OnConflict::error}, ctx); }).code()
            == ErrorCode::invalid_argument);
      CHECK(store_error_of([&] { store->update("users", {{"id", Op::eq, 1}}, Row{{"age", Json::parse(text)}}, {}, ctx); })
                .code()
            == ErrorCode::invalid_argument);
    }
    CHECK(store->insert("users", Row{{"name", "W"}, {"email", "w@x"}, {"age", 40.0}}, {}, ctx).row["age"] == 40);
  }

  TEST_CASE("SqliteStore: insert returns the stored row with related children; update and remove return rows")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    const auto result = store->insert("users", Row{{"name", "Kat"}, {"email", "k@x"}, {"avatar", "AAEC/w=="}},
                                      {{"posts", {Row{{"title", "Orbits"}}, Row{{"title", "Moon"}}}}}, ctx);
    CHECK(result.row["id"] == 6);
    CHECK(result.row["active"] == true);
    CHECK(result.row["avatar"] == Json{{"$base64", "AAEC/w=="}, {"bytes", 4}});
    CHECK(result.row["created_at"].is_string());
    // A blob column is filtered by its base64, as it is written.
    CHECK(count_where(*store, "users", {{"avatar", Op::eq, "AAEC/w=="}}) == 1);
    CHECK(count_where(*store, "users", {{"avatar", Op::eq, "AQ=="}}) == 0);
    CHECK(store->select(Select{.table = "users", .where = {{"avatar", Op::in, Json::array({"AAEC/w==", "AQ=="})}}}, ctx)
              .size() == 1);
    REQUIRE(result.related.size() == 1);
    CHECK(result.related[0].second.size() == 2);
    CHECK(result.related[0].second[1]["author_id"] == 6);
    CHECK(store->count("posts", {}, TextSearch{"orbits", {}, true}, ctx) == 1);

    const auto updated = store->update("users", {{"id", Op::eq, 6}}, Row{{"age", 101}, {"active", false}}, {}, ctx);
    REQUIRE(updated.size() == 1);
    CHECK(updated[0]["age"] == 101);
    CHECK(updated[0]["active"] == false);
    const auto removed = store->remove("users", {{"id", Op::eq, 6}}, {}, ctx);
    REQUIRE(removed.size() == 1);
    CHECK(removed[0]["email"] == "k@x");
    CHECK(count_where(*store, "posts", {{"author_id", Op::eq, 6}}) == 0); // ON DELETE CASCADE
    CHECK(store->remove("users", {{"id", Op::eq, 6}}, {}, ctx).empty());

    // A failing child rolls back the parent too.
    const auto error = store_error_of([&] {
      store->insert("users", Row{{"name", "P"}, {"email", "p@x"}}, {{"posts", {Row{{"content", "no title"}}}}}, ctx);
    });
    CHECK(error.code() == ErrorCode::not_null_violation);
    CHECK(count_where(*store, "users", {{"email", Op::eq, "p@x"}}) == 0);
    CHECK(store_error_of([&] { store->insert("adults", Row{{"name", "v"}}, {}, ctx); }).code()
          == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqliteStore: each constraint failure has its code and message")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    const auto insert = [&](const std::string& table, Row row) {
      return store_error_of([&] { store->insert(table, row, {}, ctx); });
    };
    auto error = insert("users", {{"name", "X"}, {"email", "ada@example.com"}});
    CHECK(error.code() == ErrorCode::unique_violation);
    CHECK(std::string(error.what()) == "email 'ada@example.com' already exists in users (unique)");
    error = insert("users", {{"name", "X"}, {"email", "x@x"}, {"age", 200}});
    CHECK(error.code() == ErrorCode::check_violation);
    CHECK(std::string(error.what()) == "age violates CHECK (age >= 0 AND age <= 150)");
    error = insert("posts", {{"title", std::string(120, 't')}, {"author_id", 1}});
    CHECK(error.code() == ErrorCode::check_violation);
    CHECK(std::string(error.what()) == "title violates CHECK (length(title) < 100)");
    error = insert("posts", {{"title", "t"}, {"author_id", 99}});
    CHECK(error.code() == ErrorCode::foreign_key_violation);
    CHECK(std::string(error.what()) == "posts.author_id 99 has no matching users.id");
    error = insert("users", {{"email", "n@n"}});
    CHECK(error.code() == ErrorCode::not_null_violation);
    CHECK(std::string(error.what()) == "users.name must not be null");
    error = insert("users", {{"id", "seven"}, {"name", "X"}, {"email", "s@s"}});
    CHECK(error.code() == ErrorCode::invalid_argument);
    store->insert("enrolments", Row{{"student", 1}, {"course", "maths"}}, {}, ctx);
    error = insert("enrolments", {{"student", 1}, {"course", "maths"}});
    CHECK(std::string(error.what()) == "student 1, course 'maths' already exists in enrolments (primary key)");
    error = insert("users", {{"id", 1}, {"name", "X"}, {"email", "dup@x"}});
    CHECK(error.code() == ErrorCode::unique_violation);
    CHECK(std::string(error.what()) == "id 1 already exists in users (primary key)");
    error = store_error_of([&] { store->update("users", {{"id", Op::eq, 2}}, Row{{"email", "ada@example.com"}}, {}, ctx); });
    CHECK(error.code() == ErrorCode::unique_violation);
    CHECK(count_where(*store, "users", {}) == 5);
  }

  TEST_CASE("SqliteStore: insert_many is all or nothing and names the failing row")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    std::vector<double> progress;
    std::vector<std::string> messages;
    std::vector<std::optional<double>> totals;
    ctx.set_progress_sink([&](double done, std::optional<double> total, const std::string& message) {
      totals.push_back(total);
      progress.push_back(done);
      messages.push_back(message);
    });
    std::vector<Row> rows = users_batch(2500, 1234).get<std::vector<Json>>();
    const BatchInsert batch{.table = "users", .rows = rows, .batch_size = 1000};
    const auto error = store_error_of([&] { store->insert_many(batch, ctx); });
    CHECK(error.code() == ErrorCode::check_violation);
    CHECK(error.details() == Json{{"row", 1234}});
    CHECK(std::string(error.what()) == "row 1234: age violates CHECK (age >= 0 AND age <= 150)");
    CHECK(count_where(*store, "users", {}) == 5);

    rows[1234]["age"] = 1;
    CHECK(totals == std::vector<std::optional<double>>{2500});
    progress.clear();
    const auto done = store->insert_many(batch, ctx);
    CHECK(done.inserted == 2500);
    CHECK(done.skipped == 0);
    CHECK(done.batches == 3);
    CHECK(progress == std::vector<double>{1000, 2000, 2500});
    CHECK(messages.back() == "Inserted 2500 of 2500 rows into users");
    CHECK(count_where(*store, "users", {}) == 2505);

    // Rows with differing columns each get a statement for their column set.
    const std::vector<Row> mixed{Row{{"title", "a"}, {"author_id", 1}},
                                 Row{{"title", "b"}, {"author_id", 2}, {"content", "c"}},
                                 Row{{"author_id", 1}, {"title", "d"}}};
    CHECK(store->insert_many({.table = "posts", .rows = mixed}, ctx).inserted == 3);
    CHECK(count_where(*store, "posts", {{"content", Op::eq, "c"}}) == 1);

    const std::vector<Row> clashing{Row{{"name", "A2"}, {"email", "ada@example.com"}}, Row{{"name", "New"}, {"email", "new@x"}}};
    BatchInsert conflicts{.table = "users", .rows = clashing};
    const auto unique = store_error_of([&] { store->insert_many(conflicts, ctx); });
    CHECK(unique.code() == ErrorCode::unique_violation);
    CHECK(std::string(unique.what()) == "row 0: email 'ada@example.com' already exists in users (unique)");
    conflicts.on_conflict = OnConflict::ignore;
    const auto ignored = store->insert_many(conflicts, ctx);
    CHECK(ignored.inserted == 1);
    CHECK(ignored.skipped == 1);
    CHECK(count_where(*store, "users", {{"name", Op::eq, "Ada"}}) == 1);
    conflicts.on_conflict = OnConflict::replace;
    const std::vector<Row> renamed{Row{{"id", 1}, {"name", "Ada L."}, {"email", "ada@example.com"}}};
    conflicts.rows = renamed;
    const auto replaced = store->insert_many(conflicts, ctx);
    CHECK(replaced.inserted == 1);
    CHECK(count_where(*store, "users", {{"name", Op::eq, "Ada L."}}) == 1);

    const std::vector<Row> orphans{Row{{"title", "ok"}, {"author_id", 1}}, Row{{"title", "x"}, {"author_id", 999999}}};
    const auto fk = store_error_of([&] { store->insert_many({.table = "posts", .rows = orphans}, ctx); });
    CHECK(std::string(fk.what()) == "row 1: posts.author_id 999999 has no matching users.id");
    CHECK(fk.details()["row"] == 1);
  }

  TEST_CASE("SqliteStore: read-only opens the file read-only and refuses every write")
  {
    const std::string path = demo_sqlite_file();
    auto options = sqlite_options(path);
    options.read_only = true;
    auto store = backends::sqlite::open_sqlite_store(options);
    CallContext ctx;
    CHECK(store->count("users", {}, std::nullopt, ctx) == 5);
    const std::vector<Row> one_row{Row{{"name", "x"}}};
    for (const auto& write : std::vector<std::function<void()>>{
             [&] { store->insert("users", Row{{"name", "x"}, {"email", "y"}}, {}, ctx); },
             [&] { store->insert_many({.table = "users", .rows = one_row}, ctx); },
             [&] { store->update("users", {{"id", Op::eq, 1}}, Row{{"name", "x"}}, {}, ctx); },
             [&] { store->remove("users", {{"id", Op::eq, 1}}, {}, ctx); },
             [&] { store->execute_script("DELETE FROM users", ctx); },
             [&] { store->maintenance(Maintenance::vacuum, "", ctx); }}) {
      CHECK(store_error_of(write).code() == ErrorCode::read_only);
    }
    CHECK(store->count("users", {}, std::nullopt, ctx) == 5);
  }

  TEST_CASE("SqliteStore: diagnostics, maintenance, ping, scripts that fail change nothing")
  {
    const std::string path = demo_sqlite_file();
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(path));
    CallContext ctx;
    store->ping(ctx);
    const Json diagnostics = store->diagnostics(ctx);
    CHECK(diagnostics["engine"] == "sqlite");
    CHECK(diagnostics["journal_mode"] == "wal");
    CHECK(diagnostics["file"] == path);
    CHECK(diagnostics["page_size"].get<int64_t>() > 0);
    CHECK(diagnostics["tables"].size() == 4);
    for (const auto operation : {Maintenance::vacuum, Maintenance::analyze, Maintenance::reindex}) {
      CHECK(store->maintenance(operation, "", ctx)["operation"].is_string());
    }
    CHECK(store->maintenance(Maintenance::analyze, "users", ctx)["statement"] == "ANALYZE \"users\"");
    store->refresh_schema();
    CHECK(store->schema()->require_table("users").row_estimate == 5); // now from sqlite_stat1

    const auto error = store_error_of([&] { store->execute_script("CREATE TABLE half (id INTEGER); CREATE TABLE (;", ctx); });
    CHECK(error.code() == ErrorCode::invalid_argument);
    CHECK(store->schema()->find_table("half") == nullptr);
  }
}
