#pragma once

#include "util/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The opaque next_cursor of list_records and search_records: "<payload>.<signature>", the payload
// base64url JSON {"f": query fingerprint, "o": offset reached, "k": keyset}, the signature an
// HMAC-SHA256 of the payload under a random key drawn once per process. A keyset text value
// that is not UTF-8 travels as base64 of its bytes (its index listed in "b") and decodes to
// the same bytes. A client cannot forge or
// alter a cursor, and a cursor from an earlier dbmcp process is refused as expired.
namespace dbmcp::tools {

// The largest offset a cursor, or a client's `offset`, may carry: far beyond any real table and
// far below int64 overflow when a page's limit is added.
inline constexpr int64_t k_max_offset = int64_t(1) << 50;

struct CursorState
{
  int64_t offset = 0;
  std::optional<std::vector<Json>> keyset;
};

// A signed cursor for `state` (which must be {"f", "o"[, "k"]}); tests sign hostile states with it.
std::string sign_cursor_state(const Json& state);

std::string encode_cursor(const std::string& fingerprint, int64_t offset, const std::optional<Json>& keyset);

// The state of `cursor`. Throws invalid_argument ("invalid cursor: ... altered ... expired ...")
// for a bad or missing signature, a payload that is not the JSON above, an offset outside
// [0, k_max_offset] or another query's fingerprint; the message never repeats the cursor.
CursorState decode_cursor(const std::string& cursor, const std::string& expected_fingerprint);

} // namespace dbmcp::tools
