// The audit trail (issue 16): records and their bounds, the append-only file, and the tool
// registry decorator that writes one line per call before the answer.
#include "audit/audit_log.hpp"
#include "audit/audit_record.hpp"
#include "audit/audited_tools.hpp"
#include "store/errors.hpp"
#include "support/json_lines.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::audit;

namespace {

tools::Registry one_tool(tools::Tool::RunFn run, bool read_only = true)
{
  tools::Registry registry;
  registry.add({.name = "t", .read_only_hint = read_only, .run = std::move(run)});
  return registry;
}

} // namespace

TEST_SUITE("audit")
{
  TEST_CASE("AuditRecord: long strings are cut at a UTF-8 boundary and say their length")
  {
    const RecordLimits limits{.max_string_bytes = 5};
    CHECK(summarize(Json("short"), limits) == "short");
    CHECK(summarize(Json("abcdefgh"), limits) == "abcde… (8 bytes)");
    // "abcd" then a two-byte é: the cut does not split it.
    CHECK(summarize(Json("abcd\xC3\xA9xyz"), limits) == "abcd… (9 bytes)");
    CHECK(summarize(Json{{"k", "abcdefgh"}, {"n", 7}}, limits) == Json{{"k", "abcde… (8 bytes)"}, {"n", 7}});
  }

  TEST_CASE("AuditRecord: long arrays keep their first items and count the rest")
  {
    const RecordLimits limits{.max_array_items = 2};
    CHECK(summarize(Json{1, 2, 3, 4}, limits) == Json{1, 2, "… (2 more)"});
    CHECK(summarize(Json{1, 2}, limits) == Json{1, 2});
  }

  TEST_CASE("AuditRecord: insert_records' records become a count and the first row")
  {
    const Json arguments = {{"table", "users"}, {"records", {{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}}}};
    const Json kept = summarize_arguments("insert_records", arguments, {});
    CHECK(kept == Json{{"table", "users"}, {"records", {{"count", 3}, {"first", {{"name", "a"}}}}}});
    CHECK(summarize_arguments("list_records", arguments, {}) == arguments);
  }

  TEST_CASE("AuditRecord: statements beyond the limit are counted, rows summed over all")
  {
    StatementList statements({.max_sql_bytes = 8, .max_statements = 1});
    statements.add("SELECT * FROM t WHERE id = ?", 1, 0);
    statements.add("UPDATE t SET a = ?", 0, 3);
    Json record;
    statements.write_to(record);
    CHECK(record["statements"] == Json::array({{{"sql", "SELECT *… (28 bytes)"}, {"rows", 1}, {"affected", 0}}}));
    CHECK(record["statements_omitted"] == 1);
    CHECK(record["rows_read"] == 1);
    CHECK(record["rows_affected"] == 3);
  }

  TEST_CASE("AuditRecord: times are ISO-8601 UTC with milliseconds")
  {
    const auto time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764428334123));
    CHECK(iso8601_utc(time) == "2025-11-29T14:58:54.123Z");
  }

  TEST_CASE("AuditLog: created 0600; a regular file open to others is refused")
  {
    const std::string path = test::temp_dir() + "/audit.jsonl";
    {
      AuditLog log(path);
      log.append(Json{{"a", 1}}, true);
    }
    struct stat info{};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    ::chmod(path.c_str(), 0644);
    CHECK_THROWS_WITH_AS(AuditLog{path}, doctest::Contains("chmod 600"), AuditError);
    CHECK_THROWS_AS(AuditLog{test::temp_dir() + "/missing-dir/audit.jsonl"}, AuditError);
  }

  TEST_CASE("AuditLog: concurrent appends give whole lines, every one valid JSON")
  {
    const std::string path = test::temp_dir() + "/audit.jsonl";
    AuditLog log(path);
    constexpr int k_threads = 8;
    constexpr int k_each = 200;
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < k_each; ++i) {
          log.append(Json{{"thread", t}, {"i", i}, {"pad", std::string(1000 + t * 97, 'x')}}, false);
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    const auto records = test::read_json_lines(path);
    CHECK(records.size() == k_threads * k_each);
  }

  TEST_CASE("AuditedTools: one record per call with outcome, statements and client")
  {
    const std::string path = test::temp_dir() + "/audit.jsonl";
    const auto registry = with_audit(one_tool([](const Json&, CallContext& ctx) {
                                       ctx.statement("SELECT * FROM \"t\" WHERE \"id\" = ?", 1, 0);
                                       return Json{{"ok", true}};
                                     }),
                                     std::make_shared<AuditLog>(path));
    CallContext ctx;
    ctx.set_client(Json{{"name", "c"}, {"version", "1"}});
    const auto result = registry.call(registry.tools()[0], Json{{"id", 7}}, ctx);
    CHECK_FALSE(result.is_error);
    const auto records = test::read_json_lines(path);
    REQUIRE(records.size() == 1);
    const Json& record = records[0];
    CHECK(record["tool"] == "t");
    CHECK(record["client"] == Json{{"name", "c"}, {"version", "1"}});
    CHECK(record["arguments"] == Json{{"id", 7}});
    CHECK(record["outcome"] == "ok");
    CHECK(record["statements"][0]["sql"] == "SELECT * FROM \"t\" WHERE \"id\" = ?");
    CHECK(record["rows_read"] == 1);
    CHECK(record["duration_ms"].is_number());
    CHECK(record["ts"].get<std::string>().size() == 24);
    CHECK_FALSE(record.contains("phase"));
  }

  TEST_CASE("AuditedTools: a failure is recorded with its code; a write gets an intent line first")
  {
    const std::string path = test::temp_dir() + "/audit.jsonl";
    const auto registry = with_audit(
        one_tool([](const Json&, CallContext&) -> Json { throw store::not_found("no row 7 in t"); }, false),
        std::make_shared<AuditLog>(path));
    CallContext ctx;
    const auto result = registry.call(registry.tools()[0], Json::object(), ctx);
    CHECK(result.is_error);
    CHECK(result.structured["error"]["code"] == "not_found");
    const auto records = test::read_json_lines(path);
    REQUIRE(records.size() == 2);
    CHECK(records[0]["phase"] == "intent");
    CHECK(records[0]["id"] == records[1]["id"]);
    CHECK(records[1]["outcome"] == "error");
    CHECK(records[1]["error"] == Json{{"code", "not_found"}, {"message", "no row 7 in t"}});
  }

  TEST_CASE("AuditedTools: a write whose intent cannot be written does not run")
  {
    const auto log = std::make_shared<AuditLog>("/dev/full");
    bool ran = false;
    const auto registry = with_audit(one_tool([&](const Json&, CallContext&) {
                                       ran = true;
                                       return Json::object();
                                     }, false),
                                     log);
    CallContext ctx;
    const auto result = registry.call(registry.tools()[0], Json::object(), ctx);
    CHECK_FALSE(ran);
    CHECK(result.is_error);
    CHECK(result.structured["error"]["code"] == "audit_failed");
    CHECK(result.text.find("nothing was run") != std::string::npos);
  }

  TEST_CASE("AuditedTools: a read whose record cannot be written answers an error, not its rows")
  {
    const auto registry = with_audit(one_tool([](const Json&, CallContext&) { return Json{{"secret", 1}}; }),
                                     std::make_shared<AuditLog>("/dev/full"));
    CallContext ctx;
    const auto result = registry.call(registry.tools()[0], Json::object(), ctx);
    CHECK(result.is_error);
    CHECK(result.structured["error"]["code"] == "audit_failed");
    CHECK(result.text.find("withheld") != std::string::npos);
  }

  TEST_CASE("AuditedTools: the redaction hook sees the arguments before they are recorded")
  {
    const std::string path = test::temp_dir() + "/audit.jsonl";
    AuditOptions options;
    options.redact_arguments = [](const std::string&, const Json& arguments) {
      Json shown = arguments;
      shown["email"] = "***";
      return shown;
    };
    const auto registry = with_audit(one_tool([](const Json&, CallContext&) { return Json::object(); }),
                                     std::make_shared<AuditLog>(path), options);
    CallContext ctx;
    registry.call(registry.tools()[0], Json{{"email", "a@b.c"}}, ctx);
    CHECK(test::read_json_lines(path)[0]["arguments"] == Json{{"email", "***"}});
  }
}
