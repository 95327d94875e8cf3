// The 2026-07-28 era: per-request _meta, server/discover, the result envelope, -32022,
// era-specific methods and per-request logging.
#include "test_mcp_harness.hpp"

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("mcp::Server modern")
{
  TEST_CASE("Server: server/discover lists versions, capabilities, instructions and serverInfo")
  {
    const auto out = serve_messages({modern("d", "server/discover")}, {.version = "9.9", .instructions = "hi"});
    REQUIRE(out.size() == 1);
    const Json result = response_to(out, "d")["result"];
    CHECK(result["supportedVersions"] ==
          Json::array({"2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}));
    CHECK(result["capabilities"].contains("tools"));
    CHECK(result["capabilities"].contains("resources"));
    CHECK(result["capabilities"].contains("completions"));
    CHECK_FALSE(result["capabilities"].contains("logging"));
    CHECK(result["instructions"] == "hi");
    CHECK(result["resultType"] == "complete");
    CHECK(result["ttlMs"].is_number_integer());
    CHECK(result["cacheScope"] == "private");
    CHECK(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "dbmcp");
    CHECK(result["_meta"]["io.modelcontextprotocol/serverInfo"]["version"] == "9.9");
  }

  TEST_CASE("Server: server/discover without _meta is answered too (a probe)")
  {
    const auto out = serve_messages({request(1, "server/discover")});
    CHECK(response_to(out, 1)["result"]["supportedVersions"][0] == "2026-07-28");
  }

  TEST_CASE("Server: every modern result has resultType; lists and reads have ttlMs and cacheScope")
  {
    const auto out = serve_messages({
        modern(1, "tools/list"),
        modern(2, "tools/call", {{"name", "echo"}, {"arguments", {{"x", 1}}}}),
        modern(3, "resources/list"),
        modern(4, "resources/templates/list"),
        modern(5, "resources/read", {{"uri", "db://tables/users/schema"}}),
        modern(6, "completion/complete", {{"ref", {{"type", "ref/resource"}, {"uri", "db://tables/{table}/schema"}}},
                                          {"argument", {{"name", "table"}, {"value", "p"}}}}),
    });
    REQUIRE(out.size() == 6);
    for (int id = 1; id <= 6; ++id) {
      CAPTURE(id);
      const Json result = response_to(out, id)["result"];
      CHECK(result["resultType"] == "complete");
      const bool cacheable = id != 2 && id != 6;
      CHECK(result.contains("ttlMs") == cacheable);
      CHECK(result.contains("cacheScope") == cacheable);
    }
    const Json tools = response_to(out, 1)["result"]["tools"];
    CHECK(tools[0]["title"] == "Echo");
    CHECK(tools[0].contains("outputSchema"));
    CHECK(response_to(out, 2)["result"]["structuredContent"]["echo"]["x"] == 1);
    CHECK(response_to(out, 3)["result"]["resources"].size() == 3);
    CHECK(response_to(out, 5)["result"]["contents"][0]["text"] == "{\"table\":\"users\"}");
    CHECK(response_to(out, 6)["result"]["completion"]["values"] == Json::array({"posts", "products"}));
    CHECK(response_to(out, 6)["result"]["completion"]["hasMore"] == false);
  }

  TEST_CASE("Server: tools/list order is deterministic")
  {
    const auto out = serve_messages({modern(1, "tools/list"), modern(2, "tools/list")});
    CHECK(response_to(out, 1)["result"]["tools"] == response_to(out, 2)["result"]["tools"]);
  }

  TEST_CASE("Server: an unsupported version is -32022 with data.supported and data.requested")
  {
    Json bad = modern(1, "tools/list");
    bad["params"]["_meta"][k_version_key] = "1900-01-01";
    const auto out = serve_messages({bad});
    const Json error = response_to(out, 1)["error"];
    CHECK(error["code"] == -32022);
    CHECK(error["data"]["requested"] == "1900-01-01");
    CHECK(error["data"]["supported"][0] == "2026-07-28");
  }

  TEST_CASE("Server: a modern request without clientCapabilities is -32602")
  {
    Json missing = modern(1, "tools/list");
    missing["params"]["_meta"].erase(k_caps_key);
    Json not_string = modern(2, "tools/list");
    not_string["params"]["_meta"][k_version_key] = 20260728;
    const auto out = serve_messages({missing, not_string});
    CHECK(response_to(out, 1)["error"]["code"] == -32602);
    CHECK(response_to(out, 2)["error"]["code"] == -32602);
  }

  TEST_CASE("Server: ping, logging/setLevel and initialize do not exist in 2026-07-28")
  {
    const auto out = serve_messages({modern(1, "ping"), modern(2, "logging/setLevel", {{"level", "debug"}}),
                                     modern(3, "initialize", {{"protocolVersion", "2025-11-25"}}),
                                     modern(4, "no/such/method")});
    for (int id = 1; id <= 4; ++id) {
      CHECK(response_to(out, id)["error"]["code"] == -32601);
    }
  }

  TEST_CASE("Server: resources/read of an unknown uri is -32602 (modern), -32002 (legacy)")
  {
    const Json params = {{"uri", "db://tables/nope/schema"}};
    const auto out = serve_messages({modern(1, "resources/read", params), initialize(2, "2025-11-25"),
                                     request(3, "resources/read", params)});
    CHECK(response_to(out, 1)["error"]["code"] == -32602);
    CHECK(response_to(out, 3)["error"]["code"] == -32002);
    CHECK(response_to(out, 3)["error"]["data"]["uri"] == "db://tables/nope/schema");
  }

  TEST_CASE("Server: no notifications/message without logLevel; with it, at or above the level")
  {
    const Json call = {{"name", "steps"}, {"arguments", {{"n", 1}}}};
    const auto quiet = serve_messages({modern(1, "tools/call", call)});
    REQUIRE(quiet.size() == 1);
    CHECK(quiet[0]["id"] == 1);

    const auto loud = serve_messages({modern(2, "tools/call", call, {{k_log_key, "debug"}})});
    std::vector<std::string> levels;
    for (const auto& m : loud) {
      if (m.value("method", "") == "notifications/message") {
        levels.push_back(m["params"]["level"]);
      }
    }
    CHECK(levels == std::vector<std::string>{"debug", "warning"});

    const auto bad = serve_messages({modern(3, "tools/call", call, {{k_log_key, "loud"}})});
    CHECK(response_to(bad, 3)["error"]["code"] == -32602);
  }

  TEST_CASE("Server: a modern request works without initialize, alongside a legacy session")
  {
    const auto out = serve_messages({modern(1, "tools/call", {{"name", "echo"}}), initialize(2, "2024-11-05"),
                                     request(3, "tools/call", {{"name", "echo"}}),
                                     modern(4, "tools/call", {{"name", "echo"}})});
    CHECK(response_to(out, 1)["result"].contains("structuredContent"));
    CHECK_FALSE(response_to(out, 3)["result"].contains("structuredContent"));  // 2024-11-05
    CHECK_FALSE(response_to(out, 3)["result"].contains("resultType"));
    CHECK(response_to(out, 4)["result"]["resultType"] == "complete");
  }
}
