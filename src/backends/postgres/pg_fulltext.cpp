#include "backends/postgres/pg_fulltext.hpp"
#include "backends/postgres/pg_dialect.hpp"
#include "backends/postgres/pg_values.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

#include <limits>

namespace dbmcp::backends::postgres {
namespace {

// The rows of `table` that match `where`, as a FROM item: the table itself with a WHERE
// condition taken from the shared builder's COUNT statement (so that the filter language is
// compiled in one place), or, if that statement has an unexpected shape, the builder's SELECT
// as a derived table.
struct Source
{
  std::string from;      // "\"posts\"" or "(SELECT …) AS \"_dbmcp_rows\""
  std::string condition; // "" or the filter, without WHERE
  std::vector<Json> params;
};

Source filtered_source(const store::TableInfo& table, const store::Filter& where)
{
  const std::string quoted = quote(table.name);
  store::sql::Statement count = store::sql::count(dialect(), table, where, std::nullopt);
  const std::string from = "FROM " + quoted;
  const auto at = count.text.find(from);
  if (at != std::string::npos) {
    const std::string rest = count.text.substr(at + from.size());
    if (rest.find_first_not_of(" \n;") == std::string::npos) {
      return {quoted, "", std::move(count.params)};
    }
    static const std::string k_where = " WHERE ";
    if (rest.rfind(k_where, 0) == 0) {
      std::string condition = rest.substr(k_where.size());
      while (!condition.empty() && (condition.back() == ';' || condition.back() == ' ')) {
        condition.pop_back();
      }
      return {quoted, "(" + condition + ")", std::move(count.params)};
    }
  }
  store::Select all;
  all.table = table.name;
  all.where = where;
  all.limit = std::numeric_limits<int32_t>::max();
  store::sql::Statement rows = store::sql::select(dialect(), table, all);
  return {"(" + rows.text + ") AS " + quote("_dbmcp_rows"), "", std::move(rows.params)};
}

// The document expression for `config`, bound as parameter `config_param` ("$3").
std::string document(const store::TableInfo& table, const std::vector<std::string>* index, const store::TextSearch& search,
                     const std::string& config, const std::string& config_param)
{
  if (index && search.columns.empty() && index->at(fulltext_config) == config) {
    return index->at(fulltext_expression);
  }
  std::vector<std::string> columns = search.columns;
  if (columns.empty()) {
    for (const auto& column : table.columns) {
      if (column.kind == store::ValueKind::text) {
        columns.push_back(column.name);
      }
    }
  }
  if (columns.empty()) {
    throw store::invalid_argument(fmt::format("{} has no text columns to search; name search_columns", table.name));
  }
  std::string text;
  for (const auto& name : columns) {
    const store::Column& column = table.require_column(name);
    text += fmt::format("{}coalesce({}::text, '')", text.empty() ? "" : " || ' ' || ", quote(column.name));
  }
  return fmt::format("to_tsvector({}::regconfig, {})", config_param, text);
}

struct Parts
{
  Source source;
  std::string where; // the full WHERE clause text, with the text-search match
  std::string rank;  // ts_rank(…) expression
};

Parts build(const store::TableInfo& table, const std::vector<std::string>* index, const store::Filter& filter,
            const store::TextSearch& search, const std::string& config)
{
  Parts parts{filtered_source(table, filter), "", ""};
  parts.source.params.push_back(config);
  const std::string config_param = fmt::format("${}", parts.source.params.size());
  const std::string vector = document(table, index, search, config, config_param);
  parts.source.params.push_back(search.query);
  const std::string tsquery =
      fmt::format("plainto_tsquery({}::regconfig, ${})", config_param, parts.source.params.size());
  parts.where = fmt::format(" WHERE {}{}{} @@ {}", parts.source.condition, parts.source.condition.empty() ? "" : " AND ",
                            vector, tsquery);
  parts.rank = fmt::format("ts_rank({}, {})", vector, tsquery);
  return parts;
}

} // namespace

std::string text_search_config(PgSession* session, const ::dbmcp::backends::sql::Catalog& catalog,
                               const store::TableInfo& table, const store::TextSearch& search)
{
  if (session && search.language) {
    refuse_nul("language", *search.language);
    const auto found = session->exec("SELECT c.oid::regconfig::text FROM pg_catalog.pg_ts_config c WHERE c.cfgname = $1 "
                                     "AND pg_catalog.pg_ts_config_is_visible(c.oid)",
                                     {*search.language});
    if (found.empty()) {
      const auto names = session->exec("SELECT string_agg(cfgname, ', ' ORDER BY cfgname) FROM pg_catalog.pg_ts_config "
                                       "WHERE pg_catalog.pg_ts_config_is_visible(oid)");
      throw store::invalid_argument(fmt::format("unknown text search configuration '{}' (language); this database has: {}",
                                                *search.language, names[0][0].c_str()));
    }
    return found[0][0].c_str();
  }
  const auto index = catalog.fulltext.find(table.name);
  return index != catalog.fulltext.end() ? index->second.at(fulltext_config) : catalog.text_search_config;
}

store::sql::Statement fulltext_select(const store::TableInfo& table, const std::vector<std::string>* index, const store::Select& query,
                               const std::string& config)
{
  Parts parts = build(table, index, query.where, *query.search, config);
  std::string projection;
  for (const auto& name : query.columns) {
    projection += quote(table.require_column(name).name) + ", ";
  }
  if (projection.empty()) {
    projection = "*, ";
  }
  std::string order = quote("_rank") + " DESC";
  for (const auto& key : query.order) {
    order += fmt::format(", {} {}", quote(table.require_column(key.column).name),
                         key.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST");
  }
  for (const auto& column : table.primary_key) {
    order += ", " + quote(column);
  }
  auto& params = parts.source.params;
  params.push_back(query.limit);
  params.push_back(query.offset);
  store::sql::Statement statement;
  statement.text = fmt::format("SELECT {}{} AS {} FROM {}{} ORDER BY {} LIMIT ${} OFFSET ${}", projection, parts.rank,
                               quote("_rank"), parts.source.from, parts.where, order, params.size() - 1,
                               params.size());
  statement.params = std::move(params);
  return statement;
}

store::sql::Statement fulltext_count(const store::TableInfo& table, const std::vector<std::string>* index, const store::Filter& where,
                              const store::TextSearch& search, const std::string& config)
{
  Parts parts = build(table, index, where, search, config);
  store::sql::Statement statement;
  statement.text = fmt::format("SELECT COUNT(*) FROM {}{}", parts.source.from, parts.where);
  statement.params = std::move(parts.source.params);
  return statement;
}

} // namespace dbmcp::backends::postgres
