// Mapping PostgreSQL errors to the store's taxonomy, and the value conversions (no server).
#include "backends/postgres/pg_errors.hpp"
#include "backends/postgres/pg_values.hpp"
#include "backends/sql/batch_insert.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::backends::postgres;
using store::ErrorCode;

namespace {

using backends::sql::ErrorScope;

backends::sql::Catalog constraints()
{
  backends::sql::Catalog catalog;
  auto& map = catalog.constraints;
  map["users_age_check"] = {"users", {"age"}, "age >= 0 AND age <= 150", "", {}};
  map["users_email_key"] = {"users", {"email"}, "", "", {}};
  map["posts_author_id_fkey"] = {"posts", {"author_id"}, "", "users", {"id"}};
  return catalog;
}

ErrorScope scope_for(const std::string& table, const backends::sql::Catalog& catalog)
{
  ErrorScope scope;
  scope.catalog = &catalog;
  scope.table = table;
  return scope;
}

} // namespace

TEST_SUITE("backends::postgres::errors")
{
  TEST_CASE("map_sql_error: unique violation names the column, the value and the table")
  {
    const auto map = constraints();
    const auto error = map_sql_error("23505",
                                     "ERROR:  duplicate key value violates unique constraint \"users_email_key\"\n"
                                     "DETAIL:  Key (email)=(a@b.c) already exists.\n",
                                     scope_for("users", map));
    CHECK(error.code() == ErrorCode::unique_violation);
    CHECK(std::string(error.what()) == "email 'a@b.c' already exists in users (unique)");
    CHECK(error.details()["constraint"] == "users_email_key");

    const auto composite = map_sql_error("23505",
                                         "ERROR:  duplicate key value violates unique constraint \"e_pkey\"\n"
                                         "DETAIL:  Key (student, course)=(1, maths) already exists.\n",
                                         scope_for("enrolments", map));
    CHECK(std::string(composite.what()) == "student 1, course 'maths' already exists in enrolments (unique)");
  }

  TEST_CASE("map_sql_error: check violation quotes the constraint's definition")
  {
    const auto map = constraints();
    const auto error = map_sql_error("23514",
                                     "ERROR:  new row for relation \"users\" violates check constraint "
                                     "\"users_age_check\"\nDETAIL:  Failing row contains (1, x, 200).\n",
                                     scope_for("users", map));
    CHECK(error.code() == ErrorCode::check_violation);
    CHECK(std::string(error.what()) == "age violates CHECK (age >= 0 AND age <= 150)");
    const auto unknown = map_sql_error("23514",
                                       "ERROR:  new row for relation \"t\" violates check constraint \"c1\"\n",
                                       scope_for("t", map));
    CHECK(std::string(unknown.what()) == "a row of t violates CHECK constraint c1");
  }

  TEST_CASE("map_sql_error: foreign key violations in both directions")
  {
    const auto map = constraints();
    const auto missing = map_sql_error(
        "23503",
        "ERROR:  insert or update on table \"posts\" violates foreign key constraint \"posts_author_id_fkey\"\n"
        "DETAIL:  Key (author_id)=(99) is not present in table \"users\".\n",
        scope_for("posts", map));
    CHECK(missing.code() == ErrorCode::foreign_key_violation);
    CHECK(std::string(missing.what()) == "posts.author_id 99 has no matching users.id");
    const auto referenced = map_sql_error(
        "23503",
        "ERROR:  update or delete on table \"users\" violates foreign key constraint \"posts_author_id_fkey\" on "
        "table \"posts\"\nDETAIL:  Key (id)=(1) is still referenced from table \"posts\".\n",
        scope_for("users", map));
    CHECK(std::string(referenced.what()) == "users.id 1 is still referenced from posts.author_id");
  }

  TEST_CASE("map_sql_error: not null, timeout, read-only, connection and invalid input")
  {
    const auto map = constraints();
    const auto not_null = map_sql_error(
        "23502", "ERROR:  null value in column \"name\" of relation \"users\" violates not-null constraint\n",
        scope_for("users", map));
    CHECK(not_null.code() == ErrorCode::not_null_violation);
    CHECK(std::string(not_null.what()) == "users.name must not be null");

    ErrorScope timed = scope_for("users", map);
    const auto timeout = map_sql_error("57014", "ERROR:  canceling statement due to statement timeout\n", timed,
                                       std::chrono::milliseconds(1000));
    CHECK(timeout.code() == ErrorCode::timeout);
    CHECK(std::string(timeout.what()).find("(1s)") != std::string::npos);

    CHECK(map_sql_error("25006", "ERROR:  cannot execute INSERT in a read-only transaction\n", timed).code()
          == ErrorCode::read_only);
    CHECK(map_sql_error("08006", "server closed the connection unexpectedly", timed).code()
          == ErrorCode::unavailable);

    ErrorScope bound = scope_for("users", map);
    bound.bound = {{"name", std::string("abc")}, {"age", std::string("abc")}};
    bound.bound[0].second = "Ada";
    const auto invalid =
        map_sql_error("22P02", "ERROR:  invalid input syntax for type integer: \"abc\"\n", bound);
    CHECK(invalid.code() == ErrorCode::invalid_argument);
    CHECK(std::string(invalid.what()) == "age: invalid input syntax for type integer: \"abc\"");

    const auto copy = map_sql_error("22P02",
                                    "ERROR:  invalid input syntax for type integer: \"x\"\n"
                                    "CONTEXT:  COPY users, line 3, column age: \"x\"\n",
                                    scope_for("users", map));
    CHECK(std::string(copy.what()) == "age: invalid input syntax for type integer: \"x\"");
  }

  TEST_CASE("map_sql_error: a batch row is named in the message and the details")
  {
    const auto map = constraints();
    ErrorScope scope = scope_for("users", map);
    const auto error = backends::sql::at_row(
        map_sql_error("23505",
                      "ERROR:  duplicate key value violates unique constraint \"users_email_key\"\n"
                      "DETAIL:  Key (email)=(x@y.z) already exists.\n",
                      scope),
        5012);
    CHECK(std::string(error.what()) == "row 5012: email 'x@y.z' already exists in users (unique)");
    CHECK(error.details()["row"] == 5012);
  }

  TEST_CASE("parse_server_message and copy_line")
  {
    const auto message = parse_server_message("ERROR:  boom\nDETAIL:  why\nHINT:  try\nCONTEXT:  COPY t, line 12, "
                                              "column a: \"x\"\n");
    CHECK(message.primary == "boom");
    CHECK(message.detail == "why");
    CHECK(message.context == "COPY t, line 12, column a: \"x\"");
    CHECK(copy_line(message.context) == 12);
    CHECK_FALSE(copy_line("SQL statement \"…\"").has_value());
  }

  TEST_CASE("simplify_expression: drops only redundant parentheses")
  {
    CHECK(simplify_expression("(((age >= 0) AND (age <= 150)))") == "age >= 0 AND age <= 150");
    CHECK(simplify_expression("(((x > 1) OR (x < '-1'::integer)) AND (x <> 5))")
          == "(x > 1 OR x < '-1'::integer) AND x <> 5");
    CHECK(simplify_expression("(status = ANY (ARRAY['a'::text, 'b'::text]))")
          == "status = ANY (ARRAY['a'::text, 'b'::text])");
    CHECK(simplify_expression("((a + 1) * 2 > length(b))") == "(a + 1) * 2 > length(b)");
    CHECK(simplify_expression("(name <> '(x)')") == "name <> '(x)'");
  }
}

