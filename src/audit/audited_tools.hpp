#pragma once

#include "audit/audit_log.hpp"
#include "audit/audit_record.hpp"
#include "tools/registry.hpp"

#include <functional>
#include <memory>

namespace dbmcp::audit {

struct AuditOptions
{
  RecordLimits limits;
  // Applied to a call's arguments before they are recorded: where the access policy will mask
  // columns' values (issue 16). Null: the arguments are recorded as sent (then summarized).
  std::function<Json(const std::string& tool, const Json& arguments)> redact_arguments;
};

// `tools` with every call recorded in `log`, one JSON line per call, written before the answer:
//   {"ts", "id", "client", "tool", "arguments", "statements", "rows_read", "rows_affected",
//    "duration_ms", "outcome": "ok" | "error" | "cancelled", "error": {"code", "message"}}
// ("statements" and the row counts only when the store reported statements: StatementList).
// A tool that may write (readOnlyHint false) first gets an intent line, {"ts", "id", "phase":
// "intent", "client", "tool", "arguments"}, written and synced before the tool runs: if it cannot
// be written the tool does not run, and a write that happened always has its intent on disk even
// when the outcome line could not follow (a crash, a full disk). A record that cannot be written
// fails the call with code "audit_failed", whose message says whether the write was carried out.
// `log` must outlive the registry returned.
tools::Registry with_audit(const tools::Registry& tools, std::shared_ptr<AuditLog> log, AuditOptions options = {});

} // namespace dbmcp::audit
