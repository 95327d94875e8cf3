#include "backends/sqlite/sqlite_batch.hpp"

#include "backends/sqlite/sqlite_dialect.hpp"
#include "backends/sqlite/sqlite_values.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <memory>

namespace dbmcp::backends::sqlite {
namespace {

std::vector<std::string> columns_of(const store::Row& row)
{
  std::vector<std::string> columns;
  columns.reserve(row.size());
  for (const auto& [name, value] : row.items()) {
    columns.push_back(name);
  }
  return columns;
}

// The prepared INSERT for each column list met so far.
class InsertStatements
{
public:
  InsertStatements(SQLite::Database& db, const store::TableInfo& table, store::OnConflict on_conflict)
    : m_db(db), m_table(table), m_on_conflict(on_conflict)
  {
  }

  // The statement for the columns `row` names, in its order.
  SQLite::Statement& for_row(const store::Row& row)
  {
    if (m_last && same_columns(row, *m_last_columns)) {
      return *m_last; // the common case, a batch of rows of one shape: no allocation
    }
    const std::vector<std::string> columns = columns_of(row);
    auto it = m_statements.find(columns);
    if (it == m_statements.end()) {
      const auto text = store::sql::insert(dialect(), m_table, columns, 1, m_on_conflict, false).text;
      it = m_statements.emplace(columns, std::make_unique<SQLite::Statement>(m_db, text)).first;
    }
    m_last = it->second.get();
    m_last_columns = &it->first;
    return *m_last;
  }

private:
  static bool same_columns(const store::Row& row, const std::vector<std::string>& columns)
  {
    if (row.size() != columns.size()) {
      return false;
    }
    size_t i = 0;
    for (const auto& [name, value] : row.items()) {
      if (name != columns[i++]) {
        return false;
      }
    }
    return true;
  }

  SQLite::Database& m_db;
  const store::TableInfo& m_table;
  store::OnConflict m_on_conflict;
  std::map<std::vector<std::string>, std::unique_ptr<SQLite::Statement>> m_statements;
  SQLite::Statement* m_last = nullptr;
  const std::vector<std::string>* m_last_columns = nullptr;
};

} // namespace

store::BatchResult insert_rows(SQLite::Database& db, const store::TableInfo& table, const store::BatchInsert& batch,
                               CallContext& ctx, ErrorScope& scope)
{
  store::BatchResult result;
  InsertStatements cache(db, table, batch.on_conflict);
  store::BatchRows rows(batch);
  const int64_t total = static_cast<int64_t>(rows.size());
  const int64_t batch_size = std::max<int64_t>(1, batch.batch_size);
  sqlite3* handle = db.getHandle();
  const bool has_blobs = std::any_of(table.columns.begin(), table.columns.end(),
                                     [](const store::Column& c) { return c.kind == store::ValueKind::blob; });
  store::Row encoded;
  for (;;) {
    // A row the source refuses carries its own "row N: " (its failure is not this statement's).
    scope.values = nullptr;
    scope.row_index.reset();
    const store::Row* row = rows.next();
    if (!row) {
      break;
    }
    const int64_t i = rows.index();
    scope.values = row;
    scope.row_index = static_cast<size_t>(i);
    if (has_blobs) {
      encoded = encode_values(table, *row); // bound without a copy: lives until the next row
    } else {
      require_integers(table, *row);
    }
    const store::Row& bound = has_blobs ? encoded : *row;
    SQLite::Statement& statement = cache.for_row(bound);
    int index = 1;
    for (const auto& [name, value] : bound.items()) {
      bind_value(statement, index++, value);
    }
    statement.exec();
    statement.reset();
    if (sqlite3_changes(handle) == 0) {
      ++result.skipped;
    } else {
      ++result.inserted;
    }
    if ((i + 1) % batch_size == 0 || i + 1 == total) {
      ++result.batches;
      ctx.throw_if_cancelled();
      ctx.progress(static_cast<double>(i + 1), static_cast<double>(total),
                   fmt::format("Inserted {} of {} rows into {}", i + 1, total, table.name));
    }
  }
  scope.values = nullptr;
  scope.row_index.reset();
  return result;
}

} // namespace dbmcp::backends::sqlite

