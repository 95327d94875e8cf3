#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/request_scope.hpp"
#include "mcp/services.hpp"
#include "util/call_context.hpp"

#include <string_view>

namespace dbmcp::mcp {

using Handler = Json (*)(const Services&, const jsonrpc::Request&, const RequestScope&, CallContext&);

enum class Caching { none, list, read };  // which ttlMs a 2026-07-28 result carries

// One request method the server implements.
struct Method
{
  std::string_view name;
  Handler handler;
  bool legacy;             // exists in the handshake era
  bool modern;             // exists in 2026-07-28
  bool before_initialize;  // legacy: may come before initialize
  bool immediate;          // cheap: answered on the reader thread, even while calls run
  bool needs_resources;    // only when the server has resources
  Caching caching;
};

// The method `name` as `scope`'s era has it. Throws jsonrpc::Error: -32601 when the era has no
// such method (or it needs resources the server lacks); -32602 for a legacy request other than
// initialize, ping or server/discover before initialize.
const Method& route(std::string_view name, const RequestScope& scope, const Services& services);

// Runs `method` and returns its result, with the 2026-07-28 envelope (resultType, ttlMs and
// cacheScope where cacheable, _meta serverInfo) on modern requests and on server/discover.
// Handler exceptions propagate.
Json run_method(const Method& method, const Services& services, const jsonrpc::Request& request,
                const RequestScope& scope, CallContext& ctx);

} // namespace dbmcp::mcp
