#pragma once

// The access policy's narrower scenarios, beside the sweep of policy_sweep_scenarios.hpp and on its schema
// and policy: a hidden name answered exactly as an unknown one, upserts confined like updates, the audit
// trail, DB_POLICY.
#include "support/policy_sweep_scenarios.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace dbmcp::test::policy_sweep {

// `text` with every occurrence of `name` replaced by "<NAME>".
inline std::string without_name(std::string text, const std::string& name)
{
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 6)) {
    text.replace(at, name.size(), "<NAME>");
  }
  return text;
}

// A refusal as the model gets it, with the name it was about replaced: {code, message} of a tool error, {error:
// {code, message}} of a protocol error, or the whole answer of a success.
inline Json refusal(SweepClient& client, const std::string& method, const Json& params, const std::string& name)
{
  Json response = client.request(method, params);
  Json seen;
  if (response.contains("error")) {
    seen = {{"error", {{"code", response["error"]["code"]}, {"message", response["error"].value("message", "")}}}};
  } else if (method == "tools/call" && response["result"].value("isError", false)) {
    const Json& result = response["result"];
    const Json error = result.contains("structuredContent")
                           ? result["structuredContent"].value("error", Json::object())
                           : result.value("_meta", Json::object()).value("dbmcp/error", Json::object());
    seen = {{"code", error.value("code", "")}, {"message", error.value("message", "")}};
  } else {
    seen = {{"answer", response.value("result", Json())}};
  }
  return Json::parse(without_name(seen.dump(), name));
}

// Asks every question that names a table or a column twice, once with a hidden name and once with a name that does
// not exist: the two answers must be the same but for the name itself.
inline void check_hidden_names_look_unknown(const Database& db, Era era)
{
  const std::string policy = prepare(db, true);
  SweepClient client({"--db", db.url, "--policy", policy}, era);
  const auto tool = [](const std::string& name, const Json& arguments) {
    return Json{{"name", name}, {"arguments", arguments}};
  };
  const std::string unknown = "qqzz_unknown";

  const auto table_questions = [&](const std::string& table) {
    return std::vector<std::pair<std::string, Json>>{
        {"tools/call", tool("describe_table", {{"table", table}})},
        {"tools/call", tool("list_records", {{"table", table}})},
        {"tools/call", tool("count_records", {{"table", table}})},
        {"tools/call", tool("search_records", {{"table", table}, {"query", "a"}})},
        {"tools/call", tool("aggregate_records", {{"table", table}})},
        {"tools/call", tool("get_record", {{"table", table}, {"id", 1}})},
        {"tools/call", tool("insert_record", {{"table", table}, {"record", {{"id", 5}}}})},
        {"tools/call", tool("update_record", {{"table", table}, {"id", 1}, {"set", {{"id", 1}}}})},
        {"tools/call", tool("delete_records", {{"table", table}, {"where", {{"id", 1}}}, {"dry_run", true}})},
        {"tools/call", tool("get_record", {{"table", "accounts"}, {"id", 1001}, {"include", {table}}})},
        {"tools/call", tool("insert_record", {{"table", "accounts"},
                                              {"record", {{"id", 1020}, {"name", "R"}, {"email", "r@new.example"}}},
                                              {"related", {{table, {{{"id", 7}}}}}}})},
        {"tools/call", tool("list_tables", {{"pattern", table}})},
        {"resources/read", {{"uri", "db://tables/" + table + "/schema"}}},
        {"completion/complete",
         {{"ref", {{"type", "ref/resource"}, {"uri", "db://tables/{table}/schema"}}},
          {"argument", {{"name", "table"}, {"value", table.substr(0, 4)}}}}}};
  };
  // A row `table` takes, plus `column`.
  const auto insertable = [](const std::string& table, const std::string& column) {
    Json row = table == "accounts" ? Json{{"id", 1021}, {"name", "R"}, {"email", "r2@new.example"}}
                                   : Json{{"id", 21}, {"label", "R"}};
    row[column] = "x";
    return row;
  };
  const auto column_questions = [&](const std::string& table, const std::string& column) {
    const Json either = {{"or", Json::array({Json{{column, {{"is_null", true}}}}, Json{{"id", 1}}})}};
    return std::vector<std::pair<std::string, Json>>{
        {"tools/call", tool("list_records", {{"table", table}, {"where", {{column, "x"}}}})},
        {"tools/call", tool("list_records", {{"table", table}, {"where", either}})},
        {"tools/call", tool("list_records", {{"table", table}, {"columns", {"id", column}}})},
        {"tools/call", tool("list_records", {{"table", table}, {"order_by", "-" + column}})},
        {"tools/call", tool("get_record", {{"table", table}, {"id", 1}, {"columns", {column}}})},
        {"tools/call", tool("count_records", {{"table", table}, {"where", {{column, {{"like", "%"}}}}}})},
        {"tools/call", tool("search_records", {{"table", table}, {"query", "a"}, {"search_columns", {column}}})},
        {"tools/call", tool("aggregate_records", {{"table", table}, {"group_by", {column}}})},
        {"tools/call", tool("aggregate_records",
                            {{"table", table}, {"aggregates", {{{"fn", "max"}, {"column", column}, {"as", "m"}}}}})},
        {"tools/call", tool("insert_record", {{"table", table}, {"record", insertable(table, column)}})},
        {"tools/call", tool("update_record", {{"table", table}, {"id", 1}, {"set", {{column, "x"}}}})},
        {"tools/call", tool("update_records",
                            {{"table", table}, {"where", {{column, "x"}}}, {"set", {{"id", 1}}}, {"dry_run", true}})},
        {"tools/call", tool("delete_records", {{"table", table}, {"where", {{column, "x"}}}, {"dry_run", true}})}};
  };

  const auto compare = [&](const auto& hidden_questions, const auto& unknown_questions, const std::string& hidden) {
    for (size_t i = 0; i < hidden_questions.size(); ++i) {
      // (no structured binding: clang 14 cannot capture one in CHECK_MESSAGE's lambda)
      const auto& method = hidden_questions[i].first;
      const auto& params = hidden_questions[i].second;
      const Json as_hidden = refusal(client, method, params, hidden);
      const Json as_unknown = refusal(client, unknown_questions[i].first, unknown_questions[i].second, unknown);
      CHECK_MESSAGE(as_hidden == as_unknown, method << " " << params.dump() << "\n  hidden:  " << as_hidden.dump()
                                                    << "\n  unknown: " << as_unknown.dump());
    }
  };
  compare(table_questions("vault_keys"), table_questions(unknown), "vault_keys");
  compare(column_questions("accounts", "password_hash"), column_questions("accounts", unknown), "password_hash");
  compare(column_questions("badges", "secret_pin"), column_questions("badges", unknown), "secret_pin");
  client.finish();
  CHECK(one_row(db, "SELECT count(*) FROM accounts") == "6");
  CHECK(one_row(db, "SELECT count(*) FROM vault_keys") == "3");
}

