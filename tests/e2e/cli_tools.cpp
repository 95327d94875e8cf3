// `dbmcp tools`: what the current flags offer.
#include "support/process.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("e2e: dbmcp tools")
{
  TEST_CASE("tools: the full set, the read-only set and the admin tool")
  {
    const std::string db = temp_dir() + "/t.db";
    const auto all = run_dbmcp({"--db", db, "tools", "--json"});
    REQUIRE_MESSAGE(all.exit_code == 0, all.err);
    const Json tools = Json::parse(all.out);
    CHECK(tools.size() == 14);
    CHECK(tools[0]["name"] == "list_tables");
    for (const auto& tool : tools) {
      CHECK(tool["inputSchema"]["type"] == "object");
    }
    CHECK(Json::parse(run_dbmcp({"--db", db, "--read-only", "tools", "--json"}).out).size() == 8);
    CHECK(Json::parse(run_dbmcp({"--db", db, "--allow-admin", "tools", "--json"}).out).size() == 15);

    const auto table = run_dbmcp({"--db", db, "tools"});
    CHECK(table.exit_code == 0);
    CHECK(table.out.find("insert_records") != std::string::npos);
    CHECK(table.out.find("write") != std::string::npos);
  }
}
