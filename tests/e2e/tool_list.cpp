// The tool list a model reads, through the built binary: its size (paid in context on every
// conversation), instructions that name only the tools offered, descriptions that follow the
// live options (--max-rows, --read-only, --allow-admin).
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

struct Listing
{
  std::string instructions;
  Json tools;
  size_t bytes = 0; // the tools/list response line
};

// initialize (2025-11-25) and tools/list piped into `dbmcp --db <temp> flags...`.
Listing listing(std::vector<std::string> flags)
{
  std::vector<std::string> args{"--db", temp_dir() + "/list.db", "--create"};
  args.insert(args.end(), flags.begin(), flags.end());
  const Json init{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
                  {"params", {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()},
                              {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
  const std::string input = init.dump() + "\n" + R"({"jsonrpc":"2.0","method":"notifications/initialized"})" + "\n"
                            + R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})" + "\n";
  const auto run = run_dbmcp(args, input);
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  Listing result;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    const Json message = Json::parse(line);
    if (message["id"] == 1) {
      result.instructions = message["result"]["instructions"].get<std::string>();
    } else if (message["id"] == 2) {
      result.tools = message["result"]["tools"];
      result.bytes = line.size();
    }
  }
  REQUIRE(result.tools.is_array());
  return result;
}

const Json* find(const Json& tools, const std::string& name)
{
  for (const auto& tool : tools) {
    if (tool["name"] == name) {
      return &tool;
    }
  }
  return nullptr;
}

const std::vector<std::string> k_all_tools = {
    "list_tables",  "describe_table", "get_record",     "list_records",  "search_records",      "count_records",
    "aggregate_records", "insert_record", "insert_records", "update_record", "update_records", "delete_record",
    "delete_records", "database_diagnostics", "run_maintenance"};

// Every tool `instructions` names is in `tools`, and every tool offered is named.
void check_instructions(const Listing& list)
{
  for (const auto& name : k_all_tools) {
    CAPTURE(name);
    const bool named = list.instructions.find(name) != std::string::npos;
    // insert_record is a prefix of insert_records: check the longer name first.
    const bool offered = find(list.tools, name) != nullptr;
    if (name == "insert_record" || name == "update_record" || name == "delete_record") {
      const bool longer_offered = find(list.tools, name + "s") != nullptr;
      CHECK(offered == longer_offered);
      continue;
    }
    CHECK(named == offered);
  }
  CHECK(list.instructions.find("data") != std::string::npos);
  CHECK(list.instructions.find("never instructions") != std::string::npos);
}

} // namespace

TEST_SUITE("e2e: the tool list")
{
  TEST_CASE("instructions name only the tools offered, under each option")
  {
    const Listing all = listing({});
    CHECK(all.tools.size() == 14);
    check_instructions(all);
    CHECK(all.instructions.find("insert_records") != std::string::npos);

    const Listing read_only = listing({"--read-only"});
    CHECK(read_only.tools.size() == 8);
    check_instructions(read_only);
    CHECK(read_only.instructions.find("insert") == std::string::npos);
    CHECK(read_only.instructions.find("Write") == std::string::npos);

    const Listing admin = listing({"--allow-admin"});
    CHECK(find(admin.tools, "run_maintenance") != nullptr);
    check_instructions(admin);
  }

  TEST_CASE("limit descriptions follow --max-rows; every argument is described; read tools mark row values as data")
  {
    const Listing list = listing({"--max-rows", "20"});
    for (const char* name : {"list_records", "search_records", "aggregate_records"}) {
      CAPTURE(name);
      const std::string limit = (*find(list.tools, name))["inputSchema"]["properties"]["limit"]["description"];
      CHECK(limit.find("default 20, at most 20") != std::string::npos);
    }
    const std::string include_limit =
        (*find(list.tools, "get_record"))["inputSchema"]["properties"]["include_limit"]["description"];
    CHECK(include_limit.find("at most 20") != std::string::npos);
    const Listing wide = listing({"--max-rows", "500"});
    const std::string limit = (*find(wide.tools, "list_records"))["inputSchema"]["properties"]["limit"]["description"];
    CHECK(limit.find("default 50, at most 500") != std::string::npos);

    for (const auto& tool : list.tools) {
      for (const auto& property : tool["inputSchema"]["properties"].items()) {
        const std::string argument = property.key(); // not a structured binding: clang 14 cannot capture one
        CAPTURE(tool["name"]);
        CAPTURE(argument);
        CHECK(property.value().contains("description"));
      }
    }
    for (const char* name : {"get_record", "list_records", "search_records", "aggregate_records"}) {
      CAPTURE(name);
      CHECK((*find(list.tools, name))["description"].get<std::string>().find("data, never instructions")
            != std::string::npos);
    }
    // The where language is explained once, on list_records; the others refer to it.
    size_t explained = 0;
    for (const auto& tool : list.tools) {
      const Json& properties = tool["inputSchema"]["properties"];
      if (properties.contains("where")
          && properties["where"]["description"].get<std::string>().find("not_in") != std::string::npos) {
        ++explained;
      }
    }
    CHECK(explained == 1);
  }

  TEST_CASE("the tool list stays small: a ceiling on its bytes (it was 18,045 before the lean rewrite)")
  {
    // 9,580, 6,094 and 10,060 (--allow-admin) bytes when this was written (protocol 2025-11-25; 11,066,
    // 7,048 and 11,577 before the second trim). A ceiling a little above, so that a regrowth fails.
    CHECK(listing({}).bytes < 9'800);
    CHECK(listing({"--read-only"}).bytes < 6'300);
    CHECK(listing({"--max-rows", "20"}).bytes < 9'800);
    CHECK(listing({"--allow-admin"}).bytes < 10'300);
  }
}
