#pragma once

#include "mcp/client_requests.hpp"
#include "mcp/outbox.hpp"
#include "mcp/request_scope.hpp"
#include "util/call_context.hpp"

namespace dbmcp::mcp {

// Wires the progress and log sinks of `ctx` for a request of `scope`:
// - notifications/progress {progressToken, progress, total?, message?} when the request carried
//   a progress token; a value not above the last one sent is dropped, so progress increases;
// - notifications/message {level, logger: "dbmcp", data} at or above the scope's log level, and
//   none when the scope has no level.
// - a confirmation sink that sends elicitation/create through `requests` and waits for the
//   person's answer, for a legacy request whose session declared form elicitation (2026-07-28
//   requests get theirs in tools/call, as input_required).
// Nothing is sent once `ctx` is cancelled. `ctx`, `outbox` and `requests` must outlive the call.
void attach_sinks(CallContext& ctx, const RequestScope& scope, Outbox& outbox, ClientRequests& requests);

} // namespace dbmcp::mcp
