#pragma once

#include "backends/sql/engine.hpp"
#include "store/errors.hpp"

// insert_many for engines without a bulk path of their own: multi-row prepared INSERTs.
namespace dbmcp::backends::sql {

// Checks every row of `batch` against `table` before anything is sent: each row must be an
// object naming known columns. Throws invalid_argument "row 3: unknown column 'emial' in users;
// did you mean 'email'?" with details {"row": 3}.
void validate_rows(const store::TableInfo& table, const store::BatchInsert& batch);

// Inserts `batch.rows` within `session`'s transaction as multi-row INSERTs of at most
// `batch.batch_size` rows (consecutive rows naming the same columns share one), reporting progress
// after each. When one fails, its rows are retried one at a time to find the failing row, whose
// index the rethrown StoreError names ("row 537: …", details {"row": 537}); the caller rolls the
// transaction back. This relies on a failed statement undoing only itself (MySQL, SQLite).
store::BatchResult insert_rows(Engine& engine, Session& session, const store::TableInfo& table,
                               const store::BatchInsert& batch, CallContext& ctx);

// `error` with "row N: " in front of its message and {"row": N} in its details.
store::StoreError at_row(const store::StoreError& error, int64_t row);

} // namespace dbmcp::backends::sql
