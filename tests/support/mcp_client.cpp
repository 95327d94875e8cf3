#include "support/mcp_client.hpp"

#include <stdexcept>

namespace dbmcp::test {

McpClient::McpClient(std::vector<std::string> args, std::map<std::string, std::string> env,
                     const std::string& version, const Json& capabilities)
  : m_process([&] {
      args.insert(args.begin(), binary());
      return args;
    }(),
              std::move(env))
{
  const Json init = request("initialize", {{"protocolVersion", version},
                                           {"capabilities", capabilities},
                                           {"clientInfo", {{"name", "dbmcp-tests"}, {"version", "1"}}}});
  if (!init.contains("result")) {
    throw std::runtime_error("initialize failed: " + init.dump());
  }
  m_process.send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
}

Json McpClient::request(const std::string& method, const Json& params)
{
  return m_process.read_response(send_request(method, params));
}

int McpClient::send_request(const std::string& method, const Json& params)
{
  const int id = m_next_id++;
  m_process.send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  return id;
}

void McpClient::respond(const Json& id, const Json& result)
{
  m_process.send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

Json McpClient::call(const std::string& tool, const Json& arguments)
{
  const Json response = request("tools/call", {{"name", tool}, {"arguments", arguments}});
  if (!response.contains("result")) {
    throw std::runtime_error("tools/call " + tool + " failed: " + response.dump());
  }
  return response["result"];
}

Json McpClient::call_ok(const std::string& tool, const Json& arguments)
{
  Json result = call(tool, arguments);
  if (result.value("isError", false)) {
    throw std::runtime_error(tool + " returned an error: " + result.dump());
  }
  return result["structuredContent"];
}

Json McpClient::call_error(const std::string& tool, const Json& arguments)
{
  Json result = call(tool, arguments);
  if (!result.value("isError", false)) {
    throw std::runtime_error(tool + " succeeded but an error was expected: " + result.dump().substr(0, 300));
  }
  // A tool with an outputSchema reports its error object in _meta (see mcp/tool_methods.hpp).
  if (!result.contains("structuredContent")) {
    return result["_meta"]["dbmcp/error"];
  }
  return result["structuredContent"]["error"];
}

} // namespace dbmcp::test
