// The MCP protocol through the built binary and real pipes, as a client drives it: both eras,
// every error code, framing limits, concurrency, cancellation, end of input and SIGTERM.
#include "support/catalog_storm.hpp"
#include "support/demo_database.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

constexpr const char* k_version_key = "io.modelcontextprotocol/protocolVersion";
constexpr const char* k_caps_key = "io.modelcontextprotocol/clientCapabilities";

Json modern(const Json& id, const std::string& method, Json params = Json::object(), Json meta = Json::object())
{
  meta[k_version_key] = "2026-07-28";
  meta[k_caps_key] = Json::object();
  params["_meta"] = std::move(meta);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Json legacy(const Json& id, const std::string& method, Json params = Json::object())
{
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Json initialize(const Json& id, const std::string& version)
{
  return legacy(id, "initialize", {{"protocolVersion", version}, {"capabilities", Json::object()},
                                   {"clientInfo", {{"name", "e2e"}, {"version", "1"}}}});
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// `count` users with unique emails tagged `tag`.
Json user_rows(int count, const std::string& tag)
{
  Json rows = Json::array();
  for (int i = 0; i < count; ++i) {
    rows.push_back({{"name", tag + std::to_string(i)}, {"email", tag + std::to_string(i) + "@x"}});
  }
  return rows;
}

int64_t count_users(Process& process, const Json& id)
{
  process.send(modern(id, "tools/call", {{"name", "count_records"}, {"arguments", {{"table", "users"}}}}));
  const Json response = process.read_response(id);
  REQUIRE_MESSAGE(response["result"]["isError"] == false, response.dump());
  return response["result"]["structuredContent"]["count"].get<int64_t>();
}

// Reads until the first notifications/progress for `token`.
void wait_for_progress(Process& process, const Json& token)
{
  for (int i = 0; i < 1000; ++i) {
    const Json message = process.read_json(60s);
    if (message.value("method", "") == "notifications/progress" && message["params"]["progressToken"] == token) {
      return;
    }
    REQUIRE_MESSAGE(message.contains("method"), "a response came before any progress: " << message.dump().substr(0, 300));
  }
  FAIL("no progress notification");
}

} // namespace

TEST_SUITE("e2e: protocol")
{
  TEST_CASE("server/discover piped, then end of input: one line, exit 0")
  {
    const std::string db = demo_database("protocol.db");
    const auto run = run_dbmcp({"--db", db}, modern("d", "server/discover").dump() + "\n");
    CHECK(run.exit_code == 0);
    const auto lines = lines_of(run.out);
    REQUIRE(lines.size() == 1);
    const Json result = Json::parse(lines[0])["result"];
    CHECK(result["supportedVersions"][0] == "2026-07-28");
    CHECK(result["resultType"] == "complete");
    CHECK(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "dbmcp");
  }

  TEST_CASE("initialize negotiates each legacy version")
  {
    const std::string db = demo_database("protocol.db");
    for (const std::string version : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2099-01-01"}) {
      CAPTURE(version);
      Process process({binary(), "--db", db});
      process.send(initialize(1, version));
      const Json result = process.read_response(1)["result"];
      CHECK(result["protocolVersion"] == (version == "2099-01-01" ? "2025-11-25" : version));
      CHECK(result["serverInfo"]["name"] == "dbmcp");
      process.send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
      process.send(legacy(2, "ping"));
      // The notification got no reply: the next line is the ping's answer.
      const Json pong = process.read_json();
      CHECK(pong["id"] == 2);
      CHECK(pong["result"] == Json::object());
      process.close_stdin();
      CHECK(process.wait() == 0);
    }
  }

  TEST_CASE("every error code, and serving goes on after each")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    process.send_line("{garbage");
    const Json parse = process.read_json();
    CHECK(parse["error"]["code"] == -32700);
    CHECK(parse["id"].is_null());

    process.send_line(R"({"jsonrpc":"2.0","id":true,"method":"ping"})");
    CHECK(process.read_json()["error"]["code"] == -32600);
    process.send_line(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");  // a batch outside 2025-03-26
    CHECK(process.read_json()["error"]["code"] == -32600);

    process.send(modern(3, "no/such/method"));
    CHECK(process.read_response(3)["error"]["code"] == -32601);
    process.send(modern(4, "tools/call", {{"name", "no_such_tool"}}));
    CHECK(process.read_response(4)["error"]["code"] == -32602);
    process.send(legacy(5, "tools/list", {{"_meta", {{k_version_key, "1900-01-01"}, {k_caps_key, Json::object()}}}}));
    const Json unsupported = process.read_response(5)["error"];
    CHECK(unsupported["code"] == -32022);
    CHECK(unsupported["data"]["requested"] == "1900-01-01");
    CHECK(unsupported["data"]["supported"][0] == "2026-07-28");
    process.send(modern(6, "resources/read", {{"uri", "db://tables/nope/schema"}}));
    CHECK(process.read_response(6)["error"]["code"] == -32602);

    process.send(initialize(7, "2025-11-25"));
    process.read_response(7);
    process.send(legacy(8, "resources/read", {{"uri", "db://tables/nope/schema"}}));
    CHECK(process.read_response(8)["error"]["code"] == -32002);
    process.send(legacy(9, "logging/setLevel", {{"level", "loud"}}));
    CHECK(process.read_response(9)["error"]["code"] == -32602);

    process.send(legacy(10, "tools/call", {{"name", "list_records"}, {"arguments", {{"table", "no_such_table"}}}}));
    const Json tool_failure = process.read_response(10);
    CHECK(tool_failure["result"]["isError"] == true);  // a tool failure is a result, not an error

    process.send(legacy(11, "ping"));
    CHECK(process.read_response(11)["result"] == Json::object());
    process.close_stdin();
    CHECK(process.read_remaining_lines().empty());
    CHECK(process.wait() == 0);
  }

  TEST_CASE("an oversize line is -32600 naming the limit; the next line is served")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db, "--max-line-bytes", "1024"});
    process.send(modern(1, "tools/call", {{"name", "list_tables"}, {"arguments", {{"pad", std::string(4000, 'x')}}}}));
    process.send(modern(2, "tools/call", {{"name", "list_tables"}}));
    const Json error = process.read_json();
    CHECK(error["error"]["code"] == -32600);
    CHECK(error["id"].is_null());
    CHECK(error["error"]["message"].get<std::string>().find("1024") != std::string::npos);
    const Json ok = process.read_json();
    CHECK(ok["id"] == 2);
    CHECK(ok["result"]["isError"] == false);
    process.close_stdin();
    CHECK(process.wait() == 0);
  }

  TEST_CASE("end of input with a request in flight: it is still answered, then exit 0")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    process.send(modern(1, "tools/call", {{"name", "insert_records"}, {"arguments", {{"table", "users"}, {"records", user_rows(20000, "eof")}}}}));
    process.close_stdin();
    const Json response = process.read_response(1, nullptr, 60s);
    CHECK(response["result"]["isError"] == false);
    CHECK(response["result"]["structuredContent"]["inserted"] == 20000);
    CHECK(process.wait(30s) == 0);
  }

  TEST_CASE("SIGTERM makes the server exit promptly with code 0")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    process.send(modern(1, "server/discover"));
    process.read_response(1);  // the server is up and reading
    const auto started = std::chrono::steady_clock::now();
    process.kill(SIGTERM);
    CHECK(process.wait(5s) == 0);
    CHECK(std::chrono::steady_clock::now() - started < 3s);
  }

  TEST_CASE("SIGTERM during a long insert: it is cancelled and the server exits 0")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    process.send(modern(1, "tools/call", {{"name", "insert_records"}, {"arguments", {{"table", "users"}, {"records", user_rows(300000, "t")}, {"batch_size", 1000}}}},
                        {{"progressToken", "t"}}));
    wait_for_progress(process, "t");
    process.kill(SIGTERM);
    CHECK(process.wait(10s) == 0);
    const auto after = run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"});
    CHECK(Json::parse(after.out)["count"] == 5);
  }

  TEST_CASE("200 requests written without waiting: each answered once, matched by id, one message a line")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db, "--workers", "4"});
    std::string burst;
    for (int i = 0; i < 200; ++i) {
      const Json arguments = i % 2 == 0 ? Json{{"table", "users"}, {"id", 1 + i % 5}} : Json{{"table", "posts"}};
      burst += modern(i, "tools/call", {{"name", i % 2 == 0 ? "get_record" : "count_records"}, {"arguments", arguments}}).dump() + "\n";
    }
    process.write(burst);
    std::set<int> answered;
    for (int i = 0; i < 200; ++i) {
      const auto line = process.read_line(60s);
      REQUIRE(line.has_value());
      const Json message = Json::parse(*line); // throws if two messages shared a line
      REQUIRE(message.contains("id"));
      const int id = message["id"].get<int>();
      CHECK(answered.insert(id).second);
      const Json& result = message["result"]["structuredContent"];
      if (id % 2 == 0) {
        CHECK(result["record"]["id"] == 1 + id % 5);
      } else {
        CHECK(result["count"] == 6);
      }
    }
    CHECK(answered.size() == 200);
    process.close_stdin();
    CHECK(process.read_remaining_lines().empty());
    CHECK(process.wait() == 0);
  }

  TEST_CASE("3,000 pipelined catalog refreshes beside catalog walks: every one answered, no crash")
  {
    const std::string dir = temp_dir();
    const std::string db = dir + "/wide.db";
    std::ofstream(dir + "/wide.sql") << many_tables_sql(300);
    const auto init = run_dbmcp({"--db", db, "init", "--schema", dir + "/wide.sql"});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    Process process({binary(), "--db", db, "--workers", "4"});
    refresh_storm(process, 3000);
    process.close_stdin();
    CHECK(process.wait() == 0);
  }

  TEST_CASE("ping is answered while a long insert_records runs")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    process.send(initialize(0, "2025-11-25"));
    process.read_response(0);
    process.send(legacy(1, "tools/call", {{"name", "insert_records"}, {"arguments", {{"table", "users"}, {"records", user_rows(100000, "p")}, {"batch_size", 1000}}}, {"_meta", {{"progressToken", 1}}}}));
    wait_for_progress(process, 1);
    process.send(legacy(2, "ping"));
    std::vector<Json> others;
    CHECK(process.read_response(2, &others)["result"] == Json::object());
    for (const auto& message : others) {
      CHECK(message.contains("method"));  // the insert had not answered before the ping
    }
    const Json insert = process.read_response(1, nullptr, 60s);
    CHECK(insert["result"]["structuredContent"]["inserted"] == 100000);
    process.close_stdin();
    CHECK(process.wait() == 0);
  }

  TEST_CASE("a cancelled insert_records of a million rows gets no response and leaves the table unchanged")
  {
    const std::string db = demo_database("protocol.db");
    Process process({binary(), "--db", db});
    CHECK(count_users(process, "c0") == 5);
    // About 40 MB on one line: it fits the default 64 MiB line limit.
    process.send(modern(1, "tools/call", {{"name", "insert_records"}, {"arguments", {{"table", "users"}, {"records", user_rows(1000000, "k")}, {"batch_size", 1000}}}},
                        {{"progressToken", "k"}}));
    wait_for_progress(process, "k");
    process.send({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}, {"params", {{"requestId", 1}, {"reason", "test"}}}});
    std::vector<Json> others;
    process.send(modern("c1", "tools/call", {{"name", "count_records"}, {"arguments", {{"table", "users"}}}}));
    const Json count = process.read_response("c1", &others, 60s);
    CHECK(count["result"]["structuredContent"]["count"] == 5);
    process.close_stdin();
    for (const auto& line : process.read_remaining_lines(60s)) {
      others.push_back(Json::parse(line));
    }
    for (const auto& message : others) {
      CHECK_MESSAGE(!(message.contains("id") && message["id"] == 1), message.dump().substr(0, 300));
    }
    CHECK(process.wait() == 0);
    const auto after = run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"});
    CHECK(Json::parse(after.out)["count"] == 5);
  }
}
