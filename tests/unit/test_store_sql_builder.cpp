// The shared SQL builder: generated text and parameters for SQLite-style (?) and
// PostgreSQL-style ($n) dialects, NULL ordering, keysets, search escaping and injection attempts.
#include "store/errors.hpp"
#include "store/sql_builder.hpp"

#include <doctest/doctest.h>

#include <functional>

// Designated initializers below leave the other members at their defaults, as intended.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace dbmcp;
using namespace dbmcp::store;

namespace {

const sql::Dialect k_sqlite{"sqlite", '"', false, false, true, true, true};
const sql::Dialect k_pg{"postgresql", '"', true, true, true, true};
const sql::Dialect k_plain{"mysql", '`', false, false, false, false};
const sql::Dialect k_mysql{.name = "mysql",
                           .quote = '`',
                           .nulls_ordering = false,
                           .returning = false,
                           .like_binary_collation = "utf8mb4_bin",
                           .text_type = "CHAR",
                           .default_values = "() VALUES ()",
                           .upsert = sql::Dialect::Upsert::on_duplicate_key,
                           .locking_reads = true};

TableInfo users()
{
  TableInfo table;
  table.name = "users";
  table.columns = {{"id", "INTEGER", ValueKind::integer, false, std::nullopt, true},
                   {"name", "TEXT", ValueKind::text, false, std::nullopt, false},
                   {"email", "TEXT", ValueKind::text, false, std::nullopt, false},
                   {"age", "INTEGER", ValueKind::integer, true, std::nullopt, false},
                   {"Odd \"Col\"", "TEXT", ValueKind::text, true, std::nullopt, false}};
  table.primary_key = {"id"};
  return table;
}

ErrorCode code_of(const std::function<void()>& call)
{
  try {
    call();
  } catch (const StoreError& e) {
    return e.code();
  }
  return ErrorCode::internal;
}

} // namespace

