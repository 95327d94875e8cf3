// Every error code on the wire, and that the server keeps serving after each.
#include "test_mcp_harness.hpp"

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("mcp::Server errors")
{
  TEST_CASE("Server: garbage then a good line: -32700 with id null, then the answer")
  {
    const auto out = serve_lines({"{this is not json", modern(1, "server/discover").dump()});
    REQUIRE(out.size() == 2);
    CHECK(out[0]["error"]["code"] == -32700);
    CHECK(out[0]["id"].is_null());
    CHECK(out[1]["id"] == 1);
  }

  TEST_CASE("Server: an oversize line is -32600 naming the limit, then serving goes on")
  {
    const std::string big = modern(1, "tools/call", {{"name", "echo"}, {"arguments", {{"pad", std::string(3000, 'x')}}}}).dump();
    const auto out = serve_lines({big, modern(2, "server/discover").dump()}, {.max_line_bytes = 1024});
    REQUIRE(out.size() == 2);
    CHECK(out[0]["error"]["code"] == -32600);
    CHECK(out[0]["id"].is_null());
    CHECK(out[0]["error"]["message"].get<std::string>().find("1024") != std::string::npos);
    CHECK(out[1]["id"] == 2);
  }

  TEST_CASE("Server: a line nested 150,000 deep is -32700 with id null, then serving goes on")
  {
    const std::string deep = "{\"a\":" + std::string(150'000, '[') + std::string(150'000, ']') + ",\"b\":1}";
    // A tools/call whose argument nests 100,000 deep: refused at the line, before any worker
    // copies or prints it.
    std::string argument;
    for (int i = 0; i < 100'000; ++i) {
      argument += "{\"x\":";
    }
    argument += "1" + std::string(100'000, '}');
    const std::string deep_call = R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"v":)"
                                  + argument + R"(,"w":2}}})";
    const auto out = serve_lines({deep, initialize(0, "2025-11-25").dump(), deep_call,
                                  request(1, "tools/call", {{"name", "echo"}, {"arguments", {{"ok", true}}}}).dump()});
    REQUIRE(out.size() == 4);
    CHECK(out[0]["error"]["code"] == -32700);
    CHECK(out[0]["id"].is_null());
    CHECK(out[0]["error"]["message"].get<std::string>().find("nested deeper than 256") != std::string::npos);
    CHECK(response_to(out, 0).contains("result"));
    CHECK(out[2]["error"]["code"] == -32700);
    CHECK(response_to(out, 1)["result"]["isError"] == false);
  }

  TEST_CASE("Server: invalid requests are -32600")
  {
    const auto out = serve_lines({"42", R"({"id":1,"method":"ping"})", R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
                                  R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", R"({"jsonrpc":"2.0","id":2,"method":7})",
                                  R"({"jsonrpc":"2.0","id":3,"method":"ping"})"});
    REQUIRE(out.size() == 6);
    for (size_t i = 0; i < 5; ++i) {
      CAPTURE(i);
      CHECK(out[i]["error"]["code"] == -32600);
    }
    CHECK(out[1]["id"] == 1);
    CHECK(out[4]["id"] == 2);
    CHECK(out[5]["result"] == Json::object());
  }

  TEST_CASE("Server: blank lines and client responses are ignored")
  {
    const auto out = serve_lines({"", "   ", R"({"jsonrpc":"2.0","id":5,"result":{}})", modern(1, "server/discover").dump()});
    REQUIRE(out.size() == 1);
    CHECK(out[0]["id"] == 1);
  }

  TEST_CASE("Server: -32601 for unknown methods, -32602 for bad params, unknown tools, cursors")
  {
    const auto out = serve_messages({
        initialize(0, "2025-11-25"),
        request(1, "no/such/method"),
        request(2, "tools/call", {{"name", "no_such_tool"}}),
        request(3, "tools/call", {{"arguments", Json::object()}}),
        request(4, "tools/call", {{"name", "echo"}, {"arguments", "text"}}),
        request(5, "tools/list", {{"cursor", "not-a-cursor"}}),
        request(6, "tools/list", {{"cursor", 17}}),
        request(7, "resources/read", Json::object()),
        request(8, "completion/complete", {{"ref", {{"type", "ref/prompt"}, {"name", "p"}}}, {"argument", {{"name", "a"}}}}),
        request("s", "tools/call", {{"name", "echo"}}),
    });
    CHECK(response_to(out, 1)["error"]["code"] == -32601);
    for (int id = 2; id <= 8; ++id) {
      CAPTURE(id);
      CHECK(response_to(out, id)["error"]["code"] == -32602);
    }
    CHECK(response_to(out, "s")["result"]["isError"] == false);
  }

  TEST_CASE("Server: an internal failure is -32603 and the server keeps serving")
  {
    // A Resources whose list() throws something that is not a protocol error.
    struct Broken : TestResources
    {
      std::vector<Json> list() const override { throw std::runtime_error("disk on fire"); }
    };
    Gate gate;
    const auto registry = make_test_tools(gate);
    Broken broken;
    mcp::Server server(registry, &broken, {});
    std::istringstream in(modern(1, "resources/list").dump() + "\n" + modern(2, "server/discover").dump() + "\n");
    std::ostringstream out;
    REQUIRE(server.serve(in, out) == 0);
    std::vector<Json> messages;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
      messages.push_back(Json::parse(line));
    }
    REQUIRE(messages.size() == 2);
    const Json error = response_to(messages, 1);
    CHECK(error["error"]["code"] == -32603);
    CHECK(error["error"]["message"].get<std::string>().find("disk on fire") != std::string::npos);
    CHECK(response_to(messages, 2)["result"].contains("supportedVersions"));
  }

  TEST_CASE("Server: without resources, resource methods are -32601 and not declared")
  {
    const auto out = serve_lines({modern(1, "resources/list").dump(), modern(2, "server/discover").dump()}, {}, false);
    CHECK(response_to(out, 1)["error"]["code"] == -32601);
    CHECK_FALSE(response_to(out, 2)["result"]["capabilities"].contains("resources"));
  }

  TEST_CASE("Server: a duplicate id while the first is in flight is -32600")
  {
    LiveServer live;
    live.send(modern(1, "tools/call", {{"name", "gate"}}));
    REQUIRE(live.wait_gate_entered(1));
    live.send(modern(1, "server/discover"));
    const Json duplicate = live.response(1);
    CHECK(duplicate["error"]["code"] == -32600);
    live.gate.release();
    CHECK(live.response(1)["result"]["structuredContent"]["gate"] == "passed");
  }
}
