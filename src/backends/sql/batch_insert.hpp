#pragma once

#include "backends/sql/engine.hpp"
#include "store/errors.hpp"

// insert_many for engines without a bulk path of their own: multi-row prepared INSERTs.
namespace dbmcp::backends::sql {

// The rows of `batch`, each checked against `table` as it is read, unless batch.checked says the
// caller did so: each row must be an object naming known columns. next() throws invalid_argument
// "row 3: unknown column 'emial' in users; did you mean 'email'?" with details {"row": 3}.
class CheckedRows : public store::RowSource
{
public:
  CheckedRows(const store::TableInfo& table, const store::BatchInsert& batch);
  size_t size() const override { return m_rows.size(); }
  store::Row* next() override;

private:
  const store::TableInfo& m_table;
  store::BatchRows m_rows;
  bool m_trusted;
};

// Inserts the rows of `batch` (store::BatchRows) within `session`'s transaction as multi-row
// INSERTs of at most 1,000 values (one row at least), none crossing a batch of `batch.batch_size`
// rows (consecutive rows naming the same columns share one), reporting progress after each batch;
// only the next statement's rows are read from the source and held at a time. When one fails, its
// rows are retried one at a time to find the failing row, whose index the rethrown StoreError
// names ("row 537: …", details {"row": 537}); the caller rolls the transaction back. This relies
// on a failed statement undoing only itself (MySQL, SQLite). A row the source refuses is reported
// once the rows before it are in: the first bad row is the one named, a database error of an
// earlier row before a row check of a later one (as SQLite's own path does).
store::BatchResult insert_rows(Engine& engine, Session& session, const store::TableInfo& table,
                               const store::BatchInsert& batch, CallContext& ctx);

// `error` with "row N: " in front of its message and {"row": N} in its details.
store::StoreError at_row(const store::StoreError& error, int64_t row);

} // namespace dbmcp::backends::sql
