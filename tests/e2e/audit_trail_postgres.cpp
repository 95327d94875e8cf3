// The audit trail (--audit, issue 16) on PostgreSQL (scripts/with-postgres.sh): the statements a
// call ran are recorded with their placeholders, never the values bound.
#include "support/json_lines.hpp"
#include "support/pg_schema.hpp"
#include "support/process.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("e2e: audit trail on PostgreSQL")
{
  TEST_CASE("audit: SQL text with placeholders, rows read and affected")
  {
    const PgSchema schema;
    const std::string url = schema.demo();
    const std::string audit = temp_dir() + "/audit.jsonl";
    const std::string email = "unbound-value-7431@example.com";
    const auto insert = run_dbmcp({"--db", url, "--audit", audit, "call", "insert_record",
                                   Json{{"table", "users"}, {"record", {{"name", "Ada"}, {"email", email}}}}.dump()});
    REQUIRE_MESSAGE(insert.exit_code == 0, insert.err);
    const auto read = run_dbmcp({"--db", url, "--audit", audit, "call", "list_records",
                                 Json{{"table", "users"}, {"where", {{"email", email}}}}.dump()});
    REQUIRE_MESSAGE(read.exit_code == 0, read.err);

    const auto records = read_json_lines(audit);
    REQUIRE(records.size() == 3); // the insert's intent and outcome, the read
    const Json& written = records[1];
    CHECK(written["outcome"] == "ok");
    REQUIRE(!written["statements"].empty());
    const std::string insert_sql = written["statements"][0]["sql"];
    CHECK(insert_sql.find("INSERT INTO") != std::string::npos);
    CHECK(insert_sql.find("$1") != std::string::npos);
    CHECK(insert_sql.find(email) == std::string::npos);
    CHECK(written["rows_affected"] == 1);

    const Json& listed = records[2];
    bool saw_select = false;
    for (const auto& statement : listed["statements"]) {
      const std::string sql = statement["sql"];
      CHECK(sql.find(email) == std::string::npos);
      saw_select = saw_select || (sql.find("SELECT") != std::string::npos && sql.find("$1") != std::string::npos);
    }
    CHECK(saw_select);
    CHECK(listed["rows_read"].get<int64_t>() >= 1);

    // The engine's own paths run on its own session under the audit: COPY, full-text search,
    // diagnostics.
    const Json batch = {{"table", "users"},
                        {"records", {{{"name", "B1"}, {"email", "b1@example.com"}}, {{"name", "B2"}, {"email", "b2@example.com"}}}}};
    const auto bulk = run_dbmcp({"--db", url, "--audit", audit, "call", "insert_records", batch.dump()});
    REQUIRE_MESSAGE(bulk.exit_code == 0, bulk.err);
    const auto search = run_dbmcp({"--db", url, "--audit", audit, "call", "search_records",
                                   R"({"table":"users","query":"Ada","mode":"fulltext","language":"english"})"});
    CHECK_MESSAGE(search.exit_code == 0, search.err);
    const auto diagnostics = run_dbmcp({"--db", url, "--audit", audit, "call", "database_diagnostics", "{}"});
    CHECK_MESSAGE(diagnostics.exit_code == 0, diagnostics.err);
    const auto all = read_json_lines(audit);
    REQUIRE(all.size() == 7);
    const Json& inserted = all[4];
    CHECK(inserted["tool"] == "insert_records");
    CHECK(inserted["arguments"]["records"]["count"] == 2);
    CHECK(inserted["rows_affected"] == 2);
    CHECK(inserted.dump().find("b2@example.com") == std::string::npos);
    CHECK(all[5]["outcome"] == "ok");
    CHECK(all[6]["outcome"] == "ok");
  }
}
