#pragma once

#include "policy/policy.hpp"
#include "util/json.hpp"

namespace dbmcp::policy {

// `value` as a masked column shows it. NULL stays NULL. email: the first character, "***@" and
// the domain ("a***@example.com"), "***" for a value that is not an e-mail address; fixed: "***";
// hash: "sha256:" and the first 16 hex digits of the SHA-256 of the value's text (a string's
// characters, any other value's JSON), so equal values stay recognisably equal.
Json mask_value(const Json& value, Mask mask);

} // namespace dbmcp::policy
