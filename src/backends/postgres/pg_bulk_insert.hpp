#pragma once

#include "backends/postgres/pg_session.hpp"
#include "store/query.hpp"
#include "store/schema.hpp"

// Batch insert through COPY: the PostgreSQL engine's own bulk-load path.
namespace dbmcp::backends::postgres {

// Checks every row of `batch` against `table` before anything is sent: each row must be an
// object naming known columns. Throws invalid_argument "row 3: unknown column 'emial' in users;
// did you mean 'email'?" with details {"row": 3}.
void validate_rows(const store::TableInfo& table, const store::BatchInsert& batch);

// Inserts `batch.rows` within `session`'s transaction, `batch.batch_size` rows per step, with
// progress after each step. on_conflict=error COPYs straight into the table; ignore and replace
// COPY into a temporary staging table and move the rows with INSERT … SELECT … ON CONFLICT.
// Consecutive rows naming the same columns share one COPY, so omitted columns take their
// defaults. On a failure whose row is known, sets session.scope().row before rethrowing.
store::BatchResult bulk_insert(Session& session, const store::TableInfo& table, const store::BatchInsert& batch,
                               CallContext& ctx);

} // namespace dbmcp::backends::postgres
