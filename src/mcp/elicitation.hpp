#pragma once

#include "util/call_context.hpp"
#include "util/json.hpp"

namespace dbmcp::mcp {

// The confirmation of a large write as an MCP form elicitation, the same in both eras: sent as an
// elicitation/create request (2025-06-18, 2025-11-25) or inside an input_required result
// (2026-07-28).

// True when client capabilities `capabilities` declare form elicitation: an `elicitation` object
// that is empty (form only, for backwards compatibility) or has `form`.
bool supports_form_elicitation(const Json& capabilities);

// The field of the form: one boolean the person sets to apply the write.
inline constexpr const char* k_confirm_field = "apply";

// The elicitation/create params for `question`: message and a requestedSchema of one required
// boolean field; `mode: "form"` when `with_mode` (2025-11-25 and later).
Json confirmation_params(const Confirmation& question, bool with_mode);

// The person's answer in ElicitResult `result`, for a question about `rows` rows: accept only when
// action is "accept" and content[k_confirm_field] is true (accept with false is a decline);
// "decline" and "cancel" as named; anything malformed is unanswered, with the reason.
ConfirmAnswer confirmation_answer(const Json& result, int64_t rows);

} // namespace dbmcp::mcp
