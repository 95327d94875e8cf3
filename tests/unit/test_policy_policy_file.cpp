// The policy file reader: TOML and JSON, every key, and every kind of bad file refused with one
// line naming the file, the key and (TOML) the line.
#include "policy/policy_file.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::policy;

namespace {

// The message parse_policy throws for `text`, or "" when it parses.
std::string failure(std::string_view text, FileFormat format = FileFormat::toml)
{
  try {
    parse_policy(text, format, "p.toml");
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "";
}

constexpr const char* k_full_toml = R"(default_access = "read"

[tables.users]
access = "read"
hidden_columns = ["password_hash"]
masked_columns = { email = "email", phone = "fixed", ssn = "hash" }
row_filter = { tenant_id = 42, age = { gte = 18 } }
max_affected_rows = 100

[tables.orders]
access = ["read", "insert"]

[tables.audit_log]
access = "hidden"
)";

} // namespace

TEST_SUITE("policy::policy_file")
{
  TEST_CASE("policy_file: a complete TOML file gives every key")
  {
    const Policy policy = parse_policy(k_full_toml, FileFormat::toml, "p.toml");
    CHECK(policy.source == "p.toml");
    CHECK(policy.default_access == Access::read_only());
    REQUIRE(policy.tables.size() == 3);
    const TablePolicy* users = policy.find("users");
    REQUIRE(users);
    CHECK(*users->access == Access::read_only());
    CHECK(users->hidden_columns == std::vector<std::string>{"password_hash"});
    REQUIRE(users->masked_columns.size() == 3);
    CHECK(policy.mask_of("users", "email") == Mask::email);
    CHECK(policy.mask_of("users", "phone") == Mask::fixed);
    CHECK(policy.mask_of("users", "ssn") == Mask::hash);
    CHECK_FALSE(policy.mask_of("users", "name"));
    // TOML tables come sorted by key: compare as unordered JSON objects.
    CHECK(nlohmann::json::parse(users->row_filter.dump()) == nlohmann::json::parse(R"({"tenant_id": 42, "age": {"gte": 18}})"));
    CHECK(users->max_affected_rows == 100);
    CHECK(policy.hidden_column("users", "password_hash"));
    CHECK(policy.hidden_column("USERS", "password_hash")); // table names ignore case
    CHECK(policy.access_of("orders") == Access{.read = true, .insert = true});
    CHECK(policy.access_of("audit_log").is_hidden());
    CHECK(policy.access_of("anything_else") == Access::read_only());
  }

  TEST_CASE("policy_file: the same keys in JSON give the same policy, and the fingerprint follows the content")
  {
    const std::string json = R"({"default_access": "read", "tables": {
      "users": {"access": "read", "hidden_columns": ["password_hash"],
                "masked_columns": {"email": "email", "phone": "fixed", "ssn": "hash"},
                "row_filter": {"tenant_id": 42, "age": {"gte": 18}}, "max_affected_rows": 100},
      "orders": {"access": ["read", "insert"]}, "audit_log": {"access": "hidden"}}})";
    const Policy from_json = parse_policy(json, FileFormat::json, "p.json");
    const Policy from_toml = parse_policy(k_full_toml, FileFormat::toml, "p.toml");
    CHECK(from_json.access_of("orders") == from_toml.access_of("orders"));
    CHECK(nlohmann::json::parse(from_json.find("users")->row_filter.dump())
          == nlohmann::json::parse(from_toml.find("users")->row_filter.dump()));
    Policy other = from_toml;
    other.read_only = true;
    CHECK(other.fingerprint() != from_toml.fingerprint());
    CHECK(other.access_of("users") == Access::read_only());
  }

  TEST_CASE("policy_file: the format comes from the name, else from the first character")
  {
    CHECK(detect_format("a.json", "x = 1") == FileFormat::json);
    CHECK(detect_format("a.toml", "{") == FileFormat::toml);
    CHECK(detect_format("policy", "  \n{\"tables\": {}}") == FileFormat::json);
    CHECK(detect_format("policy", "default_access = \"read\"") == FileFormat::toml);
  }

  TEST_CASE("policy_file: an empty file is the default policy (every table writable)")
  {
    const Policy policy = parse_policy("", FileFormat::toml, "p.toml");
    CHECK(policy.access_of("users") == Access::read_write());
  }

  TEST_CASE("policy_file: bad files are refused naming the file, the key and the line")
  {
    SUBCASE("TOML syntax")
    {
      const auto message = failure("default_access = \n");
      CHECK(message.find("p.toml: line 1: not valid TOML") == 0);
    }
    SUBCASE("JSON syntax")
    {
      CHECK(failure("{\"tables\": ", FileFormat::json).find("p.toml: not valid JSON") == 0);
    }
    SUBCASE("an unknown top-level key")
    {
      CHECK(failure("\n\ndefault_acess = \"read\"\n") == "p.toml: line 3: default_acess: unknown key (the keys are "
                                                         "default_access and tables)");
    }
    SUBCASE("an unknown table key")
    {
      const auto message = failure("[tables.users]\naccess = \"read\"\nhiden_columns = [\"a\"]\n");
      CHECK(message.find("p.toml: line 3: tables.users.hiden_columns: unknown key") == 0);
    }
    SUBCASE("a bad access value")
    {
      const auto message = failure("[tables.users]\naccess = \"reed\"\n");
      CHECK(message.find("p.toml: line 2: tables.users.access: expected \"read\", \"write\", \"hidden\"") == 0);
      CHECK(message.find("\"reed\"") != std::string::npos);
    }
    SUBCASE("a bad default_access (no lists there)")
    {
      CHECK(failure("default_access = [\"read\"]\n").find("p.toml: line 1: default_access: expected") == 0);
    }
    SUBCASE("an unknown operation, a repeated one, an empty list")
    {
      CHECK(failure("[tables.t]\naccess = [\"read\", \"drop\"]\n").find("tables.t.access[1]: expected an operation")
            != std::string::npos);
      CHECK(failure("[tables.t]\naccess = [\"read\", \"read\"]\n").find("listed twice") != std::string::npos);
      CHECK(failure("[tables.t]\naccess = []\n").find("an empty list of operations") != std::string::npos);
    }
    SUBCASE("a bad mask")
    {
      const auto message = failure("[tables.t]\nmasked_columns = { email = \"blur\" }\n");
      CHECK(message.find("p.toml: line 2: tables.t.masked_columns.email: expected \"email\", \"fixed\" or \"hash\"")
            == 0);
    }
    SUBCASE("hidden_columns that is not a list of names")
    {
      CHECK(failure("[tables.t]\nhidden_columns = \"a\"\n").find("tables.t.hidden_columns: expected a list")
            != std::string::npos);
      CHECK(failure("[tables.t]\nhidden_columns = [1]\n").find("tables.t.hidden_columns[0]: expected a column name")
            != std::string::npos);
    }
    SUBCASE("a column both hidden and masked")
    {
      CHECK(failure("[tables.t]\nhidden_columns = [\"a\"]\nmasked_columns = { a = \"fixed\" }\n")
                .find("both hidden and masked") != std::string::npos);
    }
    SUBCASE("a row filter that is not a filter")
    {
      CHECK(failure("[tables.t]\nrow_filter = 42\n").find("p.toml: line 2: tables.t.row_filter: expected a non-empty")
            == 0);
      CHECK(failure("[tables.t]\nrow_filter = {}\n").find("tables.t.row_filter") != std::string::npos);
    }
    SUBCASE("a bad max_affected_rows")
    {
      CHECK(failure("[tables.t]\nmax_affected_rows = -1\n").find("tables.t.max_affected_rows: expected a whole number")
            != std::string::npos);
      CHECK(failure("[tables.t]\nmax_affected_rows = \"10\"\n").find("tables.t.max_affected_rows")
            != std::string::npos);
    }
    SUBCASE("tables that is not a table, a table that is not a table")
    {
      CHECK(failure("tables = 1\n").find("p.toml: line 1: tables: expected a table of tables") == 0);
      CHECK(failure(R"({"tables": {"t": 1}})", FileFormat::json).find("p.toml: tables.t: expected a table") == 0);
    }
    SUBCASE("a JSON document that is not an object")
    {
      CHECK(failure("[1]", FileFormat::json).find("the policy must be an object") != std::string::npos);
    }
  }

  TEST_CASE("policy_file: a missing file is refused naming it")
  {
    CHECK_THROWS_WITH_AS(load_policy_file("/nonexistent/p.toml"), "/nonexistent/p.toml: cannot read the policy file",
                         PolicyError);
  }

  TEST_CASE("policy_file: merged_visibility hides what the policy or the flags hide")
  {
    const Policy policy = parse_policy(k_full_toml, FileFormat::toml, "p.toml");
    const store::Visibility merged = merged_visibility(policy, {{}, {"secrets"}});
    CHECK(merged.visible("users"));
    CHECK_FALSE(merged.visible("audit_log"));
    CHECK_FALSE(merged.visible("secrets"));
    Policy closed = parse_policy("default_access = \"hidden\"\n[tables.users]\naccess = \"read\"\n", FileFormat::toml,
                                 "p.toml");
    const store::Visibility only = merged_visibility(closed, {});
    CHECK(only.visible("users"));
    CHECK_FALSE(only.visible("orders"));
    const store::Visibility none = merged_visibility(parse_policy("default_access = \"hidden\"", FileFormat::toml, "p"),
                                                     {});
    CHECK_FALSE(none.visible("users"));
    CHECK_FALSE(merged_visibility(closed, {{"orders"}, {}}).visible("users")); // --tables orders narrows it further
  }
}
