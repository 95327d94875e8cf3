// The Store contract, read side: introspection, every `where` operator, ordering with NULLs,
// keyset pagination, search, count and aggregate; the same expectations on every backend.
#include "contract/contract_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace dbmcp;
using namespace dbmcp::store;
using dbmcp::test::error_of;
using dbmcp::test::for_each_backend;
using Database = dbmcp::test::ContractBackend::Database;

namespace {

// The `id`s of `rows`, in order.
std::vector<int64_t> ids_of(const std::vector<Row>& rows)
{
  std::vector<int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(row.at("id").get<int64_t>());
  }
  return ids;
}

std::vector<int64_t> user_ids(Store& store, Filter where, std::vector<OrderKey> order = {{"id", false}})
{
  CallContext ctx;
  Select query;
  query.table = "users";
  query.columns = {"id"};
  query.where = std::move(where);
  query.order = std::move(order);
  return ids_of(store.select(query, ctx));
}

// The combinators of the where language, as tools::parse_where builds them.
Condition all_of(std::vector<Condition> children)
{
  return {"and", Op::all_of, Json(), std::move(children)};
}
Condition any_of(std::vector<Condition> children)
{
  return {"or", Op::any_of, Json(), std::move(children)};
}
Condition none_of(std::vector<Condition> children)
{
  return {"not", Op::none_of, Json(), std::move(children)};
}

} // namespace