// With --audit: every tools/call appears once, in order, and no secret value is in the file, not even a masked
// column's value the client sent.
inline void check_audit(const Database& db)
{
  const std::string policy = prepare(db, false);
  const std::string audit = temp_dir() + "/policy-audit-" + std::to_string(::getpid()) + ".jsonl";
  std::vector<std::string> calls;
  {
    SweepClient client({"--db", db.url, "--policy", policy, "--audit", audit}, Era::legacy);
    client.call_ok("list_records", {{"table", "accounts"}});
    client.call_ok("get_record", {{"table", "accounts"}, {"id", 1001}, {"include", {"notes"}}});
    client.call_ok("insert_record", {{"table", "accounts"},
                                     {"record",
                                      {{"id", 1005},
                                       {"name", "Ann"},
                                       {"email", "ann-audit@masked.example"},
                                       {"phone", "+1-555-0100-audit"},
                                       {"national_id", "NID-0100-audit"}}}});
    client.call_ok("update_record",
                   {{"table", "accounts"}, {"id", 1005}, {"set", {{"email", "ann2-audit@masked.example"}}}});
    client.call_ok(
        "insert_records",
        {{"table", "accounts"}, {"records", {{{"id", 1006}, {"name", "Bo"}, {"email", "bo-audit@masked.example"}}}}});
    client.call_ok("update_records", {{"table", "accounts"},
                                      {"where", {{"id", 1006}}},
                                      {"set", {{"phone", "+1-555-0101-audit"}}},
                                      {"dry_run", true}});
    client.call_error("update_record", {{"table", "plans"}, {"id", 1}, {"set", {{"price", 1}}}});
    client.call_error("list_records", {{"table", "accounts"}, {"where", {{"email", "zzz"}}}});
    client.call_error("get_record", {{"table", "accounts"}, {"id", 2001}});
    client.call_ok("search_records", {{"table", "accounts"}, {"query", "Zoe"}});
    client.call_ok("count_records", {{"table", "notes"}});
    client.call_ok("aggregate_records", {{"table", "accounts"}, {"group_by", {"tenant_id"}}});
    client.call_ok("delete_record", {{"table", "accounts"}, {"id", 1005}});
    client.call_ok("delete_records", {{"table", "accounts"}, {"where", {{"id", 1006}}}});
    calls = client.calls();
    client.finish();
    check_no_leak("stdout", client.transcript(), k_hidden_names);
    check_no_leak("stdout", client.transcript(), k_secret_values);
  }
  std::vector<std::string> audited;
  for (const auto& record : read_json_lines(audit)) {
    if (!record.contains("phase")) { // a write's intent line comes before its outcome
      audited.push_back(record.value("tool", "(no tool)"));
    }
  }
  CHECK(audited == calls);
  std::ifstream in(audit);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> secrets = k_secret_values;
  for (const std::string sent : {"ann-audit", "ann2-audit", "bo-audit", "0100-audit", "0101-audit"}) {
    secrets.push_back(sent);
  }
  check_no_leak("the audit file", text, secrets);
}

