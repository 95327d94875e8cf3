#pragma once

#include "backends/sqlite/sqlite_connection.hpp"
#include "backends/sqlite/sqlite_errors.hpp"
#include "store/query.hpp"

#include <SQLiteCpp/Database.h>

namespace dbmcp::backends::sqlite {

// Inserts `batch.rows` into `table` through `db`, inside the caller's transaction: one
// prepared single-row INSERT per distinct column list, reset and rebound for each row;
// progress and a cancellation check after every `batch.batch_size` rows. `scope` is kept
// pointing at the row being inserted, for the caller's error mapping.
store::BatchResult insert_rows(SQLite::Database& db, const store::TableInfo& table, const store::BatchInsert& batch,
                               CallContext& ctx, ErrorScope& scope);

} // namespace dbmcp::backends::sqlite