TEST_SUITE("contract: Store reads")
{
  TEST_CASE("introspection: tables, columns, keys, indexes, checks and foreign keys both ways")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      const auto schema = store->schema();
      std::vector<std::string> names;
      for (const auto& table : schema->tables) {
        names.push_back(table.name);
      }
      CHECK(names == std::vector<std::string>{"posts", "tags", "users"});

      const TableInfo& users = schema->require_table("users");
      REQUIRE(users.columns.size() == 6);
      CHECK(users.columns[0].name == "id");
      CHECK(users.columns[0].auto_increment);
      CHECK(users.columns[1].kind == ValueKind::text);
      CHECK_FALSE(users.columns[1].nullable);
      CHECK(users.columns[3].kind == ValueKind::integer);
      CHECK(users.columns[3].nullable);
      CHECK(users.columns[4].kind == ValueKind::real);
      REQUIRE(users.columns[5].default_value.has_value());
      CHECK(users.columns[5].default_value->find("new") != std::string::npos);
      CHECK(users.primary_key == std::vector<std::string>{"id"});
      CHECK(std::any_of(users.indexes.begin(), users.indexes.end(), [](const Index& index) {
        return index.unique && index.columns == std::vector<std::string>{"email"};
      }));
      CHECK(std::any_of(users.checks.begin(), users.checks.end(),
                        [](const std::string& check) { return check.find("age >= 0") != std::string::npos; }));
      REQUIRE(users.referenced_by.size() == 1);
      CHECK(users.referenced_by[0].table == "posts");
      CHECK(users.referenced_by[0].columns == std::vector<std::string>{"author_id"});

      const TableInfo& posts = schema->require_table("posts");
      REQUIRE(posts.foreign_keys.size() == 1);
      CHECK(posts.foreign_keys[0].ref_table == "users");
      CHECK(posts.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
      CHECK(std::any_of(posts.indexes.begin(), posts.indexes.end(), [](const Index& index) {
        return index.columns == std::vector<std::string>{"author_id"};
      }));
      CHECK(posts.relations_to("users").size() == 1);

      CHECK(schema->require_table("tags").primary_key == std::vector<std::string>{"post_id", "tag"});
    });
  }

  TEST_CASE("unknown tables and columns are invalid_argument with the closest names")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      const auto table = error_of([&] { store->count("usres", {}, std::nullopt, ctx); });
      CHECK(table.code() == ErrorCode::invalid_argument);
      CHECK(std::string(table.what()) == "unknown table 'usres'; did you mean 'users'?");

      Select query;
      query.table = "users";
      query.columns = {"emial"};
      const auto column = error_of([&] { store->select(query, ctx); });
      CHECK(column.code() == ErrorCode::invalid_argument);
      CHECK(std::string(column.what()) == "unknown column 'emial' in users; did you mean 'email'?");
    });
  }

  TEST_CASE("every operator of the where language")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      auto& s = *store;
      using V = std::vector<int64_t>;
      CHECK(user_ids(s, {{"name", Op::eq, "Alan"}}) == V{2});
      CHECK(user_ids(s, {{"name", Op::ne, "Alan"}}) == V{1, 3, 4});
      CHECK(user_ids(s, {{"age", Op::lt, 41}}) == V{1});
      CHECK(user_ids(s, {{"age", Op::lte, 41}}) == V{1, 2});
      CHECK(user_ids(s, {{"age", Op::gt, 41}}) == V{4});
      CHECK(user_ids(s, {{"age", Op::gte, 41}}) == V{2, 4});
      CHECK(user_ids(s, {{"id", Op::in, Json::array({1, 3, 99})}}) == V{1, 3});
      CHECK(user_ids(s, {{"id", Op::not_in, Json::array({1, 3})}}) == V{2, 4});
      CHECK(user_ids(s, {{"email", Op::like, "a%"}}) == V{1, 2});
      CHECK(user_ids(s, {{"name", Op::ilike, "%GR%"}}) == V{3});
      CHECK(user_ids(s, {{"age", Op::is_null, true}}) == V{3});
      CHECK(user_ids(s, {{"age", Op::is_null, false}}) == V{1, 2, 4});
      CHECK(user_ids(s, {{"score", Op::gte, 8.0}, {"age", Op::lt, 50}}) == V{1});
      CHECK(user_ids(s, {{"id", Op::in, Json::array()}}).empty());
    });
  }

  TEST_CASE("like compares case and ilike folds it, on every backend, with % _ and backslash escapes")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      auto& s = *store;
      using V = std::vector<int64_t>;
      CHECK(user_ids(s, {{"name", Op::like, "ada"}}).empty());
      CHECK(user_ids(s, {{"name", Op::like, "Ada"}}) == V{1});
      CHECK(user_ids(s, {{"name", Op::like, "A%"}}) == V{1, 2});
      CHECK(user_ids(s, {{"name", Op::like, "a%"}}).empty());
      CHECK(user_ids(s, {{"name", Op::like, "Gr_ce"}}) == V{3});
      CHECK(user_ids(s, {{"name", Op::ilike, "ada"}}) == V{1});
      CHECK(user_ids(s, {{"name", Op::ilike, "a%"}}) == V{1, 2});
      CHECK(user_ids(s, {{"name", Op::ilike, "GR_CE"}}) == V{3});
      // Characters special to other pattern languages are literal; a backslash escapes % and _.
      CHECK(user_ids(s, {{"name", Op::like, "*"}}).empty());
      CHECK(user_ids(s, {{"name", Op::like, "[A]da"}}).empty());
      CHECK(user_ids(s, {{"name", Op::like, "A?a"}}).empty());
      CHECK(user_ids(s, {{"name", Op::like, "Ad\\%"}}).empty());
      CHECK(user_ids(s, {{"name", Op::ilike, "ad\\_"}}).empty());
      CallContext ctx;
      s.insert("users", Row{{"name", "50% *off* [sale]"}, {"email", "sale@example.com"}}, {}, ctx);
      CHECK(user_ids(s, {{"name", Op::like, "50\\% *off* [sale]"}}) == V{5});
      CHECK(user_ids(s, {{"name", Op::ilike, "50\\% *OFF*%"}}) == V{5});
    });
  }

  TEST_CASE("and, or, not: nested, values bound, SQL's three-valued logic on every backend")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      auto& s = *store;
      using V = std::vector<int64_t>;
      // ages: 1 Ada 36, 2 Alan 41, 3 Grace NULL, 4 Edsger 72; scores 9.5, NULL, 7.25, 8.0
      CHECK(user_ids(s, {any_of({{"age", Op::eq, 36}, {"age", Op::eq, 41}})}) == V{1, 2});
      CHECK(user_ids(s, {any_of({all_of({{"age", Op::gte, 40}, {"score", Op::is_null, true}}),
                                 {"name", Op::eq, "Grace"}})})
            == V{2, 3});
      // NOT (age >= 40) leaves out the NULL age, as SQL does.
      CHECK(user_ids(s, {none_of({{"age", Op::gte, 40}})}) == V{1});
      // Alan: 41 >= 40 AND NULL > 7.5 is NULL, and NOT NULL is NULL: left out too.
      CHECK(user_ids(s, {none_of({{"age", Op::gte, 40}, {"score", Op::gt, 7.5}})}) == V{1, 3});
      // Top-level conditions are ANDed with a combinator.
      CHECK(user_ids(s, {{"id", Op::lt, 4}, any_of({{"name", Op::ilike, "a%"}, {"age", Op::is_null, true}})})
            == V{1, 2, 3});
      CHECK(user_ids(s, {all_of({{"id", Op::in, Json::array({1, 2, 4})}, none_of({{"name", Op::like, "%n"}})})})
            == V{1, 4});
      // Values inside combinators are bound, never spliced.
      CHECK(user_ids(s, {any_of({{"name", Op::eq, "x' OR 1=1 --"}, {"id", Op::in, Json::array({4})}})}) == V{4});
      CHECK(user_ids(s, {any_of({})}).empty());
      CHECK(user_ids(s, {all_of({})}) == V{1, 2, 3, 4});
      CallContext ctx;
      CHECK(s.count("users", {any_of({{"age", Op::eq, 36}, {"age", Op::eq, 72}})}, std::nullopt, ctx) == 2);
    });
  }

  TEST_CASE("values are data: quotes and SQL in a value match nothing and break nothing")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CHECK(user_ids(*store, {{"name", Op::eq, "Ada' OR '1'='1"}}).empty());
      CHECK(user_ids(*store, {{"email", Op::like, "%'; DROP TABLE users; --"}}).empty());
      CallContext ctx;
      CHECK(store->count("users", {}, std::nullopt, ctx) == 4);
    });
  }

  TEST_CASE("identifiers that are not in the schema never reach SQL")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      for (const std::string name : {"users; DROP TABLE users", "users\" --", "users' OR 1=1"}) {
        CHECK(error_of([&] { store->count(name, {}, std::nullopt, ctx); }).code() == ErrorCode::invalid_argument);
        CHECK(error_of([&] { user_ids(*store, {{name, Op::eq, 1}}); }).code() == ErrorCode::invalid_argument);
        CHECK(error_of([&] { user_ids(*store, {}, {{name, false}}); }).code() == ErrorCode::invalid_argument);
      }
      CHECK(store->count("users", {}, std::nullopt, ctx) == 4);
    });
  }

  TEST_CASE("NULLs sort first ascending and last descending")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      using V = std::vector<int64_t>;
      CHECK(user_ids(*store, {}, {{"age", false}}) == V{3, 1, 2, 4});
      CHECK(user_ids(*store, {}, {{"age", true}}) == V{4, 2, 1, 3});
    });
  }

  TEST_CASE("keyset pagination: rows strictly after the given order values, NULLs included")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      Select query;
      query.table = "users";
      query.columns = {"id"};
      query.order = {{"age", false}, {"id", false}};
      query.after = std::vector<Json>{36, 1};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{2, 4});
      query.after = std::vector<Json>{nullptr, 3};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{1, 2, 4});
      query.order = {{"age", true}, {"id", true}};
      query.after = std::vector<Json>{41, 2};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{1, 3});
      query.after = std::vector<Json>{nullptr, 3};
      CHECK(ids_of(store->select(query, ctx)).empty());
    });
  }

  TEST_CASE("limit, offset and projection")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      Select query;
      query.table = "users";
      query.columns = {"name", "id"};
      query.order = {{"id", false}};
      query.limit = 2;
      query.offset = 1;
      const auto rows = store->select(query, ctx);
      REQUIRE(rows.size() == 2);
      CHECK(rows[0] == Json{{"name", "Alan"}, {"id", 2}});
      CHECK(rows[1]["name"] == "Grace");
    });
  }

  TEST_CASE("contains search is case-insensitive and treats % and _ as text")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      Select query;
      query.table = "posts";
      query.columns = {"id"};
      query.order = {{"id", false}};
      query.search = TextSearch{"ENGINE", {}, false};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{1});
      query.search = TextSearch{"machines", {"title"}, false};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{2});
      query.search = TextSearch{"100%", {}, false};
      CHECK(ids_of(store->select(query, ctx)) == std::vector<int64_t>{3});
      query.search = TextSearch{"0%", {"title"}, false};
      CHECK(store->select(query, ctx).empty());
      query.search = TextSearch{"%", {}, false};
      CHECK(store->count("posts", {}, query.search, ctx) == 1);
    });
  }

  TEST_CASE("count and aggregate with group by")
  {
    for_each_backend([](Database& database) {
      auto store = database.open(false);
      CallContext ctx;
      CHECK(store->count("users", {{"age", Op::gte, 40}}, std::nullopt, ctx) == 2);

      AggregateQuery query;
      query.table = "posts";
      query.group_by = {"author_id"};
      query.aggregates = {{AggregateFn::count, std::nullopt, "count"}};
      const auto groups = store->aggregate(query, ctx);
      REQUIRE(groups.size() == 3);
      CHECK(groups[0]["author_id"] == 1);
      CHECK(groups[0]["count"] == 1);

      AggregateQuery stats;
      stats.table = "users";
      stats.aggregates = {{AggregateFn::count, std::nullopt, "count"},
                          {AggregateFn::min, "age", "min_age"},
                          {AggregateFn::max, "age", "max_age"},
                          {AggregateFn::sum, "age", "sum_age"},
                          {AggregateFn::avg, "score", "avg_score"}};
      const auto totals = store->aggregate(stats, ctx);
      REQUIRE(totals.size() == 1);
      CHECK(totals[0]["count"] == 4);
      CHECK(totals[0]["min_age"] == 36);
      CHECK(totals[0]["max_age"] == 72);
      CHECK(totals[0]["sum_age"].get<double>() == doctest::Approx(149));
      CHECK(totals[0]["avg_score"].get<double>() == doctest::Approx((9.5 + 7.25 + 8.0) / 3));
    });
  }
}
