#include "store/errors.hpp"
#include "tools/query_parser.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using store::Op;

namespace {

store::TableInfo users_table()
{
  store::TableInfo table;
  table.name = "users";
  table.columns = {{"id", "INTEGER", store::ValueKind::integer, false, std::nullopt, true},
                   {"email", "TEXT", store::ValueKind::text, false, std::nullopt, false},
                   {"age", "INTEGER", store::ValueKind::integer, true, std::nullopt, false},
                   {"score", "REAL", store::ValueKind::real, true, std::nullopt, false}};
  table.primary_key = {"id"};
  return table;
}

std::string error_of(const std::function<void()>& action)
{
  try {
    action();
  } catch (const store::StoreError& e) {
    CHECK(e.code() == store::ErrorCode::invalid_argument);
    return e.what();
  }
  FAIL("expected invalid_argument");
  return "";
}

} // namespace

TEST_SUITE("tools::query_parser")
{
  TEST_CASE("parse_where: equality, operators and null")
  {
    const auto table = users_table();
    const auto filter = tools::parse_where(Json::parse(R"({"email": "a@b.c", "age": {"gte": 18, "lt": 65},
                                                            "id": {"in": [1, 2]}, "score": null})"),
                                           table);
    REQUIRE(filter.size() == 5);
    CHECK(filter[0].column == "email");
    CHECK(filter[0].op == Op::eq);
    CHECK(filter[1].op == Op::gte);
    CHECK(filter[2].op == Op::lt);
    CHECK(filter[3].op == Op::in);
    CHECK(filter[4].op == Op::eq);
    CHECK(filter[4].value.is_null());
  }

  TEST_CASE("parse_where: and, or, not nest; unknown keys and bad operands name what is allowed")
  {
    const auto table = users_table();
    const auto filter = tools::parse_where(
        Json::parse(R"({"age": {"gte": 18}, "or": [{"email": "a"}, {"not": {"email": {"like": "%x"}}}]})"), table);
    REQUIRE(filter.size() == 2);
    CHECK(filter[1].op == store::Op::any_of);
    REQUIRE(filter[1].children.size() == 2);
    CHECK(filter[1].children[0].op == store::Op::all_of);
    CHECK(filter[1].children[0].children[0].column == "email");
    const auto& negated = filter[1].children[1].children[0];
    CHECK(negated.op == store::Op::none_of);
    CHECK(negated.children[0].op == store::Op::like);

    const auto unknown = error_of([&] { tools::parse_where(Json::parse(R"({"xor": [{"age": 1}]})"), table); });
    CHECK(unknown.find("and, or, not") != std::string::npos);
    const auto bad_op = error_of([&] { tools::parse_where(Json::parse(R"({"age": {"or": [1]}})"), table); });
    CHECK(bad_op.find("eq ne lt") != std::string::npos);
    const auto not_list = error_of([&] { tools::parse_where(Json::parse(R"({"or": {"age": 1}})"), table); });
    CHECK(not_list.find("non-empty list") != std::string::npos);
    const auto bad_not = error_of([&] { tools::parse_where(Json::parse(R"({"not": [{"age": 1}]})"), table); });
    CHECK(bad_not.find("one condition object") != std::string::npos);
    error_of([&] { tools::parse_where(Json::parse(R"({"or": [{"nope": 1}]})"), table); });
    std::string deep = R"({"age": 1})";
    for (int i = 0; i < 20; ++i) {
      deep = R"({"not": )" + deep + "}";
    }
    CHECK(error_of([&] { tools::parse_where(Json::parse(deep), table); }).find("deeper") != std::string::npos);
  }

  TEST_CASE("parse_where: unknown column suggests the close one")
  {
    const auto table = users_table();
    const auto message = error_of([&] { tools::parse_where(Json::parse(R"({"emial": "x"})"), table); });
    CHECK(message == "unknown column 'emial' in users; did you mean 'email'? (the keys of 'where' are columns or the combinators and, or, not)");
  }

  TEST_CASE("parse_where: injection attempts in keys are rejected, not spliced")
  {
    const auto table = users_table();
    error_of([&] { tools::parse_where(Json::parse(R"({"id = 1 OR 1=1 --": 1})"), table); });
    error_of([&] { tools::parse_where(Json::parse(R"({"id\"; DROP TABLE users; --": 1})"), table); });
    error_of([&] { tools::parse_where(Json::parse(R"({"id": {"eq; DROP TABLE users": 1}})"), table); });
  }

  TEST_CASE("parse_where: wrong value types name the column and the expectation")
  {
    const auto table = users_table();
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"age": "abc"})"), table); })
          == "users.age expects an integer (INTEGER), got \"abc\"");
    // A number column takes a number written as text (an exact DECIMAL), and nothing else as text.
    CHECK_NOTHROW(tools::parse_where(Json::parse(R"({"score": {"gte": "14.50", "lt": "-1e3"}})"), table));
    CHECK_NOTHROW(tools::check_row(Json::parse(R"({"score": "12345678901234567890.0123456789"})"), table));
    for (const char* text : {"abc", "1.2.3", "", "-", ".", "1e", "12,5", " 1", "0x10", "nan"}) {
      CAPTURE(text);
      CHECK(error_of([&] { tools::check_row(Json{{"score", text}}, table); }).find("users.score expects a number (REAL)")
            == 0);
    }
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"age": {"in": 3}})"), table); })
          == "age: 'in' takes a list of values");
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"age": {"is_null": 1}})"), table); })
          == "age: 'is_null' takes true or false");
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"age": {"between": [1, 2]}})"), table); }).find(
              "unknown operator 'between'")
          == 0);
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"age": {"gt": null}})"), table); })
          == "age: 'gt' cannot compare with null; use is_null");
    error_of([&] { tools::parse_where(Json::parse(R"([1, 2])"), table); });
  }

  TEST_CASE("parse_order_by: the accepted spellings")
  {
    const auto table = users_table();
    const auto order = tools::parse_order_by(Json::parse(R"(["age", "-email", "score desc", {"column": "id",
                                                            "direction": "ASC"}])"),
                                             table);
    REQUIRE(order.size() == 4);
    CHECK_FALSE(order[0].descending);
    CHECK(order[1].descending);
    CHECK(order[1].column == "email");
    CHECK(order[2].descending);
    CHECK(order[2].column == "score");
    CHECK_FALSE(order[3].descending);
    error_of([&] { tools::parse_order_by(Json("age; DROP TABLE users"), table); });
    error_of([&] { tools::parse_order_by(Json("age sideways"), table); });
  }

  TEST_CASE("check_row: columns must exist and values fit, with a prefix naming the row")
  {
    const auto table = users_table();
    tools::check_row(Json::parse(R"({"email": "a@b.c", "age": 30, "score": 1.5})"), table);
    CHECK(error_of([&] { tools::check_row(Json::parse(R"({"mail": "x"})"), table, "row 7: "); })
          == "row 7: unknown column 'mail' in users; did you mean 'email'?");
    CHECK(error_of([&] { tools::check_row(Json::parse(R"({"age": [1]})"), table); }).find("takes a single value")
          != std::string::npos);
    CHECK(error_of([&] { tools::check_row(Json::parse(R"({"age": 1.5})"), table); }).find("expects an integer")
          != std::string::npos);
  }

  TEST_CASE("check_row: a JSON column takes objects and arrays; filters and other columns still refuse them")
  {
    auto table = users_table();
    table.columns.push_back({"profile", "jsonb", store::ValueKind::other, true, std::nullopt, false});
    table.columns.push_back({"tags", "JSON", store::ValueKind::other, true, std::nullopt, false});
    table.columns.push_back({"blob", "json_like", store::ValueKind::text, true, std::nullopt, false});
    tools::check_row(Json::parse(R"({"profile": {"a": [1, {"b": null}]}, "tags": ["x", "y"]})"), table);
    CHECK(store::is_json_column(*table.find_column("tags")));
    CHECK_FALSE(store::is_json_column(*table.find_column("blob")));
    CHECK(error_of([&] { tools::check_row(Json::parse(R"({"blob": {"a": 1}})"), table); }).find("takes a single value")
          != std::string::npos);
    CHECK(error_of([&] { tools::parse_where(Json::parse(R"({"profile": {"eq": {"a": 1}}})"), table); })
              .find("single value") != std::string::npos);
  }

  TEST_CASE("parse_key: id, key, composite keys and tables without a key")
  {
    auto table = users_table();
    const Json id = 42;
    const auto key = tools::parse_key(&id, nullptr, table);
    REQUIRE(key.size() == 1);
    CHECK(tools::describe_key(key) == "42");
    error_of([&] { tools::parse_key(nullptr, nullptr, table); });

    table.primary_key = {"id", "email"};
    CHECK(error_of([&] { tools::parse_key(&id, nullptr, table); }).find("composite primary key") != std::string::npos);
    const Json composite = Json::parse(R"({"id": 1, "email": "a@b.c"})");
    CHECK(tools::describe_key(tools::parse_key(nullptr, &composite, table)) == "(1, 'a@b.c')");
    const Json partial = Json::parse(R"({"id": 1})");
    CHECK(error_of([&] { tools::parse_key(nullptr, &partial, table); })
          == "'key' is missing primary key column 'email'");

    table.primary_key.clear();
    CHECK(error_of([&] { tools::parse_key(&id, nullptr, table); }).find("has no primary key") != std::string::npos);
  }
}
