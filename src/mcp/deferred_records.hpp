#pragma once

#include "util/deferred_array.hpp"
#include "util/json.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace dbmcp::mcp {

// Lines at least this long are looked at for records to defer.
constexpr size_t k_defer_records_bytes = 64 * 1024;

// A message parsed with its insert_records records left as bytes.
struct DeferredMessage
{
  Json message;                                 // params.arguments.records is [] in it
  std::shared_ptr<const DeferredArray> records; // what it stood for
};

// When `line` is a tools/call of insert_records whose params.arguments.records is an array: the
// message parsed without that array, which stays in the line (shared, so the line lives while the
// records are used) and is only validated (valid JSON, nesting within k_max_json_depth counted
// from the message's root) and its elements counted. Nullopt for any other line, or when the
// path to the records is not plain (a key with an escape, a key given twice on the way): parse
// such a line whole, which also gives the parse error of a line that is not valid JSON.
std::optional<DeferredMessage> parse_deferring_records(std::shared_ptr<const std::string> line);

} // namespace dbmcp::mcp
