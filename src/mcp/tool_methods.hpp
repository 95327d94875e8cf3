#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/request_scope.hpp"
#include "mcp/services.hpp"
#include "tools/registry.hpp"
#include "util/call_context.hpp"

namespace dbmcp::mcp {

// A tool as tools/list shows it in a revision: name, description, inputSchema; annotations
// from 2025-03-26; title and outputSchema from 2025-06-18.
Json tool_descriptor(const tools::Tool& tool, const Features& features);

inline constexpr const char* k_error_meta_key = "dbmcp/error";

// A CallResult of `tool` as tools/call answers it: content (one text block) and isError;
// structuredContent from 2025-06-18. An error result of a tool with an outputSchema carries no
// structuredContent (it would not conform to the schema, and clients validate it); its error
// object {code, message, ...} goes in _meta["dbmcp/error"] instead. A success's structuredContent
// is k_structured_from_text: serialise_message writes the text's bytes there.
Json call_result(const tools::Tool& tool, tools::CallResult result, const Features& features);

// tools/list: one page of the tools in registry order, with nextCursor when more follow.
Json handle_tools_list(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                       CallContext& ctx);
// tools/call: runs the named tool through Registry::call. An unknown tool or arguments that are
// not an object are -32602; a tool failure is a result with isError. Cancelled propagates.
// A 2026-07-28 call from a client with form elicitation may answer input_required, asking the
// person to confirm a large write, and carries the answer when called again (see tool_methods.cpp).
Json handle_tools_call(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                       CallContext& ctx);

} // namespace dbmcp::mcp
