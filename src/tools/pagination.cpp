#include "tools/pagination.hpp"

#include "tools/answer_budget.hpp"
#include "tools/cursor.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::tools {
namespace {

// FNV-1a of the query's shape: a cursor from another query is refused with a clear message.
std::string fingerprint(const store::Select& select)
{
  Json query{{"t", select.table}, {"w", Json::array()}, {"o", Json::array()}};
  for (const auto& condition : select.where) {
    query["w"].push_back({condition.column, static_cast<int>(condition.op), condition.value});
  }
  for (const auto& key : select.order) {
    query["o"].push_back({key.column, key.descending});
  }
  if (select.search) {
    query["s"] = {select.search->query, select.search->columns, select.search->fulltext,
                  select.search->language.value_or("")};
  }
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : query.dump()) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

} // namespace

Json read_page(store::Store& store, const store::TableInfo& table, PageRequest request, CallContext& ctx)
{
  store::Select& select = request.select;
  const bool keyset = !table.primary_key.empty() && !(select.search && select.search->fulltext);
  if (keyset) {
    for (const auto& column : table.primary_key) {
      const bool ordered = std::any_of(select.order.begin(), select.order.end(),
                                       [&](const store::OrderKey& key) { return key.column == column; });
      if (!ordered) {
        select.order.push_back({column, false});
      }
    }
  }
  const std::string print = fingerprint(select);
  const CursorState state = request.cursor ? decode_cursor(*request.cursor, print) : CursorState{select.offset, {}};
  const int64_t first_row = state.offset;
  select.offset = state.offset;
  if (keyset && state.keyset) {
    if (state.keyset->size() != select.order.size()) {
      throw store::invalid_argument("invalid cursor: it does not match this query's order");
    }
    select.after = state.keyset;
    select.offset = 0; // the keyset already positions the page
  }

  // The keyset needs the order columns even when the client projects others; they are dropped
  // from the rows returned.
  std::vector<std::string> extra;
  if (keyset && !select.columns.empty()) {
    for (const auto& key : select.order) {
      if (std::ranges::find(select.columns, key.column) == select.columns.end()) {
        select.columns.push_back(key.column);
        extra.push_back(key.column);
      }
    }
  }
  select.limit = request.limit + 1;
  std::vector<store::Row> rows = store.select(select, ctx);
  bool has_more = static_cast<int64_t>(rows.size()) > request.limit;
  if (has_more) {
    rows.resize(static_cast<size_t>(request.limit));
  }
  // The byte budget may end the page sooner; the cursor then continues after the last row kept.
  // The order columns make the cursor, so their values are never cut.
  AnswerBudget budget(request.max_answer_bytes);
  budget.spend(k_answer_fields_bytes);
  std::vector<std::string> cursor_columns;
  for (const auto& key : select.order) {
    cursor_columns.push_back(key.column);
  }
  const Truncation truncation = budget.fit(rows, cursor_columns);
  has_more = has_more || truncation.rows_omitted > 0;

  Json next_cursor = nullptr;
  if (has_more) {
    std::optional<Json> last_keys;
    if (keyset) {
      last_keys = Json::array();
      for (const auto& key : select.order) {
        last_keys->push_back(rows.back()[key.column]);
      }
    }
    next_cursor = encode_cursor(print, first_row + static_cast<int64_t>(rows.size()), last_keys);
  }
  Json out_rows = Json::array();
  for (auto& row : rows) {
    for (const auto& column : extra) {
      row.erase(column);
    }
    out_rows.push_back(std::move(row));
  }

  Json page{{"rows", std::move(out_rows)}};
  if (request.include_total.value_or(!request.cursor)) {
    page["total"] = store.count(select.table, select.where, select.search, ctx);
  }
  page["limit"] = request.limit;
  page["offset"] = first_row;
  page["has_more"] = has_more;
  page["next_cursor"] = next_cursor;
  if (request.limit_capped) {
    page["limit_capped"] = true;
  }
  if (!truncation.empty()) {
    page["truncated"] = truncation_note(truncation, request.max_answer_bytes, "continue with next_cursor");
  }
  return page;
}

} // namespace dbmcp::tools
