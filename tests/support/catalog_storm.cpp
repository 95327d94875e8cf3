#include "support/catalog_storm.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <set>

namespace dbmcp::test {
namespace {

Json request(int id, const std::string& method, Json params)
{
  params["_meta"] = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                     {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Json storm_request(int id)
{
  switch (id % 4) {
  case 0:
    return request(id, "tools/call", {{"name", "list_tables"}, {"arguments", {{"refresh", true}}}});
  case 1:
    return request(id, "tools/call", {{"name", "list_tables"}, {"arguments", Json::object()}});
  case 2:
    return request(id, "resources/list", Json::object());
  default:
    return request(id, "completion/complete",
                   {{"ref", {{"type", "ref/resource"}, {"uri", "db://tables/{table}/schema"}}},
                    {"argument", {{"name", "table"}, {"value", "t"}}}});
  }
}

} // namespace

std::string many_tables_sql(int count)
{
  std::string sql;
  for (int i = 0; i < count; ++i) {
    sql += fmt::format("CREATE TABLE t{} (id INTEGER PRIMARY KEY, name TEXT, value INTEGER);\n", i);
  }
  return sql;
}

void refresh_storm(Process& server, int count)
{
  std::string burst;
  for (int id = 0; id < count; ++id) {
    burst += storm_request(id).dump() + "\n";
  }
  server.write(burst);
  std::set<int> answered;
  for (int i = 0; i < count; ++i) {
    const auto line = server.read_line(120s);
    REQUIRE_MESSAGE(line.has_value(), "the server stopped after " << i << " answers: " << server.stderr_text());
    const Json message = Json::parse(*line);
    REQUIRE_MESSAGE(message.contains("result"), message.dump().substr(0, 300));
    CHECK(answered.insert(message["id"].get<int>()).second);
    const Json& result = message["result"];
    if (result.contains("isError")) {
      REQUIRE_MESSAGE(result["isError"] == false, result.dump().substr(0, 300));
    }
  }
  CHECK(answered.size() == static_cast<size_t>(count));
  server.send(request(count, "tools/call", {{"name", "list_tables"}, {"arguments", Json::object()}}));
  CHECK(server.read_response(count)["result"]["isError"] == false);
}

} // namespace dbmcp::test
