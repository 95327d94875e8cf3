// Masks, the row filter evaluated in memory, and the audit trail's masked arguments.
#include "policy/argument_masking.hpp"
#include "policy/masking.hpp"
#include "policy/policy_file.hpp"
#include "policy/row_filter.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::policy;

TEST_SUITE("policy::masking")
{
  TEST_CASE("masking: email keeps the first character and the domain")
  {
    CHECK(mask_value("alice@example.com", Mask::email) == "a***@example.com");
    CHECK(mask_value("é@x.org", Mask::email) == "***@x.org"); // a one-character local part shows nothing of it
    CHECK(mask_value("élodie@x.org", Mask::email) == "é***@x.org");
    CHECK(mask_value("not an address", Mask::email) == "***");
    CHECK(mask_value("@example.com", Mask::email) == "***");
    CHECK(mask_value("a@", Mask::email) == "***");
    CHECK(mask_value(42, Mask::email) == "***");
  }

  TEST_CASE("masking: fixed and hash; NULL stays NULL")
  {
    CHECK(mask_value("secret", Mask::fixed) == "***");
    CHECK(mask_value(12345, Mask::fixed) == "***");
    CHECK(mask_value("abc", Mask::hash) == "sha256:ba7816bf8f01cfea"); // FIPS 180-4's "abc"
    CHECK(mask_value(42, Mask::hash) == mask_value("42", Mask::hash));
    CHECK(mask_value("abd", Mask::hash) != mask_value("abc", Mask::hash));
    for (const Mask mask : {Mask::email, Mask::fixed, Mask::hash}) {
      CHECK(mask_value(nullptr, mask).is_null());
    }
  }

  TEST_CASE("row_filter: evaluate decides as the database would, and says when it cannot")
  {
    const auto condition = [](std::string column, store::Op op, Json value) {
      return store::Condition{.column = std::move(column), .op = op, .value = std::move(value)};
    };
    const Json row{{"tenant_id", 42}, {"age", 20}, {"name", "Ann"}, {"gone", nullptr}};
    CHECK(evaluate(condition("tenant_id", store::Op::eq, 42), row) == true);
    CHECK(evaluate(condition("tenant_id", store::Op::eq, 43), row) == false);
    CHECK(evaluate(condition("age", store::Op::gte, 18), row) == true);
    CHECK(evaluate(condition("age", store::Op::lt, 18.5), row) == false);
    CHECK(evaluate(condition("name", store::Op::in, Json::array({"Ann", "Bo"})), row) == true);
    CHECK(evaluate(condition("name", store::Op::not_in, Json::array({"Ann"})), row) == false);
    CHECK(evaluate(condition("name", store::Op::ilike, "a%"), row) == true);
    CHECK(evaluate(condition("name", store::Op::like, "a%"), row) == false);
    CHECK(evaluate(condition("gone", store::Op::is_null, true), row) == true);
    CHECK(evaluate(condition("gone", store::Op::eq, 1), row) == false);
    CHECK_FALSE(evaluate(condition("missing", store::Op::eq, 1), row).has_value());
    CHECK_FALSE(evaluate(condition("name", store::Op::gt, 3), row).has_value()); // text against a number
    store::Condition any{.column = "or", .op = store::Op::any_of};
    any.children = {condition("tenant_id", store::Op::eq, 1), condition("age", store::Op::eq, 20)};
    CHECK(evaluate(any, row) == true);
    CHECK(describe(store::Filter{condition("tenant_id", store::Op::eq, 42), condition("age", store::Op::gte, 18)})
          == "tenant_id = 42 AND age >= 18");
  }

  TEST_CASE("argument_masking: values of masked columns are masked wherever the arguments carry them")
  {
    const Policy policy = parse_policy(
        "[tables.users]\nmasked_columns = { email = \"email\" }\n[tables.posts]\nmasked_columns = { body = \"fixed\" }\n",
        FileFormat::toml, "p.toml");
    const Json arguments = Json::parse(R"({"table": "users", "record": {"name": "Ann", "email": "ann@x.org"},
      "where": {"email": {"in": ["bob@y.org"]}}, "columns": ["email"],
      "related": {"posts": [{"title": "t", "body": "secret"}]}})");
    const Json masked = mask_arguments(policy, arguments);
    CHECK(masked["record"]["email"] == "a***@x.org");
    CHECK(masked["record"]["name"] == "Ann");
    CHECK(masked["where"]["email"]["in"][0] == "b***@y.org");
    CHECK(masked["columns"][0] == "email"); // a name, not a value
    CHECK(masked["related"]["posts"][0]["body"] == "***");
    CHECK(masked["related"]["posts"][0]["title"] == "t");
    CHECK(mask_arguments(policy, Json{{"table", "other"}, {"email", "x@y.z"}})["email"] == "x@y.z");
  }
}
