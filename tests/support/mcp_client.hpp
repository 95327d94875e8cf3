#pragma once

#include "support/process.hpp"

#include <string>
#include <vector>

namespace dbmcp::test {

// A minimal MCP client over a running `dbmcp` process (legacy handshake, 2025-06-18 unless told
// otherwise), for black-box tests of the tools.
class McpClient
{
public:
  // Starts `dbmcp args...` and completes the initialize handshake for `version`, declaring
  // `capabilities` (none by default).
  explicit McpClient(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                     const std::string& version = "2025-06-18", const Json& capabilities = Json::object());

  // tools/call: the result object {content, structuredContent, isError}. Throws when the
  // response is a JSON-RPC error.
  Json call(const std::string& tool, const Json& arguments);
  // The structuredContent of a successful call; throws (with the message) when isError.
  Json call_ok(const std::string& tool, const Json& arguments);
  // The structured error {code, message, …} of a failing call; throws when the call succeeded.
  Json call_error(const std::string& tool, const Json& arguments);
  // Any request; returns the whole response.
  Json request(const std::string& method, const Json& params);
  // Sends a request without waiting for its response (read it with process().read_response);
  // returns its id.
  int send_request(const std::string& method, const Json& params);
  // Answers a request the server sent (elicitation/create) with `result`.
  void respond(const Json& id, const Json& result);

  Process& process() { return m_process; }

private:
  Process m_process;
  int m_next_id = 1;
};

} // namespace dbmcp::test
