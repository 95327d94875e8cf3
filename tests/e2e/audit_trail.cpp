// The audit trail (--audit, issue 16) through the built binary on SQLite: one record per call,
// errors too, the file's mode, nothing secret, a failing audit file failing the call, and
// `dbmcp audit tail|search`.
#include "support/demo_database.hpp"
#include "support/json_lines.hpp"
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sys/stat.h>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

std::string text_of(const std::string& path)
{
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The records with an outcome (a write's intent line excluded).
std::vector<Json> outcomes(const std::vector<Json>& records)
{
  std::vector<Json> kept;
  for (const auto& record : records) {
    if (!record.contains("phase")) {
      kept.push_back(record);
    }
  }
  return kept;
}

} // namespace

TEST_SUITE("e2e: audit trail")
{
  TEST_CASE("audit: every call once, errors too, 0600, arguments cut short, no secret")
  {
    const std::string db = demo_database();
    const std::string audit = temp_dir() + "/audit.jsonl";
    const std::string secret = "s3cret-Pa55word-never-logged";
    {
      McpClient client({"--db", db, "--audit", audit}, {{"DB_PASSWORD", secret}});
      client.call_ok("list_records", {{"table", "users"}, {"limit", 2}});
      client.call_error("get_record", {{"table", "users"}, {"id", 999999}});
      client.call_ok("insert_record",
                     {{"table", "users"}, {"record", {{"name", std::string(1000, 'n')}, {"email", "au@example.com"}}}});
      client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "x"}, {"email", "au@example.com"}}}});
      client.process().close_stdin();
      CHECK(client.process().wait() == 0);
    }
    struct stat info{};
    REQUIRE(::stat(audit.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(text_of(audit).find(secret) == std::string::npos);

    const auto records = read_json_lines(audit);
    const auto done = outcomes(records);
    REQUIRE(done.size() == 4);
    CHECK(records.size() == 6); // and one intent line per insert_record
    CHECK(done[0]["tool"] == "list_records");
    CHECK(done[0]["outcome"] == "ok");
    CHECK(done[0]["client"] == Json{{"name", "dbmcp-tests"}, {"version", "1"}});
    CHECK(done[1]["outcome"] == "error");
    CHECK(done[1]["error"]["code"] == "not_found");
    CHECK(done[2]["outcome"] == "ok");
    CHECK(done[2]["arguments"]["record"]["name"] == std::string(256, 'n') + "… (1000 bytes)");
    CHECK(done[3]["error"]["code"] == "unique_violation");
    for (const auto& record : done) {
      CHECK(record["duration_ms"].is_number());
    }
    // SQLite runs on the relational core: the statements are recorded with their placeholders
    // and without the values bound.
    REQUIRE(done[0].contains("statements"));
    CHECK(done[0]["statements"][0]["sql"].get<std::string>().find("SELECT") != std::string::npos);
    // rows_read counts what the statements returned: the page reads one row more than its limit
    // (to know whether another page follows) and the first page also counts the total.
    int64_t returned = 0;
    for (const auto& statement : done[0]["statements"]) {
      returned += statement["rows"].get<int64_t>();
    }
    CHECK(done[0]["rows_read"] == returned);
    CHECK(returned >= 2);
    REQUIRE(done[2].contains("statements"));
    CHECK(done[2]["rows_affected"] == 1);
    CHECK(done[2]["statements"].dump().find("au@example.com") == std::string::npos);
  }

  TEST_CASE("audit: a large insert_records, its records streamed from the line, is summarised as a small one is")
  {
    const std::string audit = temp_dir() + "/audit.jsonl";
    Json rows = Json::array();
    for (int i = 0; i < 5000; ++i) {
      rows.push_back({{"name", "bulk " + std::to_string(i)}, {"email", "bulk" + std::to_string(i) + "@example.com"}});
    }
    {
      McpClient client({"--db", demo_database(), "--audit", audit});
      CHECK(client.call_ok("insert_records", {{"table", "users"}, {"records", rows}})["inserted"] == 5000);
      CHECK(client.call_ok("insert_records", {{"table", "users"}, {"records", Json::array({rows[0]})}, {"on_conflict", "ignore"}})
                ["skipped"] == 1);
      client.process().close_stdin();
      CHECK(client.process().wait() == 0);
    }
    const auto done = outcomes(read_json_lines(audit));
    REQUIRE(done.size() == 2);
    CHECK(done[0]["arguments"]["records"] == Json{{"count", 5000}, {"first", rows[0]}});
    CHECK(done[0]["arguments"]["table"] == "users");
    CHECK(done[0]["rows_affected"] == 5000);
    CHECK(done[1]["arguments"]["records"] == Json{{"count", 1}, {"first", rows[0]}}); // a line parsed whole
  }

  TEST_CASE("audit: a 2026-07-28 request names its client in _meta")
  {
    const std::string db = demo_database();
    const std::string audit = temp_dir() + "/audit.jsonl";
    const Json request = {
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"},
        {"params", {{"name", "count_records"}, {"arguments", {{"table", "users"}}},
                    {"_meta", {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                               {"io.modelcontextprotocol/clientCapabilities", Json::object()},
                               {"io.modelcontextprotocol/clientInfo", {{"name", "modern"}, {"version", "9"}}}}}}}};
    const auto served = run_dbmcp({"--db", db, "--audit", audit}, request.dump() + "\n");
    REQUIRE_MESSAGE(served.exit_code == 0, served.err);
    const auto records = read_json_lines(audit);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["client"] == Json{{"name", "modern"}, {"version", "9"}});
  }

  TEST_CASE("audit: dbmcp call is audited, as the client 'dbmcp call'")
  {
    const std::string db = demo_database();
    const std::string audit = temp_dir() + "/audit.jsonl";
    const auto result = run_dbmcp({"--db", db, "--audit", audit, "call", "count_records", R"({"table":"users"})"});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    const auto records = read_json_lines(audit);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["tool"] == "count_records");
    CHECK(records[0]["client"]["name"] == "dbmcp call");
  }

  TEST_CASE("audit: an audit file that cannot be written fails the call and the write does not happen")
  {
    const std::string db = demo_database();
    const auto before = run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"});
    REQUIRE(before.exit_code == 0);
    const auto failed = run_dbmcp({"--db", db, "--audit", "/dev/full", "call", "insert_record",
                                   R"({"table":"users","record":{"name":"ghost","email":"ghost@example.com"}})"});
    CHECK(failed.exit_code == 1);
    CHECK(failed.out.find("audit_failed") != std::string::npos);
    CHECK(failed.err.find("nothing was run") != std::string::npos);
    const auto after = run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"});
    CHECK(after.out == before.out);
  }

  TEST_CASE("audit: start-up refuses an audit file open to others, or one that cannot be created")
  {
    const std::string db = demo_database();
    const std::string audit = temp_dir() + "/open.jsonl";
    std::ofstream(audit) << "";
    ::chmod(audit.c_str(), 0644);
    const auto loose = run_dbmcp({"--db", db, "--audit", audit}, "");
    CHECK(loose.exit_code == 2);
    CHECK(loose.err.find("chmod 600") != std::string::npos);
    const auto missing = run_dbmcp({"--db", db}, "", {{"DB_AUDIT", temp_dir() + "/no/such/dir/audit.jsonl"}});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("cannot be opened") != std::string::npos);
  }

  TEST_CASE("audit: tail and search read the file; config shows it")
  {
    const std::string db = demo_database();
    const std::string audit = temp_dir() + "/audit.jsonl";
    for (const char* table : {"users", "posts", "nope"}) {
      run_dbmcp({"--db", db, "--audit", audit, "call", "count_records", Json{{"table", table}}.dump()});
    }
    const auto tail = run_dbmcp({"audit", "tail", "-n", "2", "--file", audit, "--json"});
    REQUIRE_MESSAGE(tail.exit_code == 0, tail.err);
    CHECK(std::count(tail.out.begin(), tail.out.end(), '\n') == 2);
    CHECK(tail.out.find("\"posts\"") != std::string::npos);

    const auto errors = run_dbmcp({"--audit", audit, "audit", "search", "--outcome", "error", "--json"});
    REQUIRE_MESSAGE(errors.exit_code == 0, errors.err);
    CHECK(std::count(errors.out.begin(), errors.out.end(), '\n') == 1);
    CHECK(errors.out.find("\"nope\"") != std::string::npos);

    const auto text = run_dbmcp({"audit", "search", "--file", audit, "--text", "posts", "--since", "1h"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("count_records") != std::string::npos);
    const auto none = run_dbmcp({"audit", "search", "--file", audit, "--tool", "delete_records"});
    CHECK(none.exit_code == 1);

    const auto config = run_dbmcp({"--db", db, "--audit", audit, "config", "--json"});
    REQUIRE(config.exit_code == 0);
    CHECK(Json::parse(config.out)["effective"]["audit"] == audit);
  }
}
