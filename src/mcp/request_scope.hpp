#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/session.hpp"
#include "mcp/versions.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

#include <optional>
#include <string>

namespace dbmcp::mcp {

inline constexpr const char* k_version_key = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* k_capabilities_key = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* k_log_level_key = "io.modelcontextprotocol/logLevel";
inline constexpr const char* k_server_info_key = "io.modelcontextprotocol/serverInfo";
inline constexpr const char* k_client_info_key = "io.modelcontextprotocol/clientInfo";

// How one request is served: its era and version, and what it asked for in _meta.
struct RequestScope
{
  std::string version;                  // k_modern_version, or the session's legacy version
  Features features;
  bool initialized = false;             // legacy: the session has completed initialize
  std::optional<LogLevel> log_level;    // send notifications/message at or above this level
  Json progress_token;                  // null when the request wants no progress
  // The client can show the person a form elicitation: declared in initialize (legacy, 2025-06-18
  // and later) or in this request's _meta clientCapabilities (modern).
  bool form_elicitation = false;
  // {"name", "version"} of the client: the request's _meta clientInfo (modern), else initialize's
  // clientInfo (legacy); null when neither named it.
  Json client;
};

// {"name", "version"} of an Implementation object (clientInfo), strings only and each cut to 128
// bytes; null when `info` is not an object with a string name.
Json client_identity(const Json& info);

// The scope of `request`. A request whose _meta names 2026-07-28 is modern and must carry the
// client capabilities; one without that _meta (or naming a legacy version) is legacy and uses
// the session's negotiated version (latest legacy before initialize).
// Throws jsonrpc::Error: -32022 for an unknown version (data {supported, requested}), -32602
// for a malformed envelope or log level.
RequestScope scope_of(const jsonrpc::Request& request, const Session& session);

} // namespace dbmcp::mcp
