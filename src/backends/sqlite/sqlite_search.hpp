#pragma once

#include "backends/sqlite/sqlite_catalog.hpp"
#include "store/query.hpp"
#include "store/sql_builder.hpp"

namespace dbmcp::backends::sqlite {

// The dialect of the shared SQL builder for SQLite (NULLS FIRST/LAST and RETURNING exist since
// 3.30 and 3.35).
const store::sql::Dialect& dialect();

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
