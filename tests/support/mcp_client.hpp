#pragma once

#include "support/process.hpp"

#include <string>
#include <vector>

namespace dbmcp::test {

// A minimal MCP client over a running `dbmcp` process (legacy handshake, 2025-06-18), for
// black-box tests of the tools.
class McpClient
{
public:
  // Starts `dbmcp args...` and completes the initialize handshake.
  explicit McpClient(std::vector<std::string> args, std::map<std::string, std::string> env = {});

  // tools/call: the result object {content, structuredContent, isError}. Throws when the
  // response is a JSON-RPC error.
  Json call(const std::string& tool, const Json& arguments);
  // The structuredContent of a successful call; throws (with the message) when isError.
  Json call_ok(const std::string& tool, const Json& arguments);
  // The structured error {code, message, …} of a failing call; throws when the call succeeded.
  Json call_error(const std::string& tool, const Json& arguments);
  // Any request; returns the whole response.
  Json request(const std::string& method, const Json& params);

  Process& process() { return m_process; }

private:
  Process m_process;
  int m_next_id = 1;
};

} // namespace dbmcp::test
