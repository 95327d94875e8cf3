#include "backends/mysql/mysql_catalog.hpp"

#include "backends/mysql/mysql_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace dbmcp::backends::mysql {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

std::string text(const std::optional<std::string>& value)
{
  return value.value_or("");
}

// The backticked identifiers of `clause`, in order, without repeats.
std::vector<std::string> quoted_names(const std::string& clause)
{
  std::vector<std::string> names;
  for (size_t at = clause.find('`'); at != std::string::npos; at = clause.find('`', at + 1)) {
    const auto end = clause.find('`', at + 1);
    if (end == std::string::npos) {
      break;
    }
    std::string name = clause.substr(at + 1, end - at - 1);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
    at = end;
  }
  return names;
}

void read_columns(Connection& connection, std::map<std::string, store::TableInfo>& tables)
{
  const Rows rows = connection.query_rows(
      "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION");
  for (const auto& row : rows) {
    const auto it = tables.find(text(row[0]));
    if (it == tables.end()) {
      continue;
    }
    store::Column column;
    column.name = text(row[1]);
    const std::string data_type = text(row[2]);
    column.type = data_type == "json" ? "json" : text(row[3]);
    column.kind = value_kind(data_type, text(row[3]));
    column.nullable = text(row[4]) == "YES";
    if (row[5] && *row[5] != "NULL") {
      column.default_value = *row[5];
    }
    column.auto_increment = text(row[6]).find("auto_increment") != std::string::npos;
    it->second.columns.push_back(std::move(column));
  }
}

void read_indexes(Connection& connection, std::map<std::string, store::TableInfo>& tables, sql::Catalog& catalog)
{
  const Rows rows = connection.query_rows(
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS "
      "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
  for (const auto& row : rows) {
    const auto it = tables.find(text(row[0]));
    if (it == tables.end()) {
      continue;
    }
    store::TableInfo& table = it->second;
    const std::string name = text(row[1]);
    const std::string column = text(row[3]);
    if (name == "PRIMARY") {
      table.primary_key.push_back(column);
      continue;
    }
    if (table.indexes.empty() || table.indexes.back().name != name) {
      table.indexes.push_back({name, {}, text(row[2]) == "0"});
    }
    table.indexes.back().columns.push_back(column);
    if (text(row[4]) == "FULLTEXT") {
      table.has_fulltext = true;
      // The first FULLTEXT index of the table serves searches (MATCH needs its exact columns).
      auto& index = catalog.fulltext[table.name];
      if (index.empty() || table.indexes.back().columns.size() > index.size()) {
        index = table.indexes.back().columns;
      }
    }
  }
  for (auto& [name, table] : tables) {
    for (const auto& index : table.indexes) {
      if (index.unique) {
        catalog.constraints[name + "." + index.name] = {name, index.columns, "", "", {}, false};
      }
    }
  }
}

void read_foreign_keys(Connection& connection, std::map<std::string, store::TableInfo>& tables,
                       sql::Catalog& catalog)
{
  const Rows rows = connection.query_rows(
      "SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "
      "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_SCHEMA = "
      "DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION");
  std::vector<store::ForeignKey> keys;
  for (const auto& row : rows) {
    if (keys.empty() || keys.back().name != text(row[0]) || keys.back().table != text(row[1])) {
      keys.push_back({text(row[0]), text(row[1]), {}, text(row[3]), {}});
    }
    keys.back().columns.push_back(text(row[2]));
    keys.back().ref_columns.push_back(text(row[4]));
  }
  for (const auto& key : keys) {
    const bool visible = tables.count(key.table) && tables.count(key.ref_table);
    catalog.constraints[key.name] = {key.table, key.columns, "", key.ref_table, key.ref_columns, !visible};
    if (tables.count(key.table)) {
      tables[key.table].foreign_keys.push_back(key);
    }
    if (tables.count(key.ref_table)) {
      tables[key.ref_table].referenced_by.push_back(key);
    }
  }
}

void read_checks(Connection& connection, std::map<std::string, store::TableInfo>& tables, sql::Catalog& catalog)
{
  const Rows rows = connection.query_rows(
      connection.mariadb()
          ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL FROM information_schema.CHECK_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
          : "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'Table' FROM "
            "information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc ON "
            "cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE "
            "tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME");
  static const std::regex k_json_valid(R"(^json_valid\(`([^`]+)`\)$)", std::regex::icase);
  for (const auto& row : rows) {
    const auto it = tables.find(text(row[0]));
    if (it == tables.end()) {
      continue;
    }
    store::TableInfo& table = it->second;
    const std::string clause = text(row[2]);
    std::smatch json;
    if (std::regex_match(clause, json, k_json_valid)) { // MariaDB's JSON type
      for (auto& column : table.columns) {
        if (column.name == json[1].str()) {
          column.type = "json";
          column.kind = store::ValueKind::other;
        }
      }
      continue;
    }
    std::vector<std::string> columns = quoted_names(clause);
    if (text(row[3]) == "Column") {
      columns = {text(row[1])};
    }
    const std::string readable = readable_check(clause);
    table.checks.push_back(readable);
    catalog.constraints[table.name + "." + text(row[1])] = {table.name, columns, readable, "", {}, false};
  }
}

} // namespace

std::string readable_check(std::string clause)
{
  clause.erase(std::remove(clause.begin(), clause.end(), '`'), clause.end());
  static const std::regex k_connective(R"(\b(and|or|not|is|null|in|between|like)\b)");
  std::string out;
  auto begin = std::sregex_iterator(clause.begin(), clause.end(), k_connective);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += clause.substr(last, it->position() - last);
    std::string word = it->str();
    std::transform(word.begin(), word.end(), word.begin(), ::toupper);
    out += word;
    last = it->position() + it->length();
  }
  return out + clause.substr(last);
}

sql::Catalog read_catalog(Connection& connection, const store::Visibility& visibility)
{
  sql::Catalog catalog;
  const Rows database = connection.query_rows("SELECT DATABASE()");
  catalog.database = database.empty() ? "" : text(database[0][0]);
  std::map<std::string, store::TableInfo> tables;
  std::vector<std::string> hidden_tables;
  for (const auto& row : connection.query_rows("SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM "
                                               "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
    const std::string name = text(row[0]);
    if (!visibility.visible(name, store::NameCase::exact)) {
      hidden_tables.push_back(name);
      continue;
    }
    store::TableInfo table;
    table.name = name;
    table.is_view = text(row[1]) == "VIEW";
    if (row[2] && !table.is_view) {
      table.row_estimate = std::stoll(*row[2]);
    }
    tables.emplace(name, std::move(table));
  }
  read_columns(connection, tables);
  read_indexes(connection, tables, catalog);
  read_foreign_keys(connection, tables, catalog);
  read_checks(connection, tables, catalog);
  auto schema = std::make_shared<store::Schema>();
  schema->hidden_tables = std::move(hidden_tables);
  for (auto& [name, table] : tables) {
    schema->tables.push_back(std::move(table));
  }
  store::drop_hidden_relations(*schema, store::NameCase::exact);
  catalog.schema = std::move(schema);
  return catalog;
}

} // namespace dbmcp::backends::mysql
