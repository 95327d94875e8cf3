#pragma once

#include "backends/postgres/pg_session.hpp"
#include "store/query.hpp"
#include "store/schema.hpp"

// Batch insert through COPY: the PostgreSQL engine's own bulk-load path.
namespace dbmcp::backends::postgres {

// Inserts the rows of `batch` (store::BatchRows) within `session`'s transaction,
// `batch.batch_size` rows per step, read one step at a time, with progress after each step.
// on_conflict=error COPYs straight into the table; ignore and replace COPY into a temporary
// staging table and move the rows with INSERT … SELECT … ON CONFLICT. Consecutive rows naming the
// same columns share one COPY, so omitted columns take their defaults. Refuses NUL characters and
// blobs that are not base64 before any row of their step is sent. A failure whose row is known
// says "row N: …" with {"row": N} in its details.
store::BatchResult bulk_insert(PgSession& session, const store::TableInfo& table, const store::BatchInsert& batch,
                               CallContext& ctx);

} // namespace dbmcp::backends::postgres
