#include "backends/postgres/pg_catalog.hpp"

#include "backends/postgres/pg_errors.hpp"
#include "backends/postgres/pg_values.hpp"

#include <pqxx/result>

#include <algorithm>
#include <regex>

namespace dbmcp::backends::postgres {
namespace {

constexpr const char* k_tables_sql = R"sql(
SELECT c.relname, c.relkind,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE s.n_live_tup END AS estimate
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
ORDER BY c.relname
)sql";

constexpr const char* k_columns_sql = R"sql(
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), bt.typname, bt.typcategory,
       a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '', a.attgenerated <> ''
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
)sql";

constexpr const char* k_indexes_sql = R"sql(
SELECT c.relname, ic.relname, i.indisunique, i.indisprimary, am.amname,
       (SELECT json_agg(CASE WHEN k.attnum > 0 THEN a.attname::text
                             ELSE pg_get_indexdef(i.indexrelid, k.ord::int, true) END ORDER BY k.ord)
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE k.ord <= i.indnkeyatts)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE n.nspname = current_schema()
ORDER BY c.relname, i.indisprimary DESC, ic.relname
)sql";

constexpr const char* k_constraints_sql = R"sql(
SELECT con.conname, con.contype, c.relname, rc.relname,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
       pg_get_constraintdef(con.oid, true)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
WHERE n.nspname = current_schema() AND con.contype IN ('c', 'f', 'u', 'p')
ORDER BY c.relname, con.conname
)sql";

std::vector<std::string> names_of(const pqxx::field& field)
{
  if (field.is_null()) {
    return {};
  }
  return Json::parse(field.c_str()).get<std::vector<std::string>>();
}

// "CHECK (age >= 0 AND age <= 150) NOT VALID" -> "age >= 0 AND age <= 150".
std::string check_text(std::string definition)
{
  const std::string not_valid = " NOT VALID";
  if (definition.size() > not_valid.size()
      && definition.compare(definition.size() - not_valid.size(), not_valid.size(), not_valid) == 0) {
    definition.resize(definition.size() - not_valid.size());
  }
  if (definition.rfind("CHECK ", 0) == 0) {
    definition = definition.substr(6);
  }
  return simplify_expression(definition);
}

std::optional<std::vector<std::string>> fulltext_index(const std::string& method, const std::vector<std::string>& columns)
{
  static const std::regex k_config(R"re(^to_tsvector\('([A-Za-z_0-9]+)'::regconfig,)re");
  std::smatch match;
  if (method != "gin" || columns.size() != 1 || !std::regex_search(columns[0], match, k_config)) {
    return std::nullopt;
  }
  return std::vector<std::string>{columns[0], match[1].str()};
}

void read_columns(pqxx::transaction_base& tx, std::map<std::string, store::TableInfo>& tables)
{
  for (const auto& row : tx.exec(k_columns_sql)) {
    const auto table = tables.find(row[0].c_str());
    if (table == tables.end()) {
      continue;
    }
    store::Column column;
    column.name = row[1].c_str();
    column.type = row[2].c_str();
    column.kind = value_kind(row[3].c_str(), row[4].c_str()[0]);
    column.nullable = !row[5].as<bool>();
    if (!row[6].is_null()) {
      column.default_value = row[6].c_str();
    }
    column.auto_increment = row[7].as<bool>()
                            || (column.default_value && column.default_value->rfind("nextval(", 0) == 0);
    table->second.columns.push_back(std::move(column));
  }
}

void read_indexes(pqxx::transaction_base& tx, std::map<std::string, store::TableInfo>& tables,
                  sql::Catalog& catalog)
{
  for (const auto& row : tx.exec(k_indexes_sql)) {
    const auto table = tables.find(row[0].c_str());
    if (table == tables.end()) {
      continue;
    }
    store::Index index{row[1].c_str(), names_of(row[5]), row[2].as<bool>()};
    if (row[3].as<bool>()) {
      table->second.primary_key = index.columns;
    }
    if (auto fulltext = fulltext_index(row[4].c_str(), index.columns)) {
      table->second.has_fulltext = true;
      catalog.fulltext.emplace(table->first, std::move(*fulltext));
    }
    table->second.indexes.push_back(std::move(index));
  }
}

void read_constraints(pqxx::transaction_base& tx, std::map<std::string, store::TableInfo>& tables,
                      sql::Catalog& catalog)
{
  for (const auto& row : tx.exec(k_constraints_sql)) {
    sql::ConstraintInfo info;
    const std::string name = row[0].c_str();
    const char type = row[1].c_str()[0];
    info.table = row[2].c_str();
    info.ref_table = row[3].is_null() ? "" : row[3].c_str();
    info.columns = names_of(row[4]);
    info.ref_columns = names_of(row[5]);
    if (type == 'c') {
      info.definition = check_text(row[6].c_str());
    }
    const auto table = tables.find(info.table);
    if (table != tables.end() && type == 'c') {
      table->second.checks.push_back(info.definition);
    }
    info.hidden = table == tables.end();
    if (type == 'f') {
      const auto referenced = tables.find(info.ref_table);
      info.hidden = info.hidden || referenced == tables.end();
      const store::ForeignKey fk{name, info.table, info.columns, info.ref_table, info.ref_columns};
      if (table != tables.end() && referenced != tables.end()) {
        table->second.foreign_keys.push_back(fk);
        referenced->second.referenced_by.push_back(fk);
      }
    }
    catalog.constraints.emplace(name, std::move(info));
  }
}

} // namespace

sql::Catalog read_catalog(pqxx::transaction_base& tx, const store::Visibility& visibility)
{
  sql::Catalog catalog;
  const auto names = tx.exec("SELECT current_database(), current_schema(), "
                             "current_setting('default_text_search_config')::regconfig::text");
  catalog.database = names[0][0].c_str();
  catalog.text_search_config = names[0][2].c_str();
  std::map<std::string, store::TableInfo> tables;
  std::vector<std::string> hidden_tables;
  for (const auto& row : tx.exec(k_tables_sql)) {
    const std::string name = row[0].c_str();
    if (!visibility.visible(name)) {
      hidden_tables.push_back(name);
      continue;
    }
    store::TableInfo table;
    table.name = name;
    const char kind = row[1].c_str()[0];
    table.is_view = kind == 'v' || kind == 'm';
    if (!row[2].is_null()) {
      table.row_estimate = row[2].as<int64_t>();
    }
    tables.emplace(name, std::move(table));
  }
  read_columns(tx, tables);
  read_indexes(tx, tables, catalog);
  read_constraints(tx, tables, catalog);

  auto schema = std::make_shared<store::Schema>();
  schema->hidden_tables = std::move(hidden_tables);
  schema->name = names[0][1].c_str();
  for (auto& [name, table] : tables) {
    schema->tables.push_back(std::move(table));
  }
  catalog.schema = std::move(schema);
  return catalog;
}

} // namespace dbmcp::backends::postgres
