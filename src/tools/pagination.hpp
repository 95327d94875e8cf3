#pragma once

#include "store/store.hpp"
#include "util/json.hpp"

#include <optional>
#include <string>

namespace dbmcp::tools {

// One page of a read, as list_records and search_records ask for it.
struct PageRequest
{
  store::Select select;            // table, columns, where, search, order, offset
  int64_t limit = 50;              // rows on this page (already capped by --max-rows)
  bool limit_capped = false;       // the client asked for more than --max-rows
  std::optional<bool> include_total; // absent: counted on the first page only (no cursor)
  std::optional<std::string> cursor; // next_cursor of the previous page
  size_t max_answer_bytes = 100'000; // the byte budget of the answer (--max-answer-bytes)
};

// Reads one page and answers {rows, total, limit, offset, has_more, next_cursor}, `total` (the
// count of every matching row) only when counted: on the first page, or on every page when
// `include_total` is true, never when it is false. Plus `truncated`
// when the byte budget ended the page early or cut values: the page then stops after the last row
// that fits, has_more is true and next_cursor continues exactly after that row.
// The cursor is opaque: base64url JSON holding a fingerprint of the query, the offset reached and,
// for tables with a primary key, the keyset (the last row's order values, the order being made
// total by the primary key), so a deep page costs what the first does. Ranked full-text pages and
// tables without a key page by offset. A cursor from another query is invalid_argument.
Json read_page(store::Store& store, const store::TableInfo& table, PageRequest request, CallContext& ctx);

} // namespace dbmcp::tools
