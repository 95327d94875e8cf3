// The legacy era (initialize handshake): negotiation for each version, features by version,
// ping, logging, batches on 2025-03-26 only, notifications without replies.
#include "test_mcp_harness.hpp"

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("mcp::Server legacy")
{
  TEST_CASE("Server: initialize answers each supported legacy version with itself")
  {
    for (const std::string version : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}) {
      CAPTURE(version);
      const auto out = serve_messages({initialize(1, version), notification("notifications/initialized")},
                                      {.version = "1.2.3", .instructions = "use list_tables"});
      REQUIRE(out.size() == 1);  // the notification gets no reply
      const Json result = response_to(out, 1)["result"];
      CHECK(result["protocolVersion"] == version);
      CHECK(result["serverInfo"]["name"] == "dbmcp");
      CHECK(result["serverInfo"]["version"] == "1.2.3");
      CHECK(result["instructions"] == "use list_tables");
      CHECK(result["capabilities"].contains("tools"));
      CHECK(result["capabilities"].contains("resources"));
      CHECK(result["capabilities"].contains("logging"));
      CHECK(result["capabilities"].contains("completions") == (version != "2024-11-05"));
      CHECK_FALSE(result.contains("resultType"));
    }
  }

  TEST_CASE("Server: an unknown or modern version in initialize gets our latest legacy one")
  {
    for (const std::string version : {"1999-01-01", "2026-07-28"}) {
      const auto out = serve_messages({initialize(1, version)});
      CHECK(response_to(out, 1)["result"]["protocolVersion"] == "2025-11-25");
    }
    const auto bad = serve_messages({request(1, "initialize", {{"capabilities", Json::object()}})});
    CHECK(response_to(bad, 1)["error"]["code"] == -32602);
  }

  TEST_CASE("Server: tools/list shape follows the negotiated version")
  {
    SUBCASE("2024-11-05: no annotations, title or outputSchema")
    {
      const auto out = serve_messages({initialize(1, "2024-11-05"), request(2, "tools/list")});
      const Json tool = response_to(out, 2)["result"]["tools"][0];
      CHECK(tool["name"] == "echo");
      CHECK(tool.contains("inputSchema"));
      CHECK_FALSE(tool.contains("annotations"));
      CHECK_FALSE(tool.contains("title"));
      CHECK_FALSE(tool.contains("outputSchema"));
    }
    SUBCASE("2025-03-26: annotations")
    {
      const auto out = serve_messages({initialize(1, "2025-03-26"), request(2, "tools/list")});
      const Json tool = response_to(out, 2)["result"]["tools"][0];
      CHECK(tool["annotations"]["readOnlyHint"] == true);
      CHECK(tool["annotations"]["openWorldHint"] == false);
      CHECK_FALSE(tool.contains("outputSchema"));
    }
    SUBCASE("2025-06-18: title, outputSchema, annotations; registry order")
    {
      const auto out = serve_messages({initialize(1, "2025-06-18"), request(2, "tools/list")});
      const Json tools = response_to(out, 2)["result"]["tools"];
      REQUIRE(tools.size() == 6);
      CHECK(tools[0]["title"] == "Echo");
      CHECK(tools[0]["outputSchema"]["type"] == "object");
      CHECK_FALSE(tools[1].contains("outputSchema"));  // fail has none
      CHECK(tools[4]["name"] == "block");
      CHECK(tools[4]["annotations"] == Json{{"openWorldHint", false}}); // writes, destructively: the defaults
      CHECK_FALSE(response_to(out, 2)["result"].contains("nextCursor"));
    }
  }

  TEST_CASE("Server: tools/call results, with structuredContent from 2025-06-18")
  {
    const Json call = request(2, "tools/call", {{"name", "echo"}, {"arguments", {{"a", 1}}}});
    const auto old = serve_messages({initialize(1, "2025-03-26"), call});
    const Json old_result = response_to(old, 2)["result"];
    CHECK(old_result["isError"] == false);
    CHECK(old_result["content"][0]["type"] == "text");
    CHECK(Json::parse(old_result["content"][0]["text"].get<std::string>())["echo"]["a"] == 1);
    CHECK_FALSE(old_result.contains("structuredContent"));

    const auto out = serve_messages({initialize(1, "2025-06-18"), call,
                                     request(3, "tools/call", {{"name", "fail"}})});
    CHECK(response_to(out, 2)["result"]["structuredContent"]["echo"]["a"] == 1);
    const Json failed = response_to(out, 3)["result"];
    CHECK(failed["isError"] == true);
    CHECK(failed["content"][0]["text"] == "boom");
    CHECK(failed["structuredContent"]["error"]["code"] == "invalid_argument");
  }

  TEST_CASE("Server: ping answers {} before and after initialize")
  {
    const auto out = serve_messages({request("p0", "ping"), initialize(1, "2025-11-25"), request("p1", "ping")});
    CHECK(response_to(out, "p0")["result"] == Json::object());
    CHECK(response_to(out, "p1")["result"] == Json::object());
  }

  TEST_CASE("Server: a legacy request other than initialize/ping before initialize is -32602")
  {
    const auto out = serve_messages({request(1, "tools/list")});
    CHECK(response_to(out, 1)["error"]["code"] == -32602);
  }

  TEST_CASE("Server: logging/setLevel sends notifications/message at or above the level only")
  {
    const Json call = request(3, "tools/call", {{"name", "steps"}, {"arguments", {{"n", 1}}}});
    SUBCASE("no level set: no log notifications")
    {
      const auto out = serve_messages({initialize(1, "2025-11-25"), call});
      for (const auto& m : out) {
        CHECK(m.value("method", "") != "notifications/message");
      }
    }
    SUBCASE("warning: the warning line only")
    {
      const auto out = serve_messages({initialize(1, "2025-11-25"), request(2, "logging/setLevel", {{"level", "warning"}}), call});
      CHECK(response_to(out, 2)["result"] == Json::object());
      std::vector<Json> logs;
      for (const auto& m : out) {
        if (m.value("method", "") == "notifications/message") {
          logs.push_back(m["params"]);
        }
      }
      REQUIRE(logs.size() == 1);
      CHECK(logs[0]["level"] == "warning");
      CHECK(logs[0]["logger"] == "dbmcp");
      CHECK(logs[0]["data"] == "steps: warning line");
    }
    SUBCASE("an invalid level is -32602")
    {
      const auto out = serve_messages({initialize(1, "2025-11-25"), request(2, "logging/setLevel", {{"level", "loud"}})});
      CHECK(response_to(out, 2)["error"]["code"] == -32602);
    }
  }

  TEST_CASE("Server: batches only in a 2025-03-26 session")
  {
    const std::string batch = Json::array({request(10, "ping"), notification("notifications/initialized"),
                                           request(11, "tools/call", {{"name", "echo"}}),
                                           request(12, "no/such")})
                                  .dump();
    SUBCASE("2025-03-26: one array line answering the requests")
    {
      const auto out = serve_lines({initialize(1, "2025-03-26").dump(), batch});
      REQUIRE(out.size() == 2);
      const Json& responses = out[1];
      REQUIRE(responses.is_array());
      REQUIRE(responses.size() == 3);
      CHECK(responses[0]["id"] == 10);
      CHECK(responses[1]["result"]["isError"] == false);
      CHECK(responses[2]["error"]["code"] == -32601);
    }
    for (const std::string version : {"2024-11-05", "2025-06-18", "2025-11-25"}) {
      CAPTURE(version);
      const auto out = serve_lines({initialize(1, version).dump(), batch});
      REQUIRE(out.size() == 2);
      CHECK(out[1]["error"]["code"] == -32600);
      CHECK(out[1]["id"].is_null());
    }
    SUBCASE("before initialize, and empty batches")
    {
      CHECK(serve_lines({batch})[0]["error"]["code"] == -32600);
      const auto out = serve_lines({initialize(1, "2025-03-26").dump(), "[]"});
      CHECK(out[1]["error"]["code"] == -32600);
    }
    SUBCASE("initialize inside a batch is refused")
    {
      const auto out = serve_lines({initialize(1, "2025-03-26").dump(), Json::array({initialize(5, "2025-03-26")}).dump()});
      CHECK(out[1][0]["error"]["code"] == -32600);
    }
  }

  TEST_CASE("Server: notifications never get a reply")
  {
    const auto out = serve_messages({notification("notifications/initialized"), notification("notifications/cancelled", {{"requestId", 99}}),
                                     notification("no/such/notification"), notification("ping")});
    CHECK(out.empty());
  }
}
