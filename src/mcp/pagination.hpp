#pragma once

#include "util/json.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace dbmcp::mcp {

// One page of a list of `total` items: [begin, end), and the cursor of the next page when
// there is one.
struct PageSlice
{
  size_t begin = 0;
  size_t end = 0;
  std::optional<std::string> next_cursor;
};

// The page that `params.cursor` (absent: the first) selects, of at most `page_size` items.
// Cursors are opaque strings made here. Throws jsonrpc::Error -32602 for a cursor that is not a
// string, was not made here, or points past the end.
PageSlice paginate(const Json& params, size_t total, size_t page_size);

// Sets result["nextCursor"] when `page` has a next page.
void add_next_cursor(Json& result, const PageSlice& page);

} // namespace dbmcp::mcp
