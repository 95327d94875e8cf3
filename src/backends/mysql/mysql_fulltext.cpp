#include "backends/mysql/mysql_fulltext.hpp"
#include "backends/mysql/mysql_dialect.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::backends::mysql {
namespace {

// The WHERE clause and values the shared builder makes for `where` (" WHERE …" or ""), taken from
// its COUNT statement so that placeholders stay in text order.
store::sql::Statement where_part(const store::TableInfo& table, const store::Filter& where)
{
  store::sql::Statement count = store::sql::count(dialect(), table, where, std::nullopt);
  const std::string prefix = "SELECT COUNT(*) FROM " + quote(table.name);
  count.text = count.text.substr(prefix.size());
  return count;
}

// "MATCH(`title`, `body`)", or nullopt when the search names other columns than the index's.
std::optional<std::string> match(const std::vector<std::string>& index, const store::TextSearch& search)
{
  if (!search.columns.empty()) {
    auto wanted = search.columns;
    auto indexed = index;
    std::sort(wanted.begin(), wanted.end());
    std::sort(indexed.begin(), indexed.end());
    if (wanted != indexed) {
      return std::nullopt;
    }
  }
  std::vector<std::string> columns;
  for (const auto& name : index) {
    columns.push_back(quote(name));
  }
  return fmt::format("MATCH({}) AGAINST(? IN NATURAL LANGUAGE MODE)", fmt::join(columns, ", "));
}

} // namespace

std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table, const std::vector<std::string>& index,
                                              const store::Select& query)
{
  const auto rank = match(index, *query.search);
  if (!rank || query.after) {
    return std::nullopt;
  }
  std::string projection;
  for (const auto& name : query.columns) {
    projection += quote(table.require_column(name).name) + ", ";
  }
  if (projection.empty()) {
    projection = "*, ";
  }
  const store::sql::Statement where = where_part(table, query.where);
  std::string order = quote("_rank") + " DESC";
  for (const auto& key : query.order) {
    const std::string col = quote(table.require_column(key.column).name);
    order += fmt::format(", {} IS NULL {}, {} {}", col, key.descending ? "ASC" : "DESC", col,
                         key.descending ? "DESC" : "ASC");
  }
  for (const auto& column : table.primary_key) {
    order += ", " + quote(column);
  }
  store::sql::Statement statement;
  statement.text = fmt::format("SELECT {}{} AS {} FROM {}{}{}{} ORDER BY {} LIMIT ? OFFSET ?", projection, *rank,
                               quote("_rank"), quote(table.name), where.text, where.text.empty() ? " WHERE " : " AND ",
                               *rank, order);
  statement.params.push_back(query.search->query);
  statement.params.insert(statement.params.end(), where.params.begin(), where.params.end());
  statement.params.push_back(query.search->query);
  statement.params.push_back(query.limit);
  statement.params.push_back(query.offset);
  return statement;
}

std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table, const std::vector<std::string>& index,
                                             const store::Filter& where, const store::TextSearch& search)
{
  const auto rank = match(index, search);
  if (!rank) {
    return std::nullopt;
  }
  store::sql::Statement statement = where_part(table, where);
  statement.text = fmt::format("SELECT COUNT(*) FROM {}{}{}{}", quote(table.name), statement.text,
                               statement.text.empty() ? " WHERE " : " AND ", *rank);
  statement.params.push_back(search.query);
  return statement;
}

} // namespace dbmcp::backends::mysql
