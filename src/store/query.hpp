#pragma once

#include "store/row_source.hpp"
#include "util/json.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace dbmcp::store {

// A row is a JSON object, column name to value, in the order the columns were asked for.
// Values: null, boolean, integer, floating point, string; blobs travel as base64 strings.
using Row = Json;

// The operators of the `where` language (DESIGN.md section 1.2), then its combinators: all_of
// (AND of its children), any_of (OR of its children), none_of (NOT of the AND of its children).
enum class Op { eq, ne, lt, lte, gt, gte, in, not_in, like, ilike, is_null, all_of, any_of, none_of };

// One predicate. `value` is a scalar, except an array for in/not_in and a boolean for is_null.
// A combinator has no column of its own: `children` are its operands, and `column` and `value`
// hold the combinator's name and the client's JSON for it (so a query's fingerprint includes it).
struct Condition
{
  std::string column;
  Op op = Op::eq;
  Json value;
  std::vector<Condition> children;

  bool combinator() const { return op == Op::all_of || op == Op::any_of || op == Op::none_of; }
};

// A conjunction of conditions; empty matches every row.
using Filter = std::vector<Condition>;

// Calls `visit` on every predicate of `filter` (combinators walked into), in text order: the
// order in which a query built from it binds their values.
template <typename Visit>
void for_each_predicate(const Filter& filter, Visit&& visit)
{
  for (const auto& condition : filter) {
    if (condition.combinator()) {
      for_each_predicate(condition.children, visit);
    } else {
      visit(condition);
    }
  }
}

struct OrderKey
{
  std::string column;
  bool descending = false;
};

// Case-insensitive text search over `columns` (every text column when empty).
// `fulltext` asks for the engine's ranked full-text search; rows then carry a "_rank" value and
// are ordered by it, best first.
struct TextSearch
{
  std::string query;
  std::vector<std::string> columns;
  bool fulltext = false;
  // For fulltext where the engine has named text-search configurations (PostgreSQL): the one to
  // use, e.g. "english"; none means the full-text index's, else the database's default.
  std::optional<std::string> language;
};

// A read of rows. NULLs sort first in ascending order and last in descending order, on every
// backend. When `after` is set it holds the values of the `order` columns of the last row
// already seen, and only rows strictly after it in that order are returned (keyset pagination;
// the caller makes `order` total by ending it with the primary key).
struct Select
{
  std::string table;
  std::vector<std::string> columns; // empty: every column
  Filter where;
  std::optional<TextSearch> search;
  std::vector<OrderKey> order;
  std::optional<std::vector<Json>> after;
  int64_t limit = 100;
  int64_t offset = 0;
};

enum class AggregateFn { count, sum, avg, min, max };

struct Aggregate
{
  AggregateFn fn = AggregateFn::count;
  std::optional<std::string> column; // absent: count(*)
  std::string alias;                 // the result key, e.g. "count", "avg_age"
};

// Group-by with aggregates. Result rows hold the `group_by` columns then the aliases; ordered by
// the group columns ascending unless `order` names group columns or aliases.
struct AggregateQuery
{
  std::string table;
  Filter where;
  std::vector<std::string> group_by;
  std::vector<Aggregate> aggregates;
  std::vector<OrderKey> order;
  int64_t limit = 100;
  int64_t offset = 0; // groups to skip, in `order`
};

enum class OnConflict { error, ignore, replace };

// Child rows to insert with a parent, through the foreign key from `table` to the parent: the
// store fills the child's foreign-key columns from the parent's stored row.
struct RelatedRows
{
  std::string table;
  std::vector<Row> rows;
};

struct InsertResult
{
  Row row; // as stored: generated key and defaults included
  std::vector<std::pair<std::string, std::vector<Row>>> related; // child table -> stored rows
};

// The rows come from `source` when it is set (pulled once, in order: rows is then unused), else
// from `rows`. Neither is owned: the caller keeps them alive for the call. Read them through
// BatchRows, which serves both.
struct BatchInsert
{
  std::string table;
  std::span<const Row> rows;
  int64_t batch_size = 1000;
  OnConflict on_conflict = OnConflict::error;
  RowSource* source = nullptr;
  // Set when the caller checked every row against the table (an object naming known columns,
  // values that suit them: tools::check_row), so that the store need not check them again.
  bool checked = false;
};

struct BatchResult
{
  int64_t inserted = 0;
  int64_t skipped = 0; // rows ignored by on_conflict=ignore
  int64_t batches = 0;
};

// The rows of a batch, from its source or its span, one at a time; index() numbers them from 0.
class BatchRows
{
public:
  explicit BatchRows(const BatchInsert& batch)
    : m_span(batch.rows), m_source(batch.source ? batch.source : &m_span)
  {
  }
  BatchRows(const BatchRows&) = delete;
  BatchRows& operator=(const BatchRows&) = delete;

  size_t size() const { return m_source->size(); }
  // The next row (see RowSource::next), or nullptr after the last.
  Row* next()
  {
    Row* row = m_source->next();
    if (row) {
      ++m_index;
    }
    return row;
  }
  // Moves rows from the source onto the end of `window` until it holds `up_to` rows or the source
  // has none left (a batch's next rows, read only when they are about to be sent).
  void pull(std::vector<Row>& window, size_t up_to)
  {
    while (window.size() < up_to) {
      Row* row = next();
      if (!row) {
        return;
      }
      window.push_back(std::move(*row));
    }
  }
  // The index of the row next() returned last (-1 before the first).
  int64_t index() const { return m_index; }

private:
  SpanRowSource m_span;
  RowSource* m_source;
  int64_t m_index = -1;
};

enum class Maintenance { vacuum, analyze, reindex };

} // namespace dbmcp::store