// insert_records' on_conflict "replace" writes over the row it conflicts with: an update in all but name,
// which the row filter and the table's access must confine as they confine update_record.
inline void check_upserts(const Database& db, Era era)
{
  const std::string policy = prepare(db, true);
  SweepClient client({"--db", db.url, "--policy", policy}, era);
  const Json hijack = {{"id", 2001}, {"name", "Hijack"}, {"email", "hijack@new.example"}};
  client.call("insert_records",
              {{"table", "accounts"}, {"records", Json::array({hijack})}, {"on_conflict", "replace"}});
  CHECK(one_row(db, "SELECT tenant_id, name FROM accounts WHERE id = 2001") == "7|Mallory-of-tenant-7");
  const Json note = {{"id", 3008}, {"account_id", 1001}, {"body", "hijacked"}};
  client.call("insert_records", {{"table", "notes"}, {"records", Json::array({note})}, {"on_conflict", "replace"}});
  CHECK(one_row(db, "SELECT tenant_id, body FROM notes WHERE id = 3008") == "7|mallory-note-e3f9");
  const Json plan = {{"id", 1}, {"name", "free"}, {"price", 0}};
  CHECK(code_of(client.call_error(
            "insert_records", {{"table", "plans"}, {"records", Json::array({plan})}, {"on_conflict", "replace"}})) ==
        "read_only");
  CHECK(one_row(db, "SELECT name, price FROM plans WHERE id = 1") == "basic|10");
  client.finish();
  const std::string said = client.transcript() + decoded_cursors(client.transcript());
  check_no_leak("stdout", said, k_hidden_names);
  check_no_leak("stdout", said, k_secret_values);
}

// DB_POLICY is --policy from the environment.
inline void check_policy_from_environment(const Database& db)
{
  const std::string policy = prepare(db, true);
  const auto tables = run_dbmcp({"--db", db.url, "call", "list_tables", "{}"}, "", {{"DB_POLICY", policy}});
  REQUIRE_MESSAGE(tables.exit_code == 0, tables.err);
  CHECK(tables.out.find("accounts") != std::string::npos);
  CHECK(tables.out.find("vault_keys") == std::string::npos);
  const auto count =
      run_dbmcp({"--db", db.url, "call", "count_records", R"({"table":"accounts"})"}, "", {{"DB_POLICY", policy}});
  REQUIRE_MESSAGE(count.exit_code == 0, count.err);
  CHECK(Json::parse(count.out)["count"] == 4);
  const auto refused =
      run_dbmcp({"--db", db.url, "call", "delete_record", R"({"table":"plans","id":1})"}, "", {{"DB_POLICY", policy}});
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.find("read_only") != std::string::npos);
  CHECK(one_row(db, "SELECT count(*) FROM plans") == "2");
}

} // namespace dbmcp::test::policy_sweep
