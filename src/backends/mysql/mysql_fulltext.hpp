#pragma once

#include "store/query.hpp"
#include "store/schema.hpp"
#include "store/sql_builder.hpp"

#include <optional>

// Ranked full-text search through MATCH … AGAINST on a FULLTEXT index.
namespace dbmcp::backends::mysql {

// SELECT … MATCH(index) AGAINST(? IN NATURAL LANGUAGE MODE) AS `_rank` over the rows matching
// `query.where` and the search, best first, or nullopt when the search names columns other than
// the index's (MATCH needs exactly the indexed columns; a contains search is used instead).
std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table, const std::vector<std::string>& index,
                                                     const store::Select& query);
std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table, const std::vector<std::string>& index,
                                                    const store::Filter& where, const store::TextSearch& search);

} // namespace dbmcp::backends::mysql
