#pragma once

#include "util/json.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace dbmcp {

// The fast path of parse_json_bounded (util/json_parse.hpp): parses `text` (one whole JSON value,
// surrounding whitespace allowed) in one pass over its bytes, without nlohmann's lexer (which
// copies every byte into a token buffer and an error-report buffer, about 100 instructions a byte).
//
// It reads a subset of JSON: objects of at most k_fast_parse_members members, arrays, strings
// (valid UTF-8, every escape), integers of at most 18 digits, numbers with a fraction or an
// exponent within double's range, true, false and null, nested at most `max_depth` arrays and
// objects deep. It returns nullopt for anything else (a syntax error, a longer integer, a
// byte-order mark, a larger object, deeper nesting), and the caller then parses the text with the
// full parser, which accepts it or names what is wrong. A value it returns is the one the full
// parser gives for the same text, types included: a non-negative integer is number_unsigned, a
// negative one number_integer; a duplicate key keeps its first position and takes its last value.
std::optional<Json> parse_json_fast(std::string_view text, size_t max_depth);

// The most members of one object the fast path reads; a larger object is left to the full parser
// (whose duplicate-key check uses an index from 16 members on).
inline constexpr size_t k_fast_parse_members = 64;

} // namespace dbmcp
