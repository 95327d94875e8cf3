// The access policy (--policy, issue 16) through the built binary on SQLite: hidden tables and
// columns are unknown ones, masked columns are masked and cannot be filtered on, the row filter
// confines reads and writes, per-table access and write limits, `dbmcp policy check`, `dbmcp
// config`, a bad file at start-up, and --read-only / --exclude-tables combined with a policy.
#include "support/access_policy_scenarios.hpp"
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, name TEXT NOT NULL, email TEXT,
                    password_hash TEXT, age INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, user_id INTEGER REFERENCES users(id),
                     total REAL, status TEXT);
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, label TEXT, api_secret TEXT NOT NULL CHECK (length(api_secret) > 3));
INSERT INTO users VALUES (1, 42, 'Ann', 'ann@example.com', 'hash-ann', 30), (2, 42, 'Bob', 'bob@example.com', 'hash-bob', 17),
                         (3, 7, 'Cyd', 'cyd@other.org', 'hash-cyd', 40);
INSERT INTO orders VALUES (1, 42, 1, 10.0, 'new'), (2, 42, 2, 20.0, 'new'), (3, 7, 3, 30.0, 'new');
INSERT INTO audit_log VALUES (1, 'secret event');
INSERT INTO notes VALUES (1, 'a note');
)sql";

constexpr const char* k_policy = R"(default_access = "read"

[tables.users]
access = "write"
hidden_columns = ["password_hash"]
masked_columns = { email = "email" }
row_filter = { tenant_id = 42 }

[tables.orders]
access = ["read", "insert", "update"]
hidden_columns = ["tenant_id"]
row_filter = { tenant_id = 42 }
max_affected_rows = 1

[tables.audit_log]
access = "hidden"

[tables.accounts]
access = "write"
hidden_columns = ["api_secret"]
)";

// A fresh database with k_schema, made by the binary under test.
std::string policy_database(const std::string& name)
{
  const std::string path = temp_dir() + "/" + name;
  const auto init = run_dbmcp({"--db", path, "init", "--schema", scenario_file(name + ".sql", k_schema)});
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  return path;
}

// The rows of `table` as stored, read without a policy.
Json stored_rows(const std::string& db, const std::string& table)
{
  const auto read = run_dbmcp({"--db", db, "call", "list_records", Json{{"table", table}, {"limit", 100}}.dump()});
  REQUIRE_MESSAGE(read.exit_code == 0, read.err);
  return Json::parse(read.out)["rows"];
}

std::vector<std::string> names_of(const Json& list, const std::string& key = "name")
{
  std::vector<std::string> names;
  for (const auto& item : list) {
    names.push_back(item[key].get<std::string>());
  }
  return names;
}

} // namespace

