#pragma once

// The access policy (--policy, issue 16) as a client sees it, on any relational database holding
// k_policy_scenario_schema: shared by the SQLite (e2e_access_policy) and PostgreSQL
// (e2e_access_policy_postgres) tests. Covers what a first version let through: an error naming a
// table hidden only by default_access / --exclude-tables / --tables, a policy hiding a key column
// accepted at start, write tools offered when no table may be written, write-only tables read
// through the answers of writes, the policy file read more than once, and `dbmcp diagnostics` /
// `dbmcp health` bypassing the policy.
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace dbmcp::test {

// Plain SQL both SQLite and PostgreSQL run. `vault` is never named by the policies below: it is
// hidden by default_access = "hidden" alone. notes' CHECK constraint and foreign key name it.
constexpr const char* k_policy_scenario_schema = R"sql(
CREATE TABLE vault (id INTEGER PRIMARY KEY, code TEXT);
CREATE TABLE users (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, name TEXT NOT NULL, email TEXT, secret TEXT);
CREATE INDEX users_secret_idx ON users (secret);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, ref_id INTEGER REFERENCES vault (id),
                    CONSTRAINT vault_guard CHECK (length(body) < 20));
CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, memo TEXT);
INSERT INTO vault VALUES (1, 'v-code');
INSERT INTO users VALUES (1, 42, 'Ann', 'ann@example.com', 's-ann'), (2, 7, 'Cyd', 'cyd@other.org', 's-cyd');
INSERT INTO notes VALUES (1, 'hello', 1);
INSERT INTO ledger VALUES (1, 100, 'opening balance');
)sql";

// A trigger on notes whose error names vault (the engines' own constraint messages are explained
// by dbmcp without their names): inserting the body "trip" fails with "refused: see vault".
constexpr const char* k_sqlite_scenario_trigger = R"sql(
CREATE TRIGGER notes_guard BEFORE INSERT ON notes WHEN NEW.body = 'trip'
BEGIN SELECT RAISE(ABORT, 'refused: see vault'); END;
)sql";

constexpr const char* k_postgres_scenario_trigger = R"sql(
CREATE FUNCTION notes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.body = 'trip' THEN RAISE EXCEPTION 'refused: see vault'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER notes_guard BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_guard();
)sql";

constexpr const char* k_scenario_policy = R"(default_access = "hidden"

[tables.users]
access = "write"
hidden_columns = ["secret"]
masked_columns = { email = "email" }
row_filter = { tenant_id = 42 }

[tables.notes]
access = "write"

[tables.ledger]
access = ["insert", "update"]
)";

