#pragma once

#include "backends/postgres/pg_catalog.hpp"
#include "store/query.hpp"
#include "store/sql_builder.hpp"

// Ranked full-text search: to_tsvector(…) @@ plainto_tsquery(…), ordered by ts_rank as "_rank".
namespace dbmcp::backends::postgres {

// SELECT of the rows matching `query.where` and the full-text `query.search`, each with a
// "_rank" column, best first (then by primary key), with `query.limit` and `query.offset`. When
// `index` is given and the search names no columns, its expression is used verbatim so that the
// GIN index serves the search; otherwise the searched columns (every text column by default)
// are coalesced into one document with the index's text search configuration, or 'simple'.
store::sql::Statement fulltext_select(const store::TableInfo& table, const FulltextIndex* index,
                                      const store::Select& query);
// SELECT COUNT(*) with the same filtering as fulltext_select().
store::sql::Statement fulltext_count(const store::TableInfo& table, const FulltextIndex* index,
                                     const store::Filter& where, const store::TextSearch& search);

} // namespace dbmcp::backends::postgres
