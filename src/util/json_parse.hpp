#pragma once

#include "util/json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dbmcp {

// The deepest nesting of arrays and objects accepted from outside the process.
// Deeper input would make the recursive copy, comparison and dump of nlohmann's
// values overflow the stack.
constexpr size_t k_max_json_depth = 256;

// Parses `text` (one whole JSON value, surrounding whitespace allowed) into a
// Json, or returns nullopt and, when `failure` is given, sets it to a one-line
// reason (nlohmann's message naming the byte offset and what was expected, or
// "JSON nested deeper than 256 levels"). Input nested more than `max_depth`
// arrays and objects deep is refused while it is read, before any value deeper
// than the limit is built.
//
// The cost is linear in the size of the text: object members are collected in a
// vector and moved into the ordered object once, instead of nlohmann's
// ordered_map insertion, which searches the keys so far for every key
// (quadratic: 200,000 keys took a minute). A duplicate key keeps its first
// position and takes its last value, as nlohmann's own parser does.
//
// Use it for all text that comes from outside the process: protocol lines, tool
// arguments, cursors, values read from a database.
std::optional<Json> parse_json_bounded(std::string_view text,
                                       std::string *failure = nullptr,
                                       size_t max_depth = k_max_json_depth);

} // namespace dbmcp