inline std::string scenario_file(const std::string& name, const std::string& text)
{
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

inline std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Whether `answer` (any JSON: a tool result, an error, a report) names the hidden table `vault`
// or shows its value or a hidden column's.
inline bool leaks(const Json& answer)
{
  const std::string text = lower(answer.dump());
  return text.find("vault") != std::string::npos || text.find("v-code") != std::string::npos
         || text.find("s-ann") != std::string::npos || text.find("users_secret_idx") != std::string::npos;
}

inline bool leaks(const std::string& text)
{
  return leaks(Json(text));
}

inline std::vector<std::string> tool_names(McpClient& client)
{
  std::vector<std::string> names;
  const Json listed = client.request("tools/list", Json::object()); // held: the loop walks a member of it
  for (const auto& tool : listed["result"]["tools"]) {
    names.push_back(tool["name"].get<std::string>());
  }
  return names;
}

inline bool has(const std::vector<std::string>& names, const std::string& name)
{
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A database error naming a table the catalog hides (the policy's default_access, --exclude-tables,
// --tables) comes back without its name; so does one naming a hidden column.
inline void check_errors_name_no_hidden_table(const std::string& db, std::vector<std::string> extra_flags,
                                              const std::string& policy)
{
  std::vector<std::string> args{"--db", db, "--policy", policy};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  McpClient client(args);
  // The trigger's message names vault.
  const Json trigger = client.call("insert_record", {{"table", "notes"}, {"record", {{"id", 4}, {"body", "trip"}}}});
  CHECK(trigger["isError"] == true);
  CHECK_MESSAGE(!leaks(trigger), trigger.dump());
  // The CHECK constraint vault_guard.
  const Json check = client.call("insert_record", {{"table", "notes"},
                                                   {"record", {{"id", 2}, {"body", "a body far too long for the check"}}}});
  CHECK(check["isError"] == true);
  CHECK_MESSAGE(!leaks(check), check.dump());
  // The foreign key to vault (PostgreSQL names the referenced table in its detail).
  const Json fk = client.call("insert_record", {{"table", "notes"}, {"record", {{"id", 3}, {"body", "x"}, {"ref_id", 99}}}});
  CHECK_MESSAGE(!leaks(fk), fk.dump());
  // A primary-key clash names no hidden column either; the row as shown leaves the hidden ones out.
  const Json clash = client.call("insert_record", {{"table", "notes"}, {"record", {{"id", 1}, {"body", "again"}}}});
  CHECK(clash["isError"] == true);
  CHECK_MESSAGE(!leaks(clash), clash.dump());
  // A table hidden only by the catalog is an unknown one, never suggested.
  const Json unknown = client.call_error("list_records", {{"table", "vaul"}});
  CHECK_MESSAGE(!leaks(unknown), unknown.dump());
}

// Runs `dbmcp args...` with a policy file watched by inotify; returns how many times the process
// opened it.
inline int policy_reads(const std::vector<std::string>& args_before_policy, const std::vector<std::string>& args_after)
{
  static int serial = 0;
  const std::string path = scenario_file("policy-read-" + std::to_string(++serial) + ".toml", k_scenario_policy);
  const int watch = ::inotify_init1(IN_NONBLOCK);
  REQUIRE(watch >= 0);
  REQUIRE(::inotify_add_watch(watch, path.c_str(), IN_OPEN) >= 0);
  std::vector<std::string> args = args_before_policy;
  args.push_back("--policy");
  args.push_back(path);
  args.insert(args.end(), args_after.begin(), args_after.end());
  const auto result = run_dbmcp(args);
  CHECK_MESSAGE(result.exit_code == 0, result.err);
  int opens = 0;
  alignas(struct inotify_event) char buffer[4096];
  for (ssize_t got = ::read(watch, buffer, sizeof buffer); got > 0; got = ::read(watch, buffer, sizeof buffer)) {
    for (ssize_t at = 0; at < got;) {
      const auto* event = reinterpret_cast<const struct inotify_event*>(buffer + at);
      opens += (event->mask & IN_OPEN) != 0 ? 1 : 0;
      at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
    }
  }
  ::close(watch);
  return opens;
}

// Runs every scenario against `db`, a database holding k_policy_scenario_schema and its rows, and
// the engine's scenario trigger.
inline void check_access_policy_scenarios(const std::string& db)
{
  const std::string policy = scenario_file("scenario-policy.toml", k_scenario_policy);

  SUBCASE("an error naming a table hidden by default_access, --exclude-tables or --tables is reworded")
  {
    check_errors_name_no_hidden_table(db, {}, policy);
    const std::string open = scenario_file("scenario-open.toml", "default_access = \"write\"\n");
    check_errors_name_no_hidden_table(db, {"--exclude-tables", "vault"}, open);
    check_errors_name_no_hidden_table(db, {"--tables", "users,notes,ledger"}, open);
  }

  SUBCASE("a policy hiding or masking a primary-key column is refused at start, in one line")
  {
    for (const std::string& entry : {std::string("hidden_columns = [\"id\"]"),
                                     std::string("masked_columns = { id = \"hash\" }")}) {
      const std::string bad = scenario_file("scenario-key.toml", "[tables.notes]\n" + entry + "\n");
      for (const auto& command : {std::vector<std::string>{"serve"}, std::vector<std::string>{"tools"},
                                  std::vector<std::string>{"call", "list_tables", "{}"}}) {
        std::vector<std::string> args{"--db", db, "--policy", bad};
        args.insert(args.end(), command.begin(), command.end());
        const auto started = run_dbmcp(args);
        CHECK_MESSAGE(started.exit_code == 2, command[0] << ": " << started.err);
        CHECK(started.err.find(bad + ": tables.notes.") != std::string::npos);
        CHECK(started.err.find("'id' is part of the primary key of notes") != std::string::npos);
        CHECK(std::count(started.err.begin(), started.err.end(), '\n') <= 1);
        CHECK(started.out.empty());
      }
    }
  }

  SUBCASE("write tools are offered only for the operations some table allows")
  {
    McpClient full({"--db", db, "--policy", policy});
    const auto all = tool_names(full);
    for (const char* tool : {"insert_record", "insert_records", "update_record", "update_records", "delete_record",
                             "delete_records"}) {
      CHECK_MESSAGE(has(all, tool), tool);
    }
    McpClient reading({"--db", db, "--policy", scenario_file("scenario-read.toml", "default_access = \"read\"\n")});
    const auto read_only = tool_names(reading);
    CHECK(has(read_only, "list_records"));
    for (const auto& name : read_only) {
      CHECK_MESSAGE(name.rfind("insert_", 0) != 0, name);
      CHECK_MESSAGE(name.rfind("update_", 0) != 0, name);
      CHECK_MESSAGE(name.rfind("delete_", 0) != 0, name);
    }
    McpClient inserting({"--db", db, "--policy",
                         scenario_file("scenario-insert.toml",
                                       "default_access = \"read\"\n[tables.ledger]\naccess = [\"insert\"]\n")});
    const auto insert_only = tool_names(inserting);
    CHECK(has(insert_only, "insert_record"));
    CHECK(has(insert_only, "insert_records"));
    CHECK_FALSE(has(insert_only, "update_record"));
    CHECK_FALSE(has(insert_only, "update_records"));
    CHECK_FALSE(has(insert_only, "delete_record"));
    CHECK_FALSE(has(insert_only, "delete_records"));
    // Every table of the catalog read-only, though default_access would allow writes: none offered.
    McpClient all_read({"--db", db, "--policy",
                        scenario_file("scenario-all-read.toml",
                                      "default_access = \"write\"\n[tables.users]\naccess = \"read\"\n"
                                      "[tables.notes]\naccess = \"read\"\n[tables.ledger]\naccess = \"read\"\n"
                                      "[tables.vault]\naccess = \"read\"\n")});
    const auto none = tool_names(all_read);
    CHECK(has(none, "list_records"));
    CHECK_FALSE(has(none, "insert_record"));
    CHECK_FALSE(has(none, "update_records"));
    CHECK_FALSE(has(none, "delete_record"));
    // --read-only with a policy granting writes offers none either.
    McpClient read_only_flag({"--db", db, "--policy", policy, "--read-only"});
    CHECK_FALSE(has(tool_names(read_only_flag), "insert_record"));
  }

  SUBCASE("a write-only table answers its writes with the key only")
  {
    McpClient client({"--db", db, "--policy", policy});
    CHECK(client.call_error("list_records", {{"table", "ledger"}})["code"] == "read_only");
    const Json inserted = client.call_ok("insert_record", {{"table", "ledger"}, {"record", {{"id", 7}, {"amount", 5}, {"memo", "m7"}}}});
    CHECK(inserted["record"] == Json{{"id", 7}});
    const Json updated = client.call_ok("update_record", {{"table", "ledger"}, {"id", 1}, {"set", {{"memo", "changed"}}}});
    CHECK(updated["record"] == Json{{"id", 1}});
    const Json many = client.call_ok("update_records", {{"table", "ledger"}, {"where", {{"id", {{"gte", 0}}}}},
                                                        {"set", {{"memo", "all"}}}, {"dry_run", true}});
    CHECK(many["updated"] == 2);
    for (const auto& row : many["rows"]) {
      CHECK(row.size() == 1);
      CHECK(row.contains("id"));
    }
    CHECK(many.dump().find("opening balance") == std::string::npos);
    CHECK(many.dump().find("changed") == std::string::npos);
    // Nor does its size show in list_tables.
    const Json tables = client.call_ok("list_tables", Json::object());
    for (const auto& table : tables["tables"]) {
      if (table["name"] == "ledger" && table.contains("rows")) {
        CHECK(table["rows"].is_null());
      }
    }
  }

  SUBCASE("on_conflict replace needs update access and no row filter")
  {
    McpClient client({"--db", db, "--policy", policy});
    // Cyd (id 2) is tenant 7's, outside users' row filter: an upsert would write over her row.
    const Json over = client.call_error("insert_records", {{"table", "users"},
                                                           {"records", {{{"id", 2}, {"name", "Hijack"}}}},
                                                           {"on_conflict", "replace"}});
    CHECK(over["code"] == "invalid_argument");
    McpClient inserting({"--db", db, "--policy",
                         scenario_file("scenario-insert-only.toml",
                                       "default_access = \"read\"\n[tables.ledger]\naccess = [\"insert\"]\n")});
    const Json no_update = inserting.call_error("insert_records", {{"table", "ledger"},
                                                                   {"records", {{{"id", 1}, {"amount", 0}}}},
                                                                   {"on_conflict", "replace"}});
    CHECK(no_update["code"] == "read_only");
    // Where updates are allowed and no row filter applies, replace works.
    const Json replaced = client.call_ok("insert_records", {{"table", "ledger"},
                                                            {"records", {{{"id", 1}, {"amount", 1}}}},
                                                            {"on_conflict", "replace"}});
    CHECK(replaced.contains("inserted"));
  }

  SUBCASE("the policy file is read once per process")
  {
    CHECK(policy_reads({"--db", db}, {"call", "list_tables", "{}"}) == 1);
    CHECK(policy_reads({"--db", db}, {"config", "--json"}) == 1);
    CHECK(policy_reads({"--db", db}, {"tools"}) == 1);
  }

  SUBCASE("dbmcp diagnostics and health show only what the policy shows")
  {
    const auto diagnostics = run_dbmcp({"--db", db, "--policy", policy, "diagnostics", "--json"});
    REQUIRE_MESSAGE(diagnostics.exit_code == 0, diagnostics.err);
    const Json report = Json::parse(diagnostics.out);
    CHECK_MESSAGE(!leaks(report), diagnostics.out);
    int users_seen = 0;
    for (const auto& table : report["tables"]) {
      CHECK(table["name"] != "vault");
      if (table["name"] == "users") {
        ++users_seen;
        for (const char* key : {"rows", "rows_estimate", "size_bytes"}) {
          if (table.contains(key)) {
            CHECK_MESSAGE(table[key].is_null(), key); // row-filtered: the whole table's size would tell
          }
        }
        if (table.contains("indexes")) {
          CHECK(table["indexes"] == 0); // users_secret_idx is on the hidden column
        }
      }
    }
    CHECK(users_seen == 1);
    const auto health = run_dbmcp({"--db", db, "--policy", policy, "health", "--json"});
    REQUIRE_MESSAGE(health.exit_code == 0, health.err);
    const Json status = Json::parse(health.out);
    CHECK_MESSAGE(!leaks(status), health.out);
    CHECK(status["tables"] == 3);
  }
}

} // namespace dbmcp::test
