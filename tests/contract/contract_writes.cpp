// The Store contract, write side: inserts returning stored rows, related rows, batches that are
// all or nothing, constraint errors with their codes and messages, read-only stores,
// cancellation and concurrent callers; the same expectations on every backend.
#include "contract/contract_support.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <mutex>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::store;
using dbmcp::test::error_of;
using dbmcp::test::for_each_backend;
using Database = dbmcp::test::ContractBackend::Database;

namespace {

// The "row" of the error's details, null when it has none.
Json row_of(const StoreError& error)
{
  const Json& details = error.details();
  return details.is_object() && details.contains("row") ? details["row"] : Json();
}

int64_t count_rows(Store& store, const std::string& table)
{
  CallContext ctx;
  return store.count(table, {}, std::nullopt, ctx);
}

// `count` new users numbered from `first`; the one at index `bad_at` breaks the age CHECK.
std::vector<Row> new_users(int first, int count, int bad_at = -1)
{
  std::vector<Row> rows;
  for (int i = first; i < first + count; ++i) {
    rows.push_back(Row{{"name", "user " + std::to_string(i)},
                       {"email", "user" + std::to_string(i) + "@example.com"},
                       {"age", i - first == bad_at ? 200 : 20 + i % 50}});
  }
  return rows;
}

} // namespace

