#include "backends/sql/batch_insert.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

namespace dbmcp::backends::sql {
namespace {

// The most values one INSERT binds (a row binds all of its own, however many). A statement's rows
// are all that is read from the source and held at a time, with their encoded values and the
// driver's bindings: with 30,000 values (7,500 rows of four columns) in batches of 10,000, a
// 100,000-row insert_records on MySQL peaked 14 MiB higher. 1,000 is also what MySQL's connection
// keeps prepared (mysql::Connection::k_max_kept_params): a batch's statements are prepared once,
// not once each, which more than pays for the extra round trips.
constexpr size_t k_max_statement_params = 1000;

std::vector<std::string> columns_of(const store::Row& row)
{
  std::vector<std::string> columns;
  for (const auto& [name, value] : row.items()) {
    columns.push_back(name);
  }
  return columns;
}

// The values of `rows[first, first + count)` in `columns` order, encoded for binding.
std::vector<Json> params_of(const Engine& engine, const store::TableInfo& table, std::span<const store::Row> rows,
                            const std::vector<std::string>& columns)
{
  std::vector<const store::Column*> described;
  for (const auto& name : columns) {
    described.push_back(&table.require_column(name));
  }
  std::vector<Json> params;
  params.reserve(rows.size() * columns.size());
  for (const auto& row : rows) {
    for (size_t i = 0; i < columns.size(); ++i) {
      params.push_back(engine.encode(*described[i], row.at(columns[i])));
    }
  }
  return params;
}

} // namespace

store::StoreError at_row(const store::StoreError& error, int64_t row)
{
  Json details = error.details();
  details["row"] = row;
  return store::StoreError(error.code(), fmt::format("row {}: {}", row, error.what()), std::move(details));
}

CheckedRows::CheckedRows(const store::TableInfo& table, const store::BatchInsert& batch)
  : m_table(table), m_rows(batch), m_trusted(batch.checked)
{
}

store::Row* CheckedRows::next()
{
  store::Row* row = m_rows.next();
  if (!row || m_trusted) {
    return row;
  }
  try {
    if (!row->is_object()) {
      throw store::invalid_argument("each row must be an object of column values");
    }
    for (const auto& [name, value] : row->items()) {
      m_table.require_column(name);
    }
  } catch (const store::StoreError& error) {
    throw at_row(error, m_rows.index());
  }
  return row;
}

store::BatchResult insert_rows(Engine& engine, Session& session, const store::TableInfo& table,
                               const store::BatchInsert& batch, CallContext& ctx)
{
  if (batch.batch_size < 1) {
    throw store::invalid_argument("batch_size must be at least 1");
  }
  store::BatchResult result;
  store::BatchRows source(batch);
  const size_t total = source.size();
  const size_t batch_size = static_cast<size_t>(batch.batch_size);
  std::vector<store::Row> window; // rows [first, first + window.size()), pulled and not yet inserted
  size_t first = 0;
  // A row the source refused ("row N: …"): raised once the rows before it are in, so that a
  // database error of an earlier row is reported first, as on SQLite.
  std::exception_ptr refused;
  const auto pull = [&](size_t up_to) {
    if (refused) {
      return;
    }
    try {
      source.pull(window, up_to);
    } catch (const store::StoreError&) {
      refused = std::current_exception();
    }
  };
  for (;;) {
    pull(1);
    if (window.empty()) {
      if (refused) {
        std::rethrow_exception(refused);
      }
      break;
    }
    ctx.throw_if_cancelled();
    const std::vector<std::string> columns = columns_of(window[0]);
    const size_t per_statement = std::max<size_t>(1, k_max_statement_params / std::max<size_t>(1, columns.size()));
    // The statement's rows: up to the end of the batch, and no more than one statement binds.
    const size_t limit = std::min(batch_size - first % batch_size, per_statement);
    pull(limit);
    const std::span<const store::Row> ahead(window);
    size_t count = 1;
    while (count < std::min(limit, ahead.size()) && columns_of(ahead[count]) == columns) {
      ++count;
    }
    if (columns.empty()) {
      count = 1; // DEFAULT VALUES takes one row
    }
    const auto rows = ahead.subspan(0, count);
    store::sql::Statement statement;
    try { // e.g. replace with rows that give no key to match on: the first of them is at fault
      statement = store::sql::insert(engine.dialect(), table, columns, count, batch.on_conflict, false);
    } catch (const store::StoreError& error) {
      throw at_row(error, static_cast<int64_t>(first));
    }
    Result inserted;
    try {
      inserted = session.execute(statement.text, params_of(engine, table, rows, columns));
    } catch (const store::StoreError& error) {
      if (error.code() == store::ErrorCode::timeout || error.code() == store::ErrorCode::unavailable) {
        throw;
      }
      // Find the failing row: the failed statement undid itself, the rows before it stay until
      // the caller rolls the transaction back.
      const auto single = store::sql::insert(engine.dialect(), table, columns, 1, batch.on_conflict, false);
      for (size_t i = 0; i < count; ++i) {
        try {
          session.execute(single.text, params_of(engine, table, rows.subspan(i, 1), columns));
        } catch (const store::StoreError& row_error) {
          throw at_row(row_error, static_cast<int64_t>(first + i));
        }
      }
      throw at_row(error, static_cast<int64_t>(first));
    }
    switch (batch.on_conflict) {
    case store::OnConflict::error:
    case store::OnConflict::replace: result.inserted += static_cast<int64_t>(count); break;
    case store::OnConflict::ignore:
      result.inserted += inserted.affected;
      result.skipped += static_cast<int64_t>(count) - inserted.affected;
      break;
    }
    window.erase(window.begin(), window.begin() + static_cast<std::ptrdiff_t>(count));
    first += count;
    if (first % batch_size == 0 || first == total) {
      ++result.batches;
      ctx.progress(static_cast<double>(first), static_cast<double>(total),
                   fmt::format("inserted {} of {} rows into {}", first, total, table.name));
    }
  }
  return result;
}

} // namespace dbmcp::backends::sql
