#pragma once

#include "backends/sqlite/sqlite_catalog.hpp"
#include "backends/sqlite/sqlite_dialect.hpp"
#include "store/query.hpp"
#include "store/sql_builder.hpp"

namespace dbmcp::backends::sqlite {

// The FTS5 query for a person's words: each word a quoted phrase (so that punctuation is not
// FTS5 syntax), all required; limited to `columns` when given.
std::string fts_query(const std::string& words, const std::vector<std::string>& columns);

// Ranked full-text search over `extras.fts_table` joined to the table by rowid: the rows carry
// "_rank" (higher is better) and come best first. Throws invalid_argument when the table has
// no FTS5 index or a column is not indexed.
store::sql::Statement fulltext_select(const store::TableInfo& table, const TableExtras& extras,
                                      const store::Select& query);
store::sql::Statement fulltext_count(const store::TableInfo& table, const TableExtras& extras,
                                     const store::Filter& where, const store::TextSearch& search);

} // namespace dbmcp::backends::sqlite
