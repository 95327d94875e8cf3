#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/request_scope.hpp"
#include "mcp/services.hpp"
#include "util/call_context.hpp"

namespace dbmcp::mcp {

// initialize (legacy): negotiates the version, records it in the session, answers
// {protocolVersion, capabilities, serverInfo, instructions}.
Json handle_initialize(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                       CallContext& ctx);
// ping (legacy): {}.
Json handle_ping(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                 CallContext& ctx);
// server/discover: {supportedVersions, capabilities, instructions}; the dispatcher adds the
// 2026-07-28 envelope (resultType, ttlMs, cacheScope, _meta serverInfo).
Json handle_discover(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                     CallContext& ctx);
// logging/setLevel (legacy): sets the session's client log level; -32602 for an unknown level.
Json handle_set_level(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                      CallContext& ctx);

} // namespace dbmcp::mcp
