#include "backends/sqlite/sqlite_search.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::backends::sqlite {
namespace {

// The builder's filter for `where` as " WHERE …" (or ""), with its parameters: taken from
// store::sql::count(), whose text is "SELECT COUNT(*) FROM <table>" followed by that clause.
store::sql::Statement filter_clause(const store::TableInfo& table, const store::Filter& where)
{
  store::sql::Statement count = store::sql::count(dialect(), table, where, std::nullopt);
  const std::string prefix = "SELECT COUNT(*) FROM " + quote(table.name);
  if (count.text.rfind(prefix, 0) != 0) {
    throw store::StoreError(store::ErrorCode::internal, "unexpected COUNT statement from the SQL builder");
  }
  return {count.text.substr(prefix.size()), std::move(count.params)};
}

// Why fulltext cannot run on `table`, with the statements that create its index: an FTS5 table
// "<table>_fts" over its text columns, external content read from the table, filled by 'rebuild'.
std::string fts_missing_message(const store::TableInfo& table)
{
  std::vector<std::string> columns;
  for (const auto& column : table.columns) {
    if (column.kind == store::ValueKind::text) {
      columns.push_back(quote(column.name));
    }
  }
  const std::string fts = quote(table.name + "_fts");
  std::string literal = "'";
  for (char c : table.name) {
    literal += c == '\'' ? std::string("''") : std::string(1, c);
  }
  literal += "'";
  const bool integer_key = table.primary_key.size() == 1
                           && table.require_column(table.primary_key[0]).kind == store::ValueKind::integer;
  const std::string rowid = integer_key ? fmt::format(", content_rowid={}", quote(table.primary_key[0])) : "";
  return fmt::format("{} has no full-text index (an FTS5 table named {}_fts), so mode 'fulltext' cannot rank it; use "
                     "mode 'contains', or create the index (outside dbmcp, then list_tables with refresh): CREATE "
                     "VIRTUAL TABLE {} USING fts5({}, content={}{}); INSERT INTO {}({}) VALUES ('rebuild'); and "
                     "triggers on {} to keep it current",
                     table.name, table.name, fts, columns.empty() ? "<text columns>" : fmt::to_string(fmt::join(columns, ", ")),
                     literal, rowid, fts, fts, quote(table.name));
}

// "FROM <table> JOIN (SELECT rowid, rank FROM <fts> WHERE <fts> MATCH ?) … WHERE …".
store::sql::Statement matched_rows(const store::TableInfo& table, const TableExtras& extras, const store::Filter& where,
                            const store::TextSearch& search)
{
  if (extras.fts_table.empty()) {
    throw store::invalid_argument(fts_missing_message(table));
  }
  for (const auto& column : search.columns) {
    table.require_column(column);
    if (std::find(extras.fts_columns.begin(), extras.fts_columns.end(), column) == extras.fts_columns.end()) {
      throw store::invalid_argument(fmt::format("{} is not in the full-text index of {} (indexed: {})", column,
                                                table.name, fmt::join(extras.fts_columns, ", ")));
    }
  }
  const std::string words = fts_query(search.query, search.columns);
  if (words.empty()) {
    throw store::invalid_argument("the search query has no words");
  }
  store::sql::Statement filter = filter_clause(table, where);
  store::sql::Statement statement;
  statement.text = fmt::format("FROM {0} JOIN (SELECT rowid AS {1}, -bm25({2}) AS {3} FROM {2} WHERE {2} MATCH ?) "
                               "AS {4} ON {0}.rowid = {4}.{1}{5}",
                               quote(table.name), quote("_fts_rowid"), quote(extras.fts_table), quote("_rank"),
                               quote("_fts"), filter.text);
  statement.params.push_back(words);
  for (auto& param : filter.params) {
    statement.params.push_back(std::move(param));
  }
  return statement;
}

} // namespace

std::string fts_query(const std::string& words, const std::vector<std::string>& columns)
{
  std::vector<std::string> phrases;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) {
      std::string phrase = "\"";
      for (char c : word) {
        phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      phrases.push_back(phrase + "\"");
      word.clear();
    }
  };
  for (char c : words) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  if (phrases.empty()) {
    return "";
  }
  const std::string all = fmt::format("{}", fmt::join(phrases, " "));
  if (columns.empty()) {
    return all;
  }
  std::vector<std::string> quoted;
  for (const auto& column : columns) {
    quoted.push_back(quote(column));
  }
  return fmt::format("{{{}}} : ({})", fmt::join(quoted, " "), all);
}

store::sql::Statement fulltext_select(const store::TableInfo& table, const TableExtras& extras, const store::Select& query)
{
  store::sql::Statement rows = matched_rows(table, extras, query.where, *query.search);
  std::vector<std::string> projection;
  for (const auto& name : query.columns) {
    projection.push_back(fmt::format("{}.{}", quote(table.name), quote(table.require_column(name).name)));
  }
  if (projection.empty()) {
    projection.push_back(quote(table.name) + ".*");
  }
  std::string order = fmt::format("{}.{} DESC", quote("_fts"), quote("_rank"));
  for (const auto& key : query.order) {
    order += fmt::format(", {}.{} {}", quote(table.name), quote(table.require_column(key.column).name),
                         key.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST");
  }
  order += fmt::format(", {}.rowid", quote(table.name));
  store::sql::Statement statement;
  statement.text = fmt::format("SELECT {}, {}.{} AS {} {} ORDER BY {} LIMIT ? OFFSET ?", fmt::join(projection, ", "),
                               quote("_fts"), quote("_rank"), quote("_rank"), rows.text, order);
  statement.params = std::move(rows.params);
  statement.params.push_back(query.limit);
  statement.params.push_back(query.offset);
  return statement;
}

store::sql::Statement fulltext_count(const store::TableInfo& table, const TableExtras& extras, const store::Filter& where,
                              const store::TextSearch& search)
{
  store::sql::Statement rows = matched_rows(table, extras, where, search);
  rows.text = "SELECT COUNT(*) " + rows.text;
  return rows;
}

} // namespace dbmcp::backends::sqlite
