// Confirming a large write with the person (issue 16, "Bounded writes"), through the built binary
// on SQLite: update_records/delete_records over --max-affected-rows ask a client that declared
// form elicitation (elicitation/create on 2025-06-18 and later; input_required on 2026-07-28)
// and write only what the person confirmed; a client without the capability is refused as before.
#include "support/demo_database.hpp"
#include "support/mcp_client.hpp"
#include "util/base64.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

const Json k_form = {{"elicitation", Json::object()}};
const std::map<std::string, std::string> k_limit_one = {{"DB_MAX_AFFECTED_ROWS", "1"}};
// The demo database has two pending tasks.
const Json k_pending = {{"table", "tasks"}, {"where", {{"status", "pending"}}}};

Json finish_pending()
{
  Json update = k_pending;
  update["set"] = {{"status", "done"}};
  return update;
}

int64_t pending_tasks(const std::string& db)
{
  McpClient reader({"--db", db});
  return reader.call_ok("count_records", k_pending)["count"].get<int64_t>();
}

// The next message from the server, which must be its elicitation/create request.
Json next_elicitation(McpClient& client)
{
  const Json message = client.process().read_json();
  REQUIRE_MESSAGE(message.value("method", "") == "elicitation/create", message.dump());
  return message;
}

// The structured error of a tools/call response that must be a tool error.
Json tool_error(const Json& response)
{
  REQUIRE_MESSAGE(response.contains("result"), response.dump());
  const Json& result = response["result"];
  REQUIRE(result.value("isError", false));
  return result.contains("structuredContent") ? result["structuredContent"]["error"] : result["_meta"]["dbmcp/error"];
}

// A 2026-07-28 tools/call line: params with the _meta envelope declaring `capabilities`.
Json modern_call(int id, Json params, const Json& capabilities = k_form)
{
  params["_meta"] = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                     {"io.modelcontextprotocol/clientCapabilities", capabilities}};
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"}, {"params", std::move(params)}};
}

const Json k_accept = {{"confirm_write", {{"action", "accept"}, {"content", {{"apply", true}}}}}};

} // namespace

