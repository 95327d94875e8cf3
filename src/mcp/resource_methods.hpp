#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/request_scope.hpp"
#include "mcp/services.hpp"
#include "util/call_context.hpp"

namespace dbmcp::mcp {

// resources/list: one page of Resources::list(), with nextCursor when more follow.
Json handle_resources_list(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                           CallContext& ctx);
// resources/templates/list: Resources::templates().
Json handle_resource_templates(const Services& services, const jsonrpc::Request& request,
                               const RequestScope& scope, CallContext& ctx);
// resources/read: {contents}; an unknown uri is -32002 (legacy) or -32602 (2026-07-28), with
// data {uri}.
Json handle_resources_read(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                           CallContext& ctx);
// completion/complete for ref/resource template arguments: {completion {values (at most 100),
// total, hasMore}}. A prompt reference is -32602 (this server has no prompts).
Json handle_complete(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                     CallContext& ctx);

} // namespace dbmcp::mcp
