#pragma once

#include "util/json.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dbmcp::mcp {

// The requestState of a 2026-07-28 input_required result that asks the person to confirm a write:
// the count asked about and an expiry, signed with HMAC-SHA256 under this process's random key
// over the tool's name, its arguments (canonical: keys sorted) and that payload. A client cannot
// forge or alter one, reuse it for other arguments or another tool, or present it to another
// process or after it expired.

// How long a confirmation stays valid once asked.
inline constexpr std::chrono::minutes k_confirmation_lifetime{10};

// "<base64url payload>.<base64url signature>".
std::string seal_confirmation(std::string_view tool, const Json& arguments, int64_t rows,
                              std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The count sealed in `state` when it verifies for `tool` and `arguments` and has not expired;
// nullopt for anything else.
std::optional<int64_t> open_confirmation(std::string_view state, std::string_view tool, const Json& arguments,
                                         std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

} // namespace dbmcp::mcp
