#pragma once

// An MCP client over a running `dbmcp` that keeps every byte the server writes to stdout (its transcript), in either
// era of the protocol, with logging at debug and a progress token on every call, so that a test can search all of it
// for what must never be said.
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace dbmcp::test::policy_sweep {

// Legacy: the initialize handshake at 2025-06-18, then logging/setLevel. Modern: 2026-07-28, no handshake
// (server/discover first), the version and a log level in every request's _meta.
enum class Era
{
  legacy,
  modern
};

inline std::string lowercase(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

class SweepClient
{
public:
  // Starts `dbmcp args...` and opens the session: initialize (legacy) or server/discover (modern).
  SweepClient(std::vector<std::string> args, Era era)
      : m_era(era)
      , m_process([&] {
        args.insert(args.begin(), binary());
        return args;
      }())
  {
    if (m_era == Era::legacy) {
      const Json init = request("initialize", {{"protocolVersion", "2025-06-18"},
                                               {"capabilities", Json::object()},
                                               {"clientInfo", {{"name", "policy-sweep"}, {"version", "1"}}}});
      REQUIRE_MESSAGE(init.contains("result"), init.dump());
      m_process.send({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
      request("logging/setLevel", {{"level", "debug"}});
    } else {
      const Json discover = request("server/discover", Json::object());
      REQUIRE_MESSAGE(discover.contains("result"), discover.dump());
    }
  }

  // Any request; returns the whole response. Every line read on the way is kept.
  Json request(const std::string& method, Json params)
  {
    const int id = m_next_id++;
    if (m_era == Era::modern) {
      params["_meta"]["io.modelcontextprotocol/protocolVersion"] = "2026-07-28";
      params["_meta"]["io.modelcontextprotocol/clientCapabilities"] = Json::object();
      params["_meta"]["io.modelcontextprotocol/logLevel"] = "debug";
    }
    if (method == "tools/call") {
      params["_meta"]["progressToken"] = "p" + std::to_string(id);
    }
    m_process.send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    for (;;) {
      const auto line = m_process.read_line();
      if (!line) {
        throw std::runtime_error("dbmcp closed stdout before answering " + method + ": " + m_process.stderr_text());
      }
      m_transcript += *line;
      m_transcript += '\n';
      Json message = Json::parse(*line);
      if (message.contains("id") && message["id"] == id && !message.contains("method")) {
        return message;
      }
    }
  }

  // tools/call: the result object; throws when the response is a JSON-RPC error.
  Json call(const std::string& tool, const Json& arguments)
  {
    m_calls.push_back(tool);
    const Json response = request("tools/call", {{"name", tool}, {"arguments", arguments}});
    if (!response.contains("result")) {
      throw std::runtime_error("tools/call " + tool + " failed: " + response.dump());
    }
    return response["result"];
  }

  // The structuredContent of a successful call; fails the test (and returns null) on isError.
  Json call_ok(const std::string& tool, const Json& arguments)
  {
    const Json result = call(tool, arguments);
    CHECK_MESSAGE(!result.value("isError", false), tool << " " << arguments.dump() << " failed: " << result.dump());
    return result.value("isError", false) ? Json::object() : result.value("structuredContent", Json::object());
  }

  // The error object {code, message, …} of a failing call; fails the test (and returns {}) when the call succeeded.
  Json call_error(const std::string& tool, const Json& arguments)
  {
    const Json result = call(tool, arguments);
    const bool failed = result.value("isError", false);
    CHECK_MESSAGE(failed, tool << " " << arguments.dump() << " succeeded: " << result.dump().substr(0, 400));
    if (!failed) {
      return Json::object();
    }
    if (result.contains("structuredContent") && result["structuredContent"].contains("error")) {
      return result["structuredContent"]["error"];
    }
    return result.value("_meta", Json::object()).value("dbmcp/error", Json::object());
  }

  // Closes stdin and keeps whatever the server still writes until it exits (it must exit 0).
  void finish()
  {
    m_process.close_stdin();
    for (const auto& line : m_process.read_remaining_lines()) {
      m_transcript += line;
      m_transcript += '\n';
    }
    CHECK(m_process.wait() == 0);
  }

  // Every stdout line read so far.
  const std::string& transcript() const { return m_transcript; }
  std::string stderr_text() const { return m_process.stderr_text(); }
  // The tool of every tools/call sent, in order.
  const std::vector<std::string>& calls() const { return m_calls; }

private:
  Era m_era;
  Process m_process;
  int m_next_id = 1;
  std::string m_transcript;
  std::vector<std::string> m_calls;
};

} // namespace dbmcp::test::policy_sweep
