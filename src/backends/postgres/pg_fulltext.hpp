#pragma once

#include "backends/postgres/pg_catalog.hpp"
#include "backends/postgres/pg_session.hpp"
#include "store/query.hpp"
#include "store/sql_builder.hpp"

// Ranked full-text search: to_tsvector(…) @@ plainto_tsquery(…), ordered by ts_rank as "_rank".
namespace dbmcp::backends::postgres {

// The text search configuration a fulltext `search` of `table` ranks with, as regconfig text
// (e.g. "english"): `search.language` when given (looked up, bound, in pg_ts_config on `session`;
// an unknown one is invalid_argument listing the visible ones), else the table's index's (from
// `catalog`), else the database's default_text_search_config cached in `catalog`.
std::string text_search_config(PgSession* session, const sql::Catalog& catalog, const store::TableInfo& table,
                               const store::TextSearch& search);

// SELECT of the rows matching `query.where` and the full-text `query.search`, each with a
// "_rank" column, best first (then by primary key), with `query.limit` and `query.offset`, ranked
// with `config` (from text_search_config(), bound). When `index` (Catalog::fulltext, see
// pg_catalog.hpp) is given, the search names no columns and `config` is the index's, its
// expression is used verbatim so that the GIN index serves the search; otherwise the searched
// columns (every text column by default) are coalesced into one document.
store::sql::Statement fulltext_select(const store::TableInfo& table, const std::vector<std::string>* index,
                                      const store::Select& query, const std::string& config);
// SELECT COUNT(*) with the same filtering as fulltext_select().
store::sql::Statement fulltext_count(const store::TableInfo& table, const std::vector<std::string>* index,
                                     const store::Filter& where, const store::TextSearch& search,
                                     const std::string& config);

} // namespace dbmcp::backends::postgres
