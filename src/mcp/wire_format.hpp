#pragma once

#include "util/json.hpp"

#include <string>

namespace dbmcp::mcp {

// What call_result puts in place of a successful result's structuredContent: the tool's result is
// serialised once (into content[0].text), and serialise_message writes those same bytes as the
// structuredContent. A string no tool result can be mistaken for (it starts with a NUL).
inline const Json k_structured_from_text = std::string("\0dbmcp:structuredContent=content[0].text\0", 41);

// True when `result` (a tools/call result) carries its structuredContent as content[0].text.
bool structured_from_text(const Json& result);

// The structuredContent of the tools/call `result`, parsed back from the text when it was
// deferred (for logs and tests; never on the answer's path). Null when there is none.
Json structured_content_of(const Json& result);

// `message` (a JSON-RPC message or a batch of them) as one line: jsonrpc::serialise, with each
// deferred structuredContent written as the raw bytes of its content[0].text.
std::string serialise_message(const Json& message);

} // namespace dbmcp::mcp