TEST_SUITE("e2e: write confirmation")
{
  TEST_CASE("legacy: the person accepts, and exactly the rows confirmed are written")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db}, k_limit_one, "2025-06-18", k_form);
    const int id = client.send_request("tools/call", {{"name", "update_records"}, {"arguments", finish_pending()}});
    const Json asked = next_elicitation(client);
    CHECK(asked["params"]["message"] == "update_records would change 2 rows of 'tasks' (limit 1). Apply?");
    CHECK(asked["params"]["requestedSchema"]["properties"]["apply"]["type"] == "boolean");
    CHECK(pending_tasks(db) == 2);  // nothing written, and no transaction held, while the person thinks
    client.respond(asked["id"], {{"action", "accept"}, {"content", {{"apply", true}}}});
    const Json response = client.process().read_response(id);
    REQUIRE_MESSAGE(response["result"]["isError"] == false, response.dump());
    CHECK(response["result"]["structuredContent"]["updated"] == 2);
    CHECK(pending_tasks(db) == 0);
  }

  TEST_CASE("legacy: an access policy's limit for the table is the one asked about, and the confirmation lifts it")
  {
    const std::string db = demo_database();
    const std::string policy = temp_dir() + "/tasks-limit.toml";
    std::ofstream(policy) << "[tables.tasks]\naccess = \"write\"\nmax_affected_rows = 1\n";
    McpClient client({"--db", db, "--policy", policy}, {}, "2025-06-18", k_form);
    const int id = client.send_request("tools/call", {{"name", "update_records"}, {"arguments", finish_pending()}});
    const Json asked = next_elicitation(client);
    CHECK(asked["params"]["message"] == "update_records would change 2 rows of 'tasks' (limit 1). Apply?");
    client.respond(asked["id"], {{"action", "accept"}, {"content", {{"apply", true}}}});
    const Json response = client.process().read_response(id);
    REQUIRE_MESSAGE(response["result"]["isError"] == false, response.dump());
    CHECK(response["result"]["structuredContent"]["updated"] == 2);
    CHECK(pending_tasks(db) == 0);
  }

  TEST_CASE("legacy: more rows match by the time the person accepts: refused, nothing written")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db}, k_limit_one, "2025-11-25", k_form);
    const Json remove = {{"table", "tasks"}, {"where", {{"status", {{"in", {"pending", "done"}}}}}}};
    const int before = client.call_ok("count_records", remove)["count"].get<int>();
    const int id = client.send_request("tools/call", {{"name", "delete_records"}, {"arguments", remove}});
    const Json asked = next_elicitation(client);
    CHECK(asked["params"]["mode"] == "form");
    // Another writer adds a matching row while the question is open.
    McpClient other({"--db", db});
    other.call_ok("insert_record", {{"table", "tasks"}, {"record", {{"title", "late"}, {"status", "pending"}}}});
    client.respond(asked["id"], {{"action", "accept"}, {"content", {{"apply", true}}}});
    const Json error = tool_error(client.process().read_response(id));
    CHECK(error["code"] == "too_many_rows");
    CHECK(error["rows"] == before + 1);
    CHECK(client.call_ok("count_records", remove)["count"] == before + 1);
  }

  TEST_CASE("legacy: the person declines: too_many_rows saying so, nothing written")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db}, k_limit_one, "2025-06-18", k_form);
    const int id = client.send_request("tools/call", {{"name", "update_records"}, {"arguments", finish_pending()}});
    const Json asked = next_elicitation(client);
    client.respond(asked["id"], {{"action", "decline"}});
    const Json error = tool_error(client.process().read_response(id));
    CHECK(error["code"] == "too_many_rows");
    CHECK(error["message"].get<std::string>().find("the person declined") != std::string::npos);
    CHECK(pending_tasks(db) == 2);
  }

  TEST_CASE("legacy: the client closes its input before answering: nothing written, exit 0")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db}, k_limit_one, "2025-06-18", k_form);
    const int id = client.send_request("tools/call", {{"name", "update_records"}, {"arguments", finish_pending()}});
    next_elicitation(client);
    client.process().close_stdin();
    const Json error = tool_error(client.process().read_response(id));
    CHECK(error["code"] == "too_many_rows");
    CHECK(client.process().wait() == 0);
    CHECK(pending_tasks(db) == 2);
  }

  TEST_CASE("legacy client without the elicitation capability: refused as before, nothing asked")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db}, k_limit_one);
    std::vector<Json> others;
    const int id = client.send_request("tools/call", {{"name", "update_records"}, {"arguments", finish_pending()}});
    const Json error = tool_error(client.process().read_response(id, &others));
    CHECK(others.empty());
    CHECK(error["code"] == "too_many_rows");
    CHECK(error["message"].get<std::string>().find("--max-affected-rows") != std::string::npos);
    CHECK(pending_tasks(db) == 2);
  }

  TEST_CASE("2026-07-28: input_required, then the retry with the person's answer writes")
  {
    const std::string db = demo_database();
    Process server({binary(), "--db", db}, k_limit_one);
    const Json call = {{"name", "delete_records"}, {"arguments", k_pending}};
    server.send(modern_call(1, call));
    const Json first = server.read_response(1)["result"];
    REQUIRE_MESSAGE(first["resultType"] == "input_required", first.dump());
    const Json input = first["inputRequests"]["confirm_write"];
    CHECK(input["method"] == "elicitation/create");
    CHECK(input["params"]["message"] == "delete_records would change 2 rows of 'tasks' (limit 1). Apply?");
    CHECK(pending_tasks(db) == 2);

    Json retry = call;
    retry["requestState"] = first["requestState"];
    retry["inputResponses"] = k_accept;
    server.send(modern_call(2, retry));
    const Json done = server.read_response(2)["result"];
    REQUIRE_MESSAGE(done["isError"] == false, done.dump());
    CHECK(done["resultType"] == "complete");
    CHECK(done["structuredContent"]["deleted"] == 2);
    CHECK(pending_tasks(db) == 0);
  }

  TEST_CASE("2026-07-28: a forged requestState is refused and nothing is written")
  {
    const std::string db = demo_database();
    Process server({binary(), "--db", db}, k_limit_one);
    const Json call = {{"name", "update_records"}, {"arguments", finish_pending()}};
    server.send(modern_call(1, call));
    const Json first = server.read_response(1)["result"];
    REQUIRE(first["requestState"].is_string());
    const std::string state = first["requestState"];

    // A payload of the client's own making under the server's signature, the state of other
    // arguments, and a state presented to another server process: none verifies.
    Json forged = call;
    const std::string payload = base64url_encode(R"({"rows":1000000,"expires":9999999999999})");
    forged["requestState"] = payload + state.substr(state.find('.'));
    forged["inputResponses"] = k_accept;
    server.send(modern_call(2, forged));
    CHECK(server.read_response(2)["error"]["code"] == -32602);

    Json wider = call;
    wider["arguments"]["where"] = {{"status", {{"ne", "nothing"}}}};
    wider["requestState"] = state;
    wider["inputResponses"] = k_accept;
    server.send(modern_call(3, wider));
    CHECK(server.read_response(3)["error"]["code"] == -32602);

    Process restarted({binary(), "--db", db}, k_limit_one);
    Json replayed = call;
    replayed["requestState"] = state;
    replayed["inputResponses"] = k_accept;
    restarted.send(modern_call(1, replayed));
    CHECK(restarted.read_response(1)["error"]["code"] == -32602);
    CHECK(pending_tasks(db) == 2);
  }

  TEST_CASE("2026-07-28 without form elicitation in the request: refused as before")
  {
    const std::string db = demo_database();
    Process server({binary(), "--db", db}, k_limit_one);
    server.send(modern_call(1, {{"name", "update_records"}, {"arguments", finish_pending()}}, Json::object()));
    const Json error = tool_error(server.read_response(1));
    CHECK(error["code"] == "too_many_rows");
    CHECK(pending_tasks(db) == 2);
  }
}