TEST_SUITE("backends::postgres::values")
{
  TEST_CASE("to_param: JSON values as PostgreSQL text input")
  {
    CHECK_FALSE(to_param(Json(nullptr)).has_value());
    CHECK(to_param(Json(true)) == "true");
    CHECK(to_param(Json(false)) == "false");
    CHECK(to_param(Json(42)) == "42");
    CHECK(to_param(Json(-7)) == "-7");
    CHECK(to_param(Json(1.5)) == "1.5");
    CHECK(to_param(Json(0.1)) == "0.1");
    CHECK(to_param(Json("it's")) == "it's");
    CHECK(to_param(Json::parse(R"({"a":[1,2]})")) == R"({"a":[1,2]})");
    store::Column blob;
    blob.name = "data";
    blob.kind = store::ValueKind::blob;
    CHECK(to_param(Json("AAH/"), blob) == "\\x0001ff");
    CHECK_THROWS_AS(to_param(Json("not base64!"), blob), store::StoreError);
  }

  TEST_CASE("from_text: result text by type OID")
  {
    CHECK(from_text("42", 23) == 42);
    CHECK(from_text("-9000000000", 20) == -9000000000LL);
    CHECK(from_text("1.5", 701) == 1.5);
    CHECK(from_text("t", 16) == true);
    CHECK(from_text("f", 16) == false);
    CHECK(from_text("19.99", 1700) == 19.99);
    CHECK(from_text("12", 1700) == 12);
    CHECK(from_text("12345678901234567890.123456", 1700) == "12345678901234567890.123456");
    CHECK(from_text("NaN", 1700) == "NaN");
    CHECK(from_text(R"({"k": [1, "x"]})", 3802) == Json::parse(R"({"k":[1,"x"]})"));
    CHECK(from_text("\\x0001ff", 17) == Json{{"$base64", "AAH/"}, {"bytes", 3}});
    CHECK(from_text("2024-01-02 03:04:05+00", 1184) == "2024-01-02 03:04:05+00");
  }

  TEST_CASE("append_copy_field: COPY text of each kind of value, escaped")
  {
    const store::Column text{.name = "t", .type = "text", .kind = store::ValueKind::text};
    const store::Column number{.name = "n", .type = "int8", .kind = store::ValueKind::integer};
    const store::Column document{.name = "j", .type = "jsonb", .kind = store::ValueKind::other};
    const store::Column bytes{.name = "b", .type = "bytea", .kind = store::ValueKind::blob};
    const auto field = [](const Json& value, const store::Column& column) {
      std::string line;
      append_copy_field(line, value, column);
      return line;
    };
    CHECK(field("a\tb\nc\\d\r", text) == "a\\tb\\nc\\\\d\\r");
    CHECK(field(nullptr, text) == "\\N");
    CHECK(field(-42, number) == "-42");
    CHECK(field(18446744073709551615ULL, number) == "18446744073709551615");
    CHECK(field(true, text) == "true");
    CHECK(field("x\ty", document) == "\"x\\\\ty\""); // a JSON string, its escape escaped again
    CHECK(field(7, document) == "7");
    CHECK(field(nullptr, document) == "\\N");
    CHECK(field("AAH/", bytes) == "\\\\x0001ff");
  }
}