TEST_SUITE("contract: Store writes")
{
  TEST_CASE("insert returns the stored row with its generated key and defaults")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto result = store->insert("users", Row{{"name", "Barbara"}, {"email", "bl@example.com"}, {"age", 30}},
                                        {}, ctx);
      CHECK(result.row["id"] == 5);
      CHECK(result.row["name"] == "Barbara");
      CHECK(result.row["status"] == "new");
      CHECK(result.row["score"].is_null());
      const std::string tricky = "Robert'); DROP TABLE users; --";
      const auto stored = store->insert("users", Row{{"name", tricky}, {"email", "bobby@example.com"}}, {}, ctx);
      CHECK(stored.row["name"] == tricky);
      CHECK(count_rows(*store, "users") == 6);
    });
  }

  TEST_CASE("insert with related rows fills their foreign key in the same transaction")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto result =
          store->insert("users", Row{{"name", "Barbara"}, {"email", "bl@example.com"}},
                        {RelatedRows{"posts", {Row{{"title", "Liskov"}}, Row{{"title", "Substitution"}}}}}, ctx);
      REQUIRE(result.related.size() == 1);
      CHECK(result.related[0].first == "posts");
      REQUIRE(result.related[0].second.size() == 2);
      CHECK(result.related[0].second[1]["author_id"] == result.row["id"]);
      CHECK(store->count("posts", {{"author_id", Op::eq, result.row["id"]}}, std::nullopt, ctx) == 2);

      // A failing child rolls the parent back too.
      const auto error = error_of([&] {
        store->insert("users", Row{{"name", "Cleo"}, {"email", "cleo@example.com"}},
                      {RelatedRows{"posts", {Row{{"title", nullptr}}}}}, ctx);
      });
      CHECK(error.code() == ErrorCode::not_null_violation);
      CHECK(store->count("users", {{"email", Op::eq, "cleo@example.com"}}, std::nullopt, ctx) == 0);
    });
  }

  TEST_CASE("constraint violations carry their code and a message a person can act on")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto unique = error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "ada@example.com"}}, {}, ctx); });
      CHECK(unique.code() == ErrorCode::unique_violation);
      CHECK(std::string(unique.what()) == "email 'ada@example.com' already exists in users (unique)");

      const auto check =
          error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "x@y"}, {"age", 200}}, {}, ctx); });
      CHECK(check.code() == ErrorCode::check_violation);
      CHECK(std::string(check.what()) == "age violates CHECK (age >= 0 AND age <= 150)");

      const auto child = error_of([&] { store->insert("posts", Row{{"title", "T"}, {"author_id", 99}}, {}, ctx); });
      CHECK(child.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(child.what()) == "posts.author_id 99 has no matching users.id");

      const auto parent = error_of([&] { store->remove("users", {{"id", Op::eq, 1}}, {}, ctx); });
      CHECK(parent.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(parent.what()) == "users.id 1 is still referenced from posts.author_id");
      // A comparison does not pin the key down: the message must not name a key that was not
      // being deleted (user 1 is referenced, but `id > 1` deletes 2, 3 and 4).
      const auto range = error_of([&] { store->remove("users", {{"id", Op::gt, 1}}, {}, ctx); });
      CHECK(range.code() == ErrorCode::foreign_key_violation);
      const std::string range_message = range.what();
      CHECK_MESSAGE(range_message.find("users.id 1 ") == std::string::npos, range_message);
      CHECK_MESSAGE(range_message.find("still referenced from posts.author_id") != std::string::npos, range_message);
      CHECK(store->count("users", {}, std::nullopt, ctx) == 4);
      // A parent key updated while referenced reads like its delete.
      const auto renumbered = error_of([&] { store->update("users", {{"id", Op::eq, 1}}, Row{{"id", 50}}, {}, ctx); });
      CHECK(renumbered.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(renumbered.what()) == "users.id 1 is still referenced from posts.author_id");
      CHECK(store->count("users", {{"id", Op::eq, 1}}, std::nullopt, ctx) == 1);

      const auto moved = error_of([&] { store->update("posts", {{"id", Op::eq, 1}}, Row{{"author_id", 98}}, {}, ctx); });
      CHECK(moved.code() == ErrorCode::foreign_key_violation);
      CHECK(std::string(moved.what()) == "posts.author_id 98 has no matching users.id");

      const auto key = error_of([&] { store->insert("users", Row{{"id", 1}, {"name", "X"}, {"email", "k@k"}}, {}, ctx); });
      CHECK(key.code() == ErrorCode::unique_violation);
      CHECK(std::string(key.what()) == "id 1 already exists in users (primary key)");

      const auto pair = error_of([&] { store->insert("tags", Row{{"post_id", 1}, {"tag", "math"}}, {}, ctx); });
      CHECK(pair.code() == ErrorCode::unique_violation);
      CHECK(std::string(pair.what()) == "post_id 1, tag 'math' already exists in tags (primary key)");

      const auto not_null = error_of([&] { store->insert("users", Row{{"email", "n@n"}}, {}, ctx); });
      CHECK(not_null.code() == ErrorCode::not_null_violation);
      CHECK(std::string(not_null.what()) == "users.name must not be null");

      CHECK(count_rows(*store, "users") == 4);
      CHECK(count_rows(*store, "posts") == 3);
    });
  }

  TEST_CASE("update and remove return the rows they changed")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto updated = store->update("users", {{"age", Op::gte, 40}}, Row{{"status", "senior"}}, {}, ctx);
      REQUIRE(updated.size() == 2);
      CHECK(updated[0]["status"] == "senior");
      CHECK(store->count("users", {{"status", Op::eq, "senior"}}, std::nullopt, ctx) == 2);

      const auto none = store->update("users", {{"id", Op::eq, 99}}, Row{{"status", "x"}}, {}, ctx);
      CHECK(none.empty());

      const auto removed = store->remove("tags", {{"post_id", Op::eq, 1}}, {}, ctx);
      CHECK(removed.size() == 2);
      CHECK(count_rows(*store, "tags") == 1);

      const auto bad = error_of([&] { store->update("users", {{"id", Op::eq, 2}}, Row{{"age", -1}}, {}, ctx); });
      CHECK(bad.code() == ErrorCode::check_violation);
    });
  }

  TEST_CASE("a dry run returns the rows as they would be and writes nothing")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const WriteLimits dry{.dry_run = true, .max_affected = 0};
      const auto updated = store->update("users", {{"age", Op::gte, 40}}, Row{{"status", "senior"}}, dry, ctx);
      REQUIRE(updated.size() == 2);
      CHECK(updated[0]["status"] == "senior");
      CHECK(store->count("users", {{"status", Op::eq, "senior"}}, std::nullopt, ctx) == 0);

      const auto removed = store->remove("tags", {{"post_id", Op::eq, 1}}, dry, ctx);
      CHECK(removed.size() == 2);
      CHECK(count_rows(*store, "tags") == 3);

      // The store still writes after a dry run rolled its transaction back.
      CHECK(store->remove("tags", {{"post_id", Op::eq, 1}}, {}, ctx).size() == 2);
      CHECK(count_rows(*store, "tags") == 1);
    });
  }

  TEST_CASE("a write matching more rows than max_affected rolls back with too_many_rows naming the count")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const WriteLimits one{.dry_run = false, .max_affected = 1};
      const auto update =
          error_of([&] { store->update("users", {{"age", Op::gte, 40}}, Row{{"status", "senior"}}, one, ctx); });
      CHECK(update.code() == ErrorCode::too_many_rows);
      CHECK(update.details()["rows"] == 2);
      CHECK(std::string(update.what()) ==
            "this update would change 2 rows of users, more than the limit of 1 (--max-affected-rows); nothing was "
            "changed: narrow 'where', or raise --max-affected-rows (0: no limit)");
      CHECK(store->count("users", {{"status", Op::eq, "senior"}}, std::nullopt, ctx) == 0);

      const auto remove = error_of([&] { store->remove("tags", {{"post_id", Op::eq, 1}}, one, ctx); });
      CHECK(remove.code() == ErrorCode::too_many_rows);
      CHECK(std::string(remove.what()).find("this delete would change 2 rows of tags") == 0);
      CHECK(count_rows(*store, "tags") == 3);

      const auto dry = error_of([&] {
        store->remove("tags", {{"post_id", Op::eq, 1}}, {.dry_run = true, .max_affected = 1}, ctx);
      });
      CHECK(dry.code() == ErrorCode::too_many_rows);

      // At the limit the write goes through.
      CHECK(store->remove("tags", {{"post_id", Op::eq, 1}}, {.dry_run = false, .max_affected = 2}, ctx).size() == 2);
      CHECK(count_rows(*store, "tags") == 1);
    });
  }

  TEST_CASE("insert_many: batches with increasing progress, then all or nothing naming the row")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      std::vector<double> progress;
      ctx.set_progress_sink([&](double done, std::optional<double> total, const std::string&) {
        progress.push_back(done);
        CHECK(total == 1000.0);
      });
      const auto result = store->insert_many({"users", new_users(100, 1000), 100, OnConflict::error}, ctx);
      CHECK(result.inserted == 1000);
      CHECK(result.batches == 10);
      REQUIRE(progress.size() >= 2);
      CHECK(std::is_sorted(progress.begin(), progress.end()));
      CHECK(progress.back() == 1000.0);
      CHECK(count_rows(*store, "users") == 1004);

      CallContext quiet;
      const auto error =
          error_of([&] { store->insert_many({"users", new_users(5000, 1000, 537), 100, OnConflict::error}, quiet); });
      CHECK(error.code() == ErrorCode::check_violation);
      CHECK(error.details()["row"] == 537);
      CHECK(std::string(error.what()).find("537") != std::string::npos);
      CHECK(count_rows(*store, "users") == 1004);
    });
  }

  TEST_CASE("insert_many on_conflict: error, ignore counts the skipped rows, replace overwrites")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const std::vector<Row> rows = {Row{{"id", 1}, {"name", "Ada L."}, {"email", "ada@example.com"}},
                                     Row{{"id", 10}, {"name", "New"}, {"email", "new@example.com"}}};
      const auto error = error_of([&] { store->insert_many({"users", rows, 10, OnConflict::error}, ctx); });
      CHECK(error.code() == ErrorCode::unique_violation);
      CHECK(error.details()["row"] == 0);
      CHECK(count_rows(*store, "users") == 4);

      const auto ignored = store->insert_many({"users", rows, 10, OnConflict::ignore}, ctx);
      CHECK(ignored.inserted == 1);
      CHECK(ignored.skipped == 1);
      CHECK(store->count("users", {{"name", Op::eq, "Ada"}}, std::nullopt, ctx) == 1);

      const auto replaced = store->insert_many({"users", std::span(rows).first(1), 10, OnConflict::replace}, ctx);
      CHECK(replaced.inserted == 1);
      CHECK(store->count("users", {{"name", Op::eq, "Ada L."}}, std::nullopt, ctx) == 1);
      CHECK(count_rows(*store, "users") == 5);
    });
  }

  TEST_CASE("insert_many on_conflict replace updates the row in conflict: same id, omitted columns and children kept")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto user = [&](const std::string& email) {
        Select query{.table = "users", .where = {{"email", Op::eq, email}}};
        const auto rows = store->select(query, ctx);
        REQUIRE(rows.size() == 1);
        return rows[0];
      };
      // Conflict on the unique email (no id given): the row keeps id 1, age, score and its post.
      const std::vector<Row> by_email = {Row{{"name", "Ada R."}, {"email", "ada@example.com"}}};
      const auto replaced = store->insert_many({"users", by_email, 10, OnConflict::replace}, ctx);
      CHECK(replaced.inserted == 1);
      const Row ada = user("ada@example.com");
      CHECK(ada["id"] == 1);
      CHECK(ada["name"] == "Ada R.");
      CHECK(ada["age"] == 36);
      CHECK(ada["score"] == 9.5);
      CHECK(store->count("posts", {{"author_id", Op::eq, 1}}, std::nullopt, ctx) == 1);
      CHECK(count_rows(*store, "users") == 4);

      // Conflict on the primary key: the given columns change, the others stay.
      const std::vector<Row> by_id = {Row{{"id", 2}, {"name", "Alan T."}, {"email", "alan@example.com"}}};
      CHECK(store->insert_many({"users", by_id, 10, OnConflict::replace}, ctx).inserted == 1);
      const Row alan = user("alan@example.com");
      CHECK(alan["id"] == 2);
      CHECK(alan["name"] == "Alan T.");
      CHECK(alan["age"] == 41);
      CHECK(store->count("posts", {{"author_id", Op::eq, 2}}, std::nullopt, ctx) == 1);

      // A row that gives no key in full cannot be matched.
      const std::vector<Row> keyless = {Row{{"name", "Nobody"}}};
      const auto no_key = error_of([&] { store->insert_many({"users", keyless, 10, OnConflict::replace}, ctx); });
      CHECK(no_key.code() == ErrorCode::invalid_argument);
      CHECK(std::string(no_key.what()).find("(email)") != std::string::npos);
      CHECK(count_rows(*store, "users") == 4);
    });
  }

  TEST_CASE("insert_many on_conflict ignore and replace skip only key conflicts and name the failing row")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      for (const OnConflict mode : {OnConflict::ignore, OnConflict::replace}) {
        CAPTURE(static_cast<int>(mode));
        const std::vector<Row> rows = {Row{{"name", "Ada"}, {"email", "ada@example.com"}},
                                       Row{{"name", "New"}, {"email", "new@example.com"}, {"age", 20}},
                                       Row{{"name", "Old"}, {"email", "old@example.com"}, {"age", 200}}};
        const auto error = error_of([&] { store->insert_many({"users", rows, 10, mode}, ctx); });
        CHECK(error.code() == ErrorCode::check_violation);
        CHECK(error.details()["row"] == 2);
        CHECK(std::string(error.what()).find("row 2") != std::string::npos);
        CHECK(count_rows(*store, "users") == 4);
      }
    });
  }

  TEST_CASE("insert_many names the failing row for every kind of bad row, in every on_conflict mode")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      // Row 2 of each batch is bad in its own way; rows 0 and 1 are fine.
      const std::vector<std::pair<std::string, Row>> bad_rows = {
          {"an INTEGER beyond int64", Row{{"name", "Big"}, {"email", "big@example.com"}, {"age", 1e308}}},
          {"an INTEGER of 2^64-1", Row{{"name", "Big"}, {"email", "big@example.com"}, {"age", UINT64_MAX}}},
          {"a fraction for an INTEGER", Row{{"name", "Half"}, {"email", "half@example.com"}, {"age", 2.5}}},
          {"text for an INTEGER", Row{{"name", "Text"}, {"email", "text@example.com"}, {"age", "old"}}},
          {"an unknown column", Row{{"name", "X"}, {"email", "x@example.com"}, {"nope", 1}}},
          {"a NULL for NOT NULL", Row{{"name", nullptr}, {"email", "null@example.com"}}},
          {"a CHECK violation", Row{{"name", "Old"}, {"email", "old@example.com"}, {"age", 200}}},
          {"no key to match", Row{{"name", "Keyless"}}},
      };
      for (const OnConflict mode : {OnConflict::error, OnConflict::ignore, OnConflict::replace}) {
        for (const auto& bad_row : bad_rows) { // no structured binding: clang 14 cannot capture one in CAPTURE
          const auto& what = bad_row.first;
          const auto& bad = bad_row.second;
          CAPTURE(static_cast<int>(mode));
          CAPTURE(what);
          const std::vector<Row> rows = {Row{{"name", "New"}, {"email", "new@example.com"}, {"age", 20}},
                                         Row{{"name", "Ada"}, {"email", "ada@example.com"}}, bad};
          if (mode == OnConflict::error) {
            // Without a conflict mode the duplicate email of row 1 would fail first.
            const std::vector<Row> no_duplicate = {rows[0], Row{{"name", "Two"}, {"email", "two@example.com"}}, bad};
            const auto error = error_of([&] { store->insert_many({"users", no_duplicate, 10, mode}, ctx); });
            CHECK(row_of(error) == 2);
            CHECK_MESSAGE(std::string(error.what()).find("row 2: ") == 0, error.what());
          } else {
            const auto error = error_of([&] { store->insert_many({"users", rows, 10, mode}, ctx); });
            CHECK(row_of(error) == 2);
            CHECK_MESSAGE(std::string(error.what()).find("row 2: ") == 0, error.what());
          }
          CHECK(count_rows(*store, "users") == 4);
        }
      }
    });
  }

  // SQLite inserts a row at a time and MySQL a statement's rows at a time, each row read from the
  // source just before it is sent: the first bad row of the batch is the one named, whether the
  // database or the row check refuses it.
  TEST_CASE("insert_many names the first bad row: a database error before a row refused later in the batch")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      if (store->backend() == "postgresql") {
        return; // COPY reads a step of batch_size rows before sending it: the refused row is named
      }
      CallContext ctx;
      // Row 1 repeats a stored email, row 3 names an unknown column: one batch of 10.
      std::vector<Row> rows = {Row{{"name", "New"}, {"email", "new@example.com"}},
                               Row{{"name", "Ada"}, {"email", "ada@example.com"}},
                               Row{{"name", "Two"}, {"email", "two@example.com"}},
                               Row{{"name", "X"}, {"email", "x@example.com"}, {"nope", 1}}};
      const auto duplicate = error_of([&] { store->insert_many({"users", rows, 10, OnConflict::error}, ctx); });
      CHECK(duplicate.code() == ErrorCode::unique_violation);
      CHECK(row_of(duplicate) == 1);
      CHECK_MESSAGE(std::string(duplicate.what()).find("row 1: ") == 0, std::string(duplicate.what()));
      rows[1]["email"] = "one@example.com";
      const auto unknown = error_of([&] { store->insert_many({"users", rows, 10, OnConflict::error}, ctx); });
      CHECK(unknown.code() == ErrorCode::invalid_argument);
      CHECK(row_of(unknown) == 3);
      CHECK_MESSAGE(std::string(unknown.what()).find("row 3: unknown column 'nope'") == 0, std::string(unknown.what()));
      CHECK(count_rows(*store, "users") == 4);
    });
  }

  TEST_CASE("insert_many on_conflict replace with one key twice in a batch: applied in order, the last row wins")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      // Twice on the unique email of a stored row, twice on a new one, twice by primary key; each
      // pair names the same columns, so that the rows travel together.
      const std::vector<Row> rows = {Row{{"name", "Ada 1"}, {"email", "ada@example.com"}, {"age", 1}},
                                     Row{{"name", "Nina 1"}, {"email", "nina@example.com"}, {"age", 30}},
                                     Row{{"name", "Ada 2"}, {"email", "ada@example.com"}, {"age", 2}},
                                     Row{{"name", "Nina 2"}, {"email", "nina@example.com"}, {"age", 31}},
                                     Row{{"id", 2}, {"name", "Alan 1"}, {"email", "alan@example.com"}},
                                     Row{{"id", 2}, {"name", "Alan 2"}, {"email", "alan@example.com"}}};
      for (const int64_t batch_size : {int64_t(1), int64_t(2), int64_t(100)}) {
        CAPTURE(batch_size);
        const auto result = store->insert_many({"users", rows, batch_size, OnConflict::replace}, ctx);
        CHECK(result.inserted == 6);
        CHECK(result.skipped == 0);
        CHECK(count_rows(*store, "users") == 5);
        const auto named = [&](const std::string& email) {
          Select query{.table = "users", .where = {{"email", Op::eq, email}}};
          const auto found = store->select(query, ctx);
          REQUIRE(found.size() == 1);
          return found[0];
        };
        const Row ada = named("ada@example.com");
        CHECK(ada["id"] == 1);
        CHECK(ada["name"] == "Ada 2");
        CHECK(ada["age"] == 2);
        CHECK(ada["score"] == 9.5); // not given: kept
        CHECK(named("nina@example.com")["name"] == "Nina 2");
        CHECK(named("nina@example.com")["age"] == 31);
        const Row alan = named("alan@example.com");
        CHECK(alan["id"] == 2);
        CHECK(alan["name"] == "Alan 2");
        CHECK(alan["age"] == 41);
      }
    });
  }

  TEST_CASE("an insert that a trigger drops is a clear invalid_argument, not an internal error")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      if (store->backend() == "mysql") {
        return; // a MySQL trigger cannot drop a row without failing the statement
      }
      if (store->backend() == "sqlite") {
        store->execute_script("CREATE TRIGGER drop_users BEFORE INSERT ON users BEGIN SELECT RAISE(IGNORE); END;", ctx);
      } else {
        store->execute_script("CREATE FUNCTION drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; "
                              "END $$; CREATE TRIGGER drop_users BEFORE INSERT ON users FOR EACH ROW EXECUTE "
                              "FUNCTION drop_row();",
                              ctx);
      }
      const auto error = error_of([&] { store->insert("users", Row{{"name", "Z"}, {"email", "z@example.com"}}, {}, ctx); });
      CHECK(error.code() == ErrorCode::invalid_argument);
      CHECK(std::string(error.what()).find("trigger") != std::string::npos);
      CHECK(count_rows(*store, "users") == 4);
    });
  }

  TEST_CASE("a read-only store reads and refuses every write with read_only")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(true);
      CallContext ctx;
      CHECK(count_rows(*store, "users") == 4);
      CHECK(error_of([&] { store->insert("users", Row{{"name", "X"}, {"email", "x@x"}}, {}, ctx); }).code() ==
            ErrorCode::read_only);
      CHECK(error_of([&] { store->insert_many({"users", new_users(1, 3), 10, OnConflict::error}, ctx); }).code() ==
            ErrorCode::read_only);
      CHECK(error_of([&] { store->update("users", {{"id", Op::eq, 1}}, Row{{"age", 1}}, {}, ctx); }).code() ==
            ErrorCode::read_only);
      CHECK(error_of([&] { store->remove("tags", {{"post_id", Op::eq, 1}}, {}, ctx); }).code() == ErrorCode::read_only);
      CHECK(count_rows(*store, "tags") == 3);
    });
  }

  TEST_CASE("a cancelled call throws Cancelled and writes nothing")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      ctx.cancel();
      CHECK_THROWS_AS(store->insert_many({"users", new_users(100, 500), 50, OnConflict::error}, ctx), Cancelled);
      CHECK(count_rows(*store, "users") == 4);

      // Cancelled from another thread while the batch runs: the whole batch is rolled back.
      CallContext running;
      running.set_progress_sink([&](double, std::optional<double>, const std::string&) { running.cancel(); });
      CHECK_THROWS_AS(store->insert_many({"users", new_users(1000, 5000), 100, OnConflict::error}, running), Cancelled);
      CHECK(count_rows(*store, "users") == 4);
    });
  }

  TEST_CASE("concurrent callers on one store: every write lands, every read answers")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      std::vector<std::thread> threads;
      std::mutex failures_mutex;
      std::vector<std::string> failures;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          try {
            CallContext ctx;
            for (int i = 0; i < 25; ++i) {
              const int n = 1000 + t * 100 + i;
              store->insert("users", Row{{"name", "u"}, {"email", "c" + std::to_string(n) + "@x"}}, {}, ctx);
              store->count("users", {}, std::nullopt, ctx);
            }
          } catch (const std::exception& e) {
            std::lock_guard lock(failures_mutex);
            failures.emplace_back(e.what());
          }
        });
      }
      for (auto& thread : threads) {
        thread.join();
      }
      CHECK(failures.empty());
      CHECK(count_rows(*store, "users") == 104);
    });
  }

  TEST_CASE("BLOBs come back as {\"$base64\", \"bytes\"}; that shape and a bare base64 string are both accepted")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const std::string blob_type = store->backend() == "postgresql" ? "bytea" : "BLOB";
      store->execute_script("CREATE TABLE files (id INTEGER PRIMARY KEY, data " + blob_type + ")", ctx);
      store->refresh_schema();
      const Json marked{{"$base64", "AAEC/w=="}, {"bytes", 4}}; // 00 01 02 ff
      const auto stored = store->insert("files", Row{{"id", 1}, {"data", marked}}, {}, ctx);
      CHECK(stored.row["data"] == marked);
      store->insert("files", Row{{"id", 2}, {"data", "aGk="}}, {}, ctx); // "hi", the older bare form
      const auto rows = store->select({.table = "files", .order = {{"id", false}}, .limit = 10}, ctx);
      REQUIRE(rows.size() == 2);
      CHECK(rows[0]["data"] == marked);
      CHECK(rows[1]["data"] == Json{{"$base64", "aGk="}, {"bytes", 2}});
      const auto error = error_of([&] { store->insert("files", Row{{"id", 3}, {"data", {{"$base64", "not base64!"}}}}, {}, ctx); });
      CHECK(error.code() == ErrorCode::invalid_argument);
      // One decoder, one acceptance: padding that does not complete the last group, or a lone
      // sextet, is refused by every backend (each once took some of these).
      for (const char* text : {"Zm9v==", "Zg=", "Zm9vY", "Zg==Zg==", "Zm9v\nYmFy"}) {
        CAPTURE(text);
        const auto bad = error_of([&] { store->insert("files", Row{{"id", 4}, {"data", {{"$base64", text}}}}, {}, ctx); });
        CHECK(bad.code() == ErrorCode::invalid_argument);
      }
    });
  }
}