TEST_SUITE("store: sql builder")
{
  TEST_CASE("SqlBuilder: identifiers are quoted with embedded quotes doubled")
  {
    CHECK(sql::quote_identifier(k_sqlite, "users") == "\"users\"");
    CHECK(sql::quote_identifier(k_sqlite, "a\"b") == "\"a\"\"b\"");
    CHECK(sql::quote_identifier(k_plain, "a`b") == "`a``b`");
    CHECK(code_of([] { sql::quote_identifier(k_sqlite, std::string("a\0b", 3)); }) == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: select with projection, every operator, order, limit and offset")
  {
    const TableInfo table = users();
    Select query{.table = "users", .columns = {"id", "name"}};
    query.where = {{"age", Op::gte, 18},         {"age", Op::lt, 65},       {"name", Op::ne, "x"},
                   {"email", Op::ilike, "%@a"},  {"name", Op::like, "A%"},  {"id", Op::in, Json::array({1, 2})},
                   {"id", Op::not_in, Json::array({3})}, {"age", Op::is_null, false}, {"age", Op::lte, 99},
                   {"age", Op::gt, 1},           {"name", Op::eq, "Ada"}};
    query.order = {{"age", true}, {"id", false}};
    query.limit = 10;
    query.offset = 20;
    SUBCASE("question-mark placeholders")
    {
      const auto statement = sql::select(k_sqlite, table, query);
      CHECK(statement.text
            == "SELECT \"id\", \"name\" FROM \"users\" WHERE \"age\" >= ? AND \"age\" < ? AND \"name\" <> ? AND "
               "LOWER(\"email\") LIKE LOWER(?) ESCAPE '\\' AND \"name\" GLOB ? AND \"id\" IN (?, ?) AND \"id\" NOT IN (?) AND "
               "\"age\" IS NOT NULL AND \"age\" <= ? AND \"age\" > ? AND \"name\" = ? ORDER BY \"age\" DESC NULLS "
               "LAST, \"id\" ASC LIMIT ? OFFSET ?");
      CHECK(statement.params
            == std::vector<Json>{18, 65, "x", "%@a", "A*", 1, 2, 3, 99, 1, "Ada", 10, 20});
    }
    SUBCASE("numbered placeholders and native ILIKE")
    {
      const auto statement = sql::select(k_pg, table, query);
      CHECK(statement.text.find("\"email\" ILIKE $4") != std::string::npos);
      CHECK(statement.text.find("\"id\" IN ($6, $7)") != std::string::npos);
      CHECK(statement.text.find("LIMIT $12 OFFSET $13") != std::string::npos);
      CHECK(statement.params.size() == 13);
    }
  }

  TEST_CASE("SqlBuilder: null comparisons and empty lists")
  {
    const TableInfo table = users();
    const auto where_text = [&](Condition condition) {
      return sql::count(k_sqlite, table, {std::move(condition)}, std::nullopt);
    };
    CHECK(where_text({"age", Op::eq, nullptr}).text == "SELECT COUNT(*) FROM \"users\" WHERE \"age\" IS NULL");
    CHECK(where_text({"age", Op::ne, nullptr}).text == "SELECT COUNT(*) FROM \"users\" WHERE \"age\" IS NOT NULL");
    CHECK(where_text({"age", Op::is_null, true}).text == "SELECT COUNT(*) FROM \"users\" WHERE \"age\" IS NULL");
    CHECK(where_text({"id", Op::in, Json::array()}).text == "SELECT COUNT(*) FROM \"users\" WHERE 1 = 0");
    CHECK(where_text({"id", Op::not_in, Json::array()}).text == "SELECT COUNT(*) FROM \"users\" WHERE 1 = 1");
    const Condition either{"or", Op::any_of, Json(), {{"age", Op::eq, 36}, {"not", Op::none_of, Json(), {{"id", Op::lt, 3}}}}};
    const auto combined = where_text(either);
    CHECK(combined.text == "SELECT COUNT(*) FROM \"users\" WHERE (\"age\" = ? OR NOT (\"id\" < ?))");
    CHECK(combined.params == std::vector<Json>{36, 3});
    const auto with_null = where_text({"age", Op::in, Json::array({1, nullptr})});
    CHECK(with_null.text == "SELECT COUNT(*) FROM \"users\" WHERE (\"age\" IN (?) OR \"age\" IS NULL)");
    CHECK(with_null.params == std::vector<Json>{1});
    CHECK(where_text({"age", Op::not_in, Json::array({nullptr})}).text
          == "SELECT COUNT(*) FROM \"users\" WHERE \"age\" IS NOT NULL");
    CHECK(sql::count(k_sqlite, table, {}, std::nullopt).text == "SELECT COUNT(*) FROM \"users\"");
    CHECK(code_of([&] { where_text({"age", Op::lt, nullptr}); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { where_text({"age", Op::in, 3}); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { where_text({"age", Op::is_null, "yes"}); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { where_text({"name", Op::like, 3}); }) == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: the point read of get_record has the general path's text and parameters")
  {
    const TableInfo table = users();
    const auto point = [](std::string column, Json value) {
      return Select{.table = "users", .where = {{std::move(column), Op::eq, std::move(value)}}, .limit = 1};
    };
    const auto sqlite = sql::select(k_sqlite, table, point("id", 7));
    CHECK(sqlite.text == "SELECT * FROM \"users\" WHERE \"id\" = ? LIMIT ?");
    CHECK(sqlite.params == std::vector<Json>{7, 1});
    const auto pg = sql::select(k_pg, table, point("id", "7"));
    CHECK(pg.text == "SELECT * FROM \"users\" WHERE \"id\" = $1 LIMIT $2");
    CHECK(pg.params == std::vector<Json>{"7", 1});
    CHECK(sql::select(k_plain, table, point("Odd \"Col\"", "x")).text
          == "SELECT * FROM `users` WHERE `Odd \"Col\"` = ? LIMIT ?");
    CHECK(sql::select(k_sqlite, table, point("Odd \"Col\"", "x")).text
          == "SELECT * FROM \"users\" WHERE \"Odd \"\"Col\"\"\" = ? LIMIT ?");
    // Other shapes take the general path, and its checks hold for the point read too.
    CHECK(sql::select(k_sqlite, table, point("age", nullptr)).text == "SELECT * FROM \"users\" WHERE \"age\" IS NULL LIMIT ?");
    Select paged = point("id", 7);
    paged.offset = 2;
    CHECK(sql::select(k_pg, table, paged).text == "SELECT * FROM \"users\" WHERE \"id\" = $1 LIMIT $2 OFFSET $3");
    CHECK(code_of([&] { sql::select(k_sqlite, table, point("nope", 1)); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { sql::select(k_sqlite, table, point("id", Json::array({1}))); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { sql::select(k_sqlite, table, point("id", Json::object())); }) == ErrorCode::invalid_argument);
    Select negative = point("id", 7);
    negative.limit = -1;
    CHECK(code_of([&] { sql::select(k_sqlite, table, negative); }) == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: NULL ordering is emulated without NULLS FIRST/LAST")
  {
    const TableInfo table = users();
    Select query{.table = "users", .order = {{"age", false}, {"name", true}}, .limit = 5};
    const auto statement = sql::select(k_plain, table, query);
    CHECK(statement.text
          == "SELECT * FROM `users` ORDER BY `age` IS NULL DESC, `age` ASC, `name` DESC LIMIT ?");
  }

  TEST_CASE("SqlBuilder: the MySQL hooks: binary LIKE, CAST AS CHAR, () VALUES (), ON DUPLICATE KEY UPDATE")
  {
    TableInfo table = users();
    table.indexes = {{"uq_email", {"email"}, true}};
    Select query{.table = "users", .where = {{"name", Op::like, "A%"}, {"name", Op::ilike, "b%"}}, .limit = 2};
    query.search = TextSearch{"x", {"age"}};
    CHECK(sql::select(k_mysql, table, query).text
          == "SELECT * FROM `users` WHERE `name` COLLATE utf8mb4_bin LIKE ? ESCAPE '\\' AND LOWER(`name`) LIKE "
             "LOWER(?) ESCAPE '\\' AND (LOWER(CAST(`age` AS CHAR)) LIKE ? ESCAPE '!') LIMIT ?");
    CHECK(sql::insert(k_mysql, table, {}, 1, OnConflict::error, true).text == "INSERT INTO `users` () VALUES ()");
    // ignore skips key conflicts only, as a no-op assignment (never INSERT IGNORE, which also
    // turns CHECK and NOT NULL failures into warnings).
    CHECK(sql::insert(k_mysql, table, {"email", "name"}, 2, OnConflict::ignore, false).text
          == "INSERT INTO `users` (`email`, `name`) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE `email` = `email`");
    CHECK(sql::insert(k_mysql, table, {"email", "name"}, 1, OnConflict::replace, false).text
          == "INSERT INTO `users` (`email`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)");
    CHECK(code_of([&] { sql::insert(k_mysql, table, {"name"}, 1, OnConflict::replace, false); })
          == ErrorCode::invalid_argument);
    CHECK(sql::update(k_mysql, table, {{"id", Op::eq, 1}}, Row{{"age", 3}}).text
          == "UPDATE `users` SET `age` = ? WHERE `id` = ?");
  }

  TEST_CASE("SqlBuilder: NOT NULL keys sort and page without a NULL clause, so an index can serve the order")
  {
    const TableInfo table = users();
    Select query{.table = "users", .order = {{"name", true}, {"id", false}}, .limit = 3};
    query.after = std::vector<Json>{"bob", 7};
    const auto statement = sql::select(k_pg, table, query);
    CHECK(statement.text
          == "SELECT * FROM \"users\" WHERE (\"name\" < $1 OR (\"name\" = $2 AND \"id\" > $3)) ORDER BY "
             "\"name\" DESC, \"id\" ASC LIMIT $4");
  }

  TEST_CASE("SqlBuilder: keyset 'after' expands to an OR-chain that handles NULLs")
  {
    const TableInfo table = users();
    Select query{.table = "users", .order = {{"age", true}, {"id", false}}, .limit = 3};
    SUBCASE("non-null values")
    {
      query.after = std::vector<Json>{40, 7};
      const auto statement = sql::select(k_sqlite, table, query);
      CHECK(statement.text
            == "SELECT * FROM \"users\" WHERE ((\"age\" < ? OR \"age\" IS NULL) OR (\"age\" = ? AND \"id\" > ?)) "
               "ORDER BY \"age\" DESC NULLS LAST, \"id\" ASC LIMIT ?");
      CHECK(statement.params == std::vector<Json>{40, 40, 7, 3});
    }
    SUBCASE("a NULL in a descending key: only ties on it can follow")
    {
      query.after = std::vector<Json>{nullptr, 7};
      const auto statement = sql::select(k_sqlite, table, query);
      CHECK(statement.text.find("WHERE ((\"age\" IS NULL AND \"id\" > ?))") != std::string::npos);
    }
    SUBCASE("a NULL in an ascending key: every non-null follows")
    {
      query.order = {{"age", false}, {"id", false}};
      query.after = std::vector<Json>{nullptr, 7};
      query.where = {{"name", Op::eq, "x"}};
      const auto statement = sql::select(k_pg, table, query);
      CHECK(statement.text
            == "SELECT * FROM \"users\" WHERE \"name\" = $1 AND (\"age\" IS NOT NULL OR (\"age\" IS NULL AND \"id\" > "
               "$2)) ORDER BY \"age\" ASC NULLS FIRST, \"id\" ASC LIMIT $3");
    }
    SUBCASE("three keys: every '?' has its own parameter")
    {
      query.order = {{"age", true}, {"name", false}, {"id", false}};
      query.after = std::vector<Json>{40, "Bo", 7};
      const auto statement = sql::select(k_sqlite, table, query);
      CHECK(statement.text
            == "SELECT * FROM \"users\" WHERE ((\"age\" < ? OR \"age\" IS NULL) OR (\"age\" = ? AND \"name\" > ?) OR "
               "(\"age\" = ? AND \"name\" = ? AND \"id\" > ?)) ORDER BY \"age\" DESC NULLS LAST, \"name\" ASC, "
               "\"id\" ASC LIMIT ?");
      CHECK(statement.params == std::vector<Json>{40, 40, "Bo", 40, "Bo", 7, 3});
    }
    SUBCASE("a keyset of the wrong length is refused")
    {
      query.after = std::vector<Json>{1};
      CHECK(code_of([&] { sql::select(k_sqlite, table, query); }) == ErrorCode::invalid_argument);
    }
  }

  TEST_CASE("SqlBuilder: text search escapes wildcards and covers the text columns")
  {
    const TableInfo table = users();
    const auto statement = sql::count(k_sqlite, table, {}, TextSearch{"50%_Off!", {}, false});
    CHECK(statement.text
          == "SELECT COUNT(*) FROM \"users\" WHERE (LOWER(\"name\") LIKE ? ESCAPE '!' OR LOWER(\"email\") LIKE ? "
             "ESCAPE '!' OR LOWER(\"Odd \"\"Col\"\"\") LIKE ? ESCAPE '!')");
    CHECK(statement.params == std::vector<Json>(3, "%50!%!_off!!%"));
    const auto numeric = sql::count(k_pg, table, {}, TextSearch{"4", {"age"}, false});
    CHECK(numeric.text == "SELECT COUNT(*) FROM \"users\" WHERE (CAST(\"age\" AS TEXT) ILIKE $1 ESCAPE '!')");
    TableInfo numbers = users();
    numbers.columns = {numbers.columns[0]};
    CHECK(code_of([&] { sql::count(k_sqlite, numbers, {}, TextSearch{"x", {}, false}); }) == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: more values than the engines bind is invalid_argument, not an internal error")
  {
    const TableInfo table = users();
    Json many = Json::array();
    for (int i = 0; i < 70'000; ++i) {
      many.push_back(i);
    }
    Select query{.table = "users", .where = {{"id", Op::in, many}}};
    CHECK(code_of([&] { sql::select(k_pg, table, query); }) == ErrorCode::invalid_argument);
    CHECK(code_of([&] { sql::count(k_sqlite, table, query.where, std::nullopt); }) == ErrorCode::invalid_argument);
    Json fewer = Json::array();
    for (int i = 0; i < 30'000; ++i) {
      fewer.push_back(i);
    }
    query.where[0].value = fewer;
    CHECK(sql::select(k_pg, table, query).params.size() == 30'001);
  }

  TEST_CASE("SqlBuilder: aggregate groups, aliases and ordering")
  {
    const TableInfo table = users();
    AggregateQuery query{.table = "users", .where = {{"age", Op::gt, 1}}, .group_by = {"name"},
                         .aggregates = {{AggregateFn::count, std::nullopt, "count"}, {AggregateFn::avg, "age", "avg_age"}},
                         .order = {{"count", true}}, .limit = 7};
    const auto statement = sql::aggregate(k_sqlite, table, query);
    CHECK(statement.text
          == "SELECT \"name\", COUNT(*) AS \"count\", AVG(\"age\") AS \"avg_age\" FROM \"users\" WHERE \"age\" > ? GROUP "
             "BY \"name\" ORDER BY \"count\" DESC LIMIT ?");
    CHECK(statement.params == std::vector<Json>{1, 7});
    query.order.clear();
    CHECK(sql::aggregate(k_sqlite, table, query).text.find("ORDER BY \"name\" ASC LIMIT") != std::string::npos);
    query.order = {{"email", false}};
    CHECK(code_of([&] { sql::aggregate(k_sqlite, table, query); }) == ErrorCode::invalid_argument);
    query.order.clear();
    query.aggregates = {{AggregateFn::sum, std::nullopt, "s"}};
    CHECK(code_of([&] { sql::aggregate(k_sqlite, table, query); }) == ErrorCode::invalid_argument);
    // An alias naming a group column or another alias would overwrite it in the result rows.
    query.aggregates = {{AggregateFn::max, "age", "name"}};
    CHECK(code_of([&] { sql::aggregate(k_sqlite, table, query); }) == ErrorCode::invalid_argument);
    query.aggregates = {{AggregateFn::max, "age", "a"}, {AggregateFn::min, "age", "a"}};
    CHECK(code_of([&] { sql::aggregate(k_sqlite, table, query); }) == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: insert with conflict modes per dialect")
  {
    const TableInfo table = users();
    const std::vector<std::string> columns{"name", "email"};
    auto statement = sql::insert(k_sqlite, table, columns, 2, OnConflict::error, true);
    CHECK(statement.text == "INSERT INTO \"users\" (\"name\", \"email\") VALUES (?, ?), (?, ?) RETURNING *");
    CHECK(statement.params.empty());
    // One meaning on every engine: ignore skips key conflicts only; replace updates the row in
    // conflict on the primary key, or on a unique key whose columns are all given.
    CHECK(sql::insert(k_sqlite, table, columns, 1, OnConflict::ignore, false).text
          == "INSERT INTO \"users\" (\"name\", \"email\") VALUES (?, ?) ON CONFLICT DO NOTHING");
    CHECK(sql::insert(k_sqlite, table, {"id", "name"}, 1, OnConflict::replace, false).text
          == "INSERT INTO \"users\" (\"id\", \"name\") VALUES (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"name\" = "
             "EXCLUDED.\"name\"");
    CHECK(code_of([&] { sql::insert(k_sqlite, table, columns, 1, OnConflict::replace, false); })
          == ErrorCode::invalid_argument);
    TableInfo with_email = table;
    with_email.indexes.push_back({"users_email_key", {"email"}, true});
    CHECK(sql::insert(k_sqlite, with_email, columns, 1, OnConflict::replace, false).text
          == "INSERT INTO \"users\" (\"name\", \"email\") VALUES (?, ?) ON CONFLICT (\"email\") DO UPDATE SET "
             "\"name\" = EXCLUDED.\"name\"");
    CHECK(sql::insert(k_pg, with_email, {"id", "email"}, 1, OnConflict::replace, false).text
          == "INSERT INTO \"users\" (\"id\", \"email\") VALUES ($1, $2) ON CONFLICT (\"id\") DO UPDATE SET "
             "\"email\" = EXCLUDED.\"email\"");
    CHECK(sql::insert(k_pg, table, columns, 1, OnConflict::ignore, true).text
          == "INSERT INTO \"users\" (\"name\", \"email\") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING *");
    CHECK(sql::insert(k_pg, table, {"id", "name"}, 1, OnConflict::replace, false).text
          == "INSERT INTO \"users\" (\"id\", \"name\") VALUES ($1, $2) ON CONFLICT (\"id\") DO UPDATE SET \"name\" = "
             "EXCLUDED.\"name\"");
    CHECK(sql::insert(k_sqlite, table, {}, 1, OnConflict::error, true).text
          == "INSERT INTO \"users\" DEFAULT VALUES RETURNING *");
    CHECK(code_of([&] { sql::insert(k_sqlite, table, columns, 0, OnConflict::error, true); })
          == ErrorCode::invalid_argument);
  }

  TEST_CASE("SqlBuilder: update and delete bind values and filters")
  {
    const TableInfo table = users();
    const auto update = sql::update(k_pg, table, {{"id", Op::eq, 3}}, Row{{"name", "N"}, {"age", nullptr}});
    CHECK(update.text == "UPDATE \"users\" SET \"name\" = $1, \"age\" = $2 WHERE \"id\" = $3 RETURNING *");
    CHECK(update.params == std::vector<Json>{"N", nullptr, 3});
    CHECK(code_of([&] { sql::update(k_pg, table, {}, Row::object()); }) == ErrorCode::invalid_argument);
    const auto remove = sql::remove(k_sqlite, table, {{"age", Op::gt, 100}});
    CHECK(remove.text == "DELETE FROM \"users\" WHERE \"age\" > ? RETURNING *");
    sql::Dialect no_returning = k_sqlite;
    no_returning.returning = false;
    CHECK(sql::remove(no_returning, table, {}).text == "DELETE FROM \"users\"");
  }

  TEST_CASE("SqlBuilder: injection attempts in names are refused, in values they stay parameters")
  {
    const TableInfo table = users();
    for (const std::string evil : {"id; DROP TABLE users", "id\" --", "1=1 OR id", "name) VALUES ('x'); --"}) {
      CAPTURE(evil);
      CHECK(code_of([&] { sql::select(k_sqlite, table, Select{.table = "users", .columns = {evil}}); })
            == ErrorCode::invalid_argument);
      CHECK(code_of([&] { sql::count(k_sqlite, table, {{evil, Op::eq, 1}}, std::nullopt); }) == ErrorCode::invalid_argument);
      CHECK(code_of([&] { sql::select(k_sqlite, table, Select{.table = "users", .order = {{evil, false}}}); })
            == ErrorCode::invalid_argument);
      CHECK(code_of([&] { sql::insert(k_sqlite, table, {evil}, 1, OnConflict::error, true); })
            == ErrorCode::invalid_argument);
      CHECK(code_of([&] { sql::update(k_sqlite, table, {}, Row{{evil, 1}}); }) == ErrorCode::invalid_argument);
    }
    try {
      sql::count(k_sqlite, table, {{"emial", Op::eq, 1}}, std::nullopt);
      FAIL("no error");
    } catch (const StoreError& e) {
      CHECK(std::string(e.what()) == "unknown column 'emial' in users; did you mean 'email'?");
    }
    const std::string value = "x'); DROP TABLE users; --";
    const auto statement = sql::count(k_sqlite, table, {{"name", Op::eq, value}}, std::nullopt);
    CHECK(statement.text == "SELECT COUNT(*) FROM \"users\" WHERE \"name\" = ?");
    CHECK(statement.params == std::vector<Json>{value});
    const auto odd = sql::select(k_sqlite, table, Select{.table = "users", .columns = {"Odd \"Col\""}});
    CHECK(odd.text == "SELECT \"Odd \"\"Col\"\"\" FROM \"users\" LIMIT ?");
  }
}