TEST_SUITE("e2e: access policy")
{
  TEST_CASE("policy: hidden tables and columns are unknown ones, everywhere")
  {
    const std::string db = policy_database("hidden.db");
    McpClient client({"--db", db, "--policy", scenario_file("p.toml", k_policy)});
    const Json tables = client.call_ok("list_tables", Json::object());
    CHECK(names_of(tables["tables"]) == std::vector<std::string>{"accounts", "notes", "orders", "users"});
    const Json users = client.call_ok("describe_table", {{"table", "users"}});
    const auto columns = names_of(users["columns"]);
    CHECK(std::find(columns.begin(), columns.end(), "password_hash") == columns.end());
    CHECK(std::find(columns.begin(), columns.end(), "email") != columns.end());
    CHECK(users.dump().find("password_hash") == std::string::npos);

    // A hidden table answers as a table that does not exist, and is never suggested.
    const Json hidden = client.call_error("describe_table", {{"table", "audit_log"}});
    const Json unknown = client.call_error("describe_table", {{"table", "no_such_table"}});
    CHECK(hidden["code"] == unknown["code"]);
    CHECK(hidden["message"].get<std::string>().find("unknown table 'audit_log'") != std::string::npos);
    CHECK(client.call_error("list_records", {{"table", "audit_lo"}}).dump().find("audit_log") == std::string::npos);

    // A hidden column answers as a column that does not exist, and is never suggested.
    const Json hidden_column = client.call_error("list_records", {{"table", "users"}, {"where", {{"password_hash", "x"}}}});
    const Json unknown_column = client.call_error("list_records", {{"table", "users"}, {"where", {{"no_such", "x"}}}});
    CHECK(hidden_column["code"] == unknown_column["code"]);
    CHECK(hidden_column["message"].get<std::string>().find("unknown column 'password_hash'") != std::string::npos);
    CHECK(client.call_error("list_records", {{"table", "users"}, {"order_by", "password_has"}})
              .dump()
              .find("password_hash")
          == std::string::npos);
    // A database error that would name a hidden column is reworded without it.
    const Json not_null = client.call_error("insert_record", {{"table", "accounts"}, {"record", {{"label", "a"}}}});
    CHECK(not_null["code"] == "not_null_violation");
    CHECK(not_null.dump().find("api_secret") == std::string::npos);
    CHECK(not_null["message"].get<std::string>().find("hidden by the access policy") != std::string::npos);
    CHECK(client.call_ok("describe_table", {{"table", "accounts"}}).dump().find("api_secret") == std::string::npos);
    CHECK(client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"password_hash", "h"}}}})
              ["message"]
              .get<std::string>()
              .find("unknown column")
          != std::string::npos);
  }

  TEST_CASE("policy: masked columns are masked and cannot be filtered, sorted, searched or aggregated on")
  {
    const std::string db = policy_database("masked.db");
    McpClient client({"--db", db, "--policy", scenario_file("p.toml", k_policy)});
    const Json page = client.call_ok("list_records", {{"table", "users"}, {"order_by", "id"}});
    REQUIRE(page["rows"].size() == 2);
    CHECK(page["rows"][0]["email"] == "a***@example.com");
    CHECK_FALSE(page["rows"][0].contains("password_hash"));
    CHECK(page.dump().find("ann@example.com") == std::string::npos);
    CHECK(client.call_ok("get_record", {{"table", "users"}, {"id", 2}})["record"]["email"] == "b***@example.com");

    const std::string refusal = "column 'email' is masked by the access policy";
    for (const Json& call : {Json{{"table", "users"}, {"where", {{"email", "ann@example.com"}}}},
                             Json{{"table", "users"}, {"where", {{"email", {{"like", "a%"}}}}}},
                             Json{{"table", "users"}, {"order_by", "email"}}}) {
      const Json error = client.call_error("list_records", call);
      CHECK(error["code"] == "invalid_argument");
      CHECK(error["message"].get<std::string>().find(refusal) != std::string::npos);
    }
    CHECK(client.call_error("search_records", {{"table", "users"}, {"query", "ann"}, {"search_columns", {"email"}}})["message"]
              .get<std::string>()
              .find(refusal)
          != std::string::npos);
    CHECK(client.call_error("aggregate_records", {{"table", "users"}, {"group_by", {"email"}}})["message"]
              .get<std::string>()
              .find(refusal)
          != std::string::npos);
    CHECK(client.call_error("aggregate_records",
                            {{"table", "users"}, {"aggregates", {{{"fn", "min"}, {"column", "email"}}}}})["message"]
              .get<std::string>()
              .find(refusal)
          != std::string::npos);
    // A search naming no columns searches only the visible unmasked text columns.
    CHECK(client.call_ok("search_records", {{"table", "users"}, {"query", "example.com"}})["rows"].empty());
    CHECK(client.call_ok("search_records", {{"table", "users"}, {"query", "hash-ann"}})["rows"].empty());
    CHECK(client.call_ok("search_records", {{"table", "users"}, {"query", "ann"}})["rows"].size() == 1);
  }

  TEST_CASE("policy: the row filter confines reads, counts, aggregates, updates, deletes and inserts")
  {
    const std::string db = policy_database("rows.db");
    McpClient client({"--db", db, "--policy", scenario_file("p.toml", k_policy)});
    CHECK(client.call_ok("count_records", {{"table", "users"}})["count"] == 2);
    // The whole table's size is not told for a row-filtered table.
    int sizes_seen = 0;
    const Json listed = client.call_ok("list_tables", Json::object());
    for (const auto& table : listed["tables"]) {
      if (table["name"] == "users") {
        CHECK(table["rows"].is_null());
        ++sizes_seen;
      }
    }
    const Json diagnostics = client.call_ok("database_diagnostics", Json::object());
    for (const auto& table : diagnostics["tables"]) {
      if (table["name"] == "users") {
        CHECK(table["rows"].is_null());
        ++sizes_seen;
      }
    }
    CHECK(sizes_seen == 2);
    CHECK(client.call_ok("aggregate_records", {{"table", "orders"}, {"aggregates", {{{"fn", "sum"}, {"column", "total"}}}}})
              ["rows"][0]["sum_total"]
          == 30.0);
    CHECK(client.call_error("get_record", {{"table", "users"}, {"id", 3}})["code"] == "not_found");
    CHECK(client.call_error("update_record", {{"table", "users"}, {"id", 3}, {"set", {{"name", "Hacked"}}}})["code"]
          == "not_found");
    CHECK(client.call_ok("update_records", {{"table", "users"}, {"where", {{"age", {{"gte", 0}}}}}, {"set", {{"age", 1}}},
                                            {"dry_run", true}})["updated"]
          == 2);
    CHECK(client.call_error("delete_record", {{"table", "users"}, {"id", 3}})["code"] == "not_found");

    // An update may not move a row out of the filter; an insert outside it is refused.
    const Json moved = client.call_error("update_record", {{"table", "users"}, {"id", 1}, {"set", {{"tenant_id", 7}}}});
    CHECK(moved["code"] == "invalid_argument");
    CHECK(moved["message"].get<std::string>().find("outside the access policy's row filter of 'users' (tenant_id = 42)")
          != std::string::npos);
    CHECK(client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "Eve"}, {"tenant_id", 7}}}})
              ["code"]
          == "invalid_argument");
    // An insert that omits the filter's equality column gets it filled in.
    client.call_ok("insert_record", {{"table", "users"}, {"record", {{"name", "Dee"}, {"email", "dee@example.com"}}}});
    // Into orders, where tenant_id is hidden too.
    const Json order = client.call_ok("insert_record", {{"table", "orders"}, {"record", {{"user_id", 1}, {"total", 5.0}}}});
    CHECK_FALSE(order["record"].contains("tenant_id"));
    client.process().close_stdin();
    CHECK(client.process().wait() == 0);

    const Json users = stored_rows(db, "users");
    REQUIRE(users.size() == 4);
    CHECK(users[3]["name"] == "Dee");
    CHECK(users[3]["tenant_id"] == 42);
    CHECK(users[2]["name"] == "Cyd"); // the other tenant's row untouched
    const Json orders = stored_rows(db, "orders");
    REQUIRE(orders.size() == 4);
    CHECK(orders[3]["tenant_id"] == 42);
  }

  TEST_CASE("policy: insert_records fills and checks the row filter; the audit trail records masked values")
  {
    const std::string db = policy_database("batch.db");
    const std::string audit = temp_dir() + "/policy-audit.jsonl";
    McpClient client({"--db", db, "--policy", scenario_file("p.toml", k_policy), "--audit", audit});
    client.call_ok("insert_records", {{"table", "users"},
                                      {"records", {{{"name", "R1"}, {"email", "r1@example.com"}}, {{"name", "R2"}}}}});
    const Json outside = client.call_error(
        "insert_records", {{"table", "users"}, {"records", {{{"name", "R3"}}, {{"name", "R4"}, {"tenant_id", 7}}}}});
    CHECK(outside["code"] == "invalid_argument");
    CHECK(outside["message"].get<std::string>().find("row 1: ") != std::string::npos);
    client.call_ok("update_record", {{"table", "users"}, {"id", 1}, {"set", {{"email", "new@example.com"}}}});
    client.process().close_stdin();
    CHECK(client.process().wait() == 0);
    const Json users = stored_rows(db, "users");
    REQUIRE(users.size() == 5);
    CHECK(users[3]["tenant_id"] == 42);
    CHECK(users[4]["tenant_id"] == 42);
    CHECK(users[0]["email"] == "new@example.com");
    std::ifstream in(audit);
    const std::string recorded((std::istreambuf_iterator<char>(in)), {});
    CHECK(recorded.find("r1@example.com") == std::string::npos);
    CHECK(recorded.find("new@example.com") == std::string::npos);
    CHECK(recorded.find("r***@example.com") != std::string::npos);
    CHECK(recorded.find("n***@example.com") != std::string::npos);
  }

  TEST_CASE("policy: per-table access and max_affected_rows")
  {
    const std::string db = policy_database("access.db");
    McpClient client({"--db", db, "--policy", scenario_file("p.toml", k_policy)});
    const Json read_only = client.call_error("insert_record", {{"table", "notes"}, {"record", {{"body", "x"}}}});
    CHECK(read_only["code"] == "read_only");
    CHECK(read_only["message"] == "table 'notes' is read-only under the access policy");
    const Json no_delete = client.call_error("delete_record", {{"table", "orders"}, {"id", 1}});
    CHECK(no_delete["code"] == "read_only");
    CHECK(no_delete["message"] == "delete is not allowed on 'orders' by the access policy");
    // orders allows one row a write: two rows of tenant 42 match.
    const Json too_many = client.call_error("update_records", {{"table", "orders"}, {"where", {{"status", "new"}}},
                                                               {"set", {{"status", "paid"}}}});
    CHECK(too_many["code"] == "too_many_rows");
    CHECK(too_many["message"].get<std::string>().find("would change 2 rows of orders, more than the access policy's "
                                                      "limit of 1")
          != std::string::npos);
    CHECK(client.call_ok("update_record", {{"table", "orders"}, {"id", 1}, {"set", {{"status", "paid"}}}})["record"]["status"]
          == "paid");
    client.process().close_stdin();
    CHECK(client.process().wait() == 0);
    CHECK(stored_rows(db, "notes").size() == 1);
    CHECK(stored_rows(db, "orders")[1]["status"] == "new");
  }

  TEST_CASE("policy: --read-only and --exclude-tables combine with the file")
  {
    const std::string db = policy_database("shorthands.db");
    const std::string policy = scenario_file("p.toml", k_policy);
    McpClient client({"--db", db, "--policy", policy, "--read-only", "--exclude-tables", "orders"});
    CHECK(names_of(client.call_ok("list_tables", Json::object())["tables"]) == std::vector<std::string>{"accounts", "notes", "users"});
    CHECK(client.call_ok("list_records", {{"table", "users"}})["rows"][0]["email"] == "a***@example.com");
    const auto call = run_dbmcp({"--db", db, "--policy", policy, "--read-only", "call", "insert_record",
                                 R"({"table": "users", "record": {"name": "Z"}})"});
    CHECK(call.exit_code != 0);
    CHECK(stored_rows(db, "users").size() == 3);
  }

  TEST_CASE("policy: a bad file stops start-up with one line naming the file, the key and the line")
  {
    const std::string db = policy_database("bad.db");
    const std::string bad = scenario_file("bad.toml", "default_access = \"read\"\n[tables.users]\naccess = \"reed\"\n");
    const auto started = run_dbmcp({"--db", db, "--policy", bad, "tools"});
    CHECK(started.exit_code == 2);
    CHECK(started.err.find(bad + ": line 3: tables.users.access: expected") != std::string::npos);
    const auto from_env = run_dbmcp({"--db", db, "tools"}, "", {{"DB_POLICY", bad}});
    CHECK(from_env.exit_code == 2);
    const auto on_redis = run_dbmcp({"--db", "redis://127.0.0.1:1/0", "--policy", scenario_file("p.toml", k_policy), "tools"});
    CHECK(on_redis.exit_code == 2);
    CHECK(on_redis.err.find("--policy applies to relational databases") != std::string::npos);
    const auto unknown = run_dbmcp({"--db", db, "--policy", scenario_file("u.json", R"({"tables": {"users": {"acess": "read"}}})"),
                                    "tools"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("tables.users.acess: unknown key") != std::string::npos);
  }

  TEST_CASE("policy: dbmcp policy check validates against the live schema and shows what the model sees")
  {
    const std::string db = policy_database("check.db");
    const auto good = run_dbmcp({"--db", db, "policy", "check", scenario_file("p.toml", k_policy), "--json"});
    CHECK(good.exit_code == 0);
    const Json report = Json::parse(good.out);
    CHECK(report["valid"] == true);
    CHECK(names_of(report["tables"], "table") == std::vector<std::string>{"accounts", "notes", "orders", "users"});
    CHECK(report["tables"][3]["masked_columns"] == Json{{"email", "email"}});
    CHECK(report["tables"][3]["columns"].dump().find("password_hash") == std::string::npos);
    CHECK(report["tables"][2]["access"] == Json::array({"read", "insert", "update"}));
    CHECK(report["warnings"].dump().find("inserts into accounts will fail") != std::string::npos);

    const auto text = run_dbmcp({"--db", db, "policy", "check", scenario_file("p2.toml", k_policy)});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("users") != std::string::npos);

    const auto typo = run_dbmcp({"--db", db, "policy", "check",
                                 scenario_file("typo.toml", "[tables.usres]\naccess = \"read\"\n[tables.users]\n"
                                                         "hidden_columns = [\"id\", \"emial\"]\n")});
    CHECK(typo.exit_code == 2);
    CHECK(typo.out.find("unknown table 'usres'; did you mean 'users'?") != std::string::npos);
    CHECK(typo.out.find("did you mean 'email'?") != std::string::npos);
    CHECK(typo.out.find("'id' is part of the primary key") != std::string::npos);

    const auto warning = run_dbmcp({"--db", db, "policy", "check",
                                    scenario_file("warn.toml", "[tables.users]\nhidden_columns = [\"name\"]\n")});
    CHECK(warning.exit_code == 0);
    CHECK(warning.out.find("inserts into users will fail") != std::string::npos);
  }

  TEST_CASE("policy: dbmcp config shows the policy in force")
  {
    const std::string policy = scenario_file("p.toml", k_policy);
    const auto shown = run_dbmcp({"--db", temp_dir() + "/config.db", "--policy", policy, "config", "--json"});
    REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
    const Json config = Json::parse(shown.out);
    CHECK(config["effective"]["policy"]["file"] == policy);
    CHECK(config["effective"]["policy"]["tables"]["audit_log"]["access"] == "hidden");
    const auto none = run_dbmcp({"--db", temp_dir() + "/config.db", "config", "--json"});
    CHECK(Json::parse(none.out)["effective"]["policy"].is_null());
  }

  TEST_CASE("policy: the scenarios shared with PostgreSQL (hidden names in errors, key columns, tool set, "
            "write-only tables, one reading of the file, diagnostics and health)")
  {
    // doctest runs this once per SUBCASE: a fresh database each time.
    static int run = 0;
    const std::string name = "scenarios-" + std::to_string(++run) + ".db";
    const std::string db = temp_dir() + "/" + name;
    const auto init = run_dbmcp({"--db", db, "init", "--schema", scenario_file(name + ".sql", std::string(k_policy_scenario_schema) + k_sqlite_scenario_trigger)});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    check_access_policy_scenarios(db);
  }
}
