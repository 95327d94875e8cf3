#include "backends/sqlite/sqlite_catalog.hpp"

#include "backends/sqlite/sqlite_dialect.hpp"
#include "backends/sqlite/sqlite_values.hpp"
#include "util/log.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dbmcp::backends::sqlite {
namespace {

struct RawTable
{
  std::string name;
  std::string type; // "table" or "view"
  std::string sql;
};

bool is_fts5(const RawTable& table)
{
  std::string upper = table.sql;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  return upper.find("VIRTUAL TABLE") != std::string::npos && upper.find("USING FTS5") != std::string::npos;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<RawTable> raw_tables(SQLite::Database& db)
{
  SQLite::Statement query(db, "SELECT name, type, coalesce(sql, '') FROM sqlite_schema "
                              "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  std::vector<RawTable> tables;
  while (query.executeStep()) {
    tables.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString()});
  }
  return tables;
}

void read_columns(SQLite::Database& db, store::TableInfo& table, bool without_rowid)
{
  SQLite::Statement query(db, fmt::format("PRAGMA table_xinfo({})", quote(table.name)));
  std::vector<std::pair<int, std::string>> key;
  while (query.executeStep()) {
    if (query.getColumn(6).getInt() == 1) {
      continue; // a hidden column of a virtual table
    }
    store::Column column;
    column.name = query.getColumn(1).getString();
    column.type = query.getColumn(2).getString();
    column.kind = kind_of_declared_type(column.type);
    column.nullable = query.getColumn(3).getInt() == 0;
    if (!query.getColumn(4).isNull()) {
      column.default_value = query.getColumn(4).getString();
    }
    if (const int position = query.getColumn(5).getInt(); position > 0) {
      key.emplace_back(position, column.name);
    }
    table.columns.push_back(std::move(column));
  }
  std::sort(key.begin(), key.end());
  for (const auto& [position, name] : key) {
    table.primary_key.push_back(name);
  }
  // An INTEGER PRIMARY KEY is the rowid: filled by SQLite when omitted, and never NULL.
  if (!without_rowid && !table.is_view && table.primary_key.size() == 1) {
    for (auto& column : table.columns) {
      std::string upper = column.type;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      if (column.name == table.primary_key[0] && upper == "INTEGER") {
        column.auto_increment = true;
        column.nullable = false;
      }
    }
  }
}

void read_indexes(SQLite::Database& db, store::TableInfo& table)
{
  SQLite::Statement list(db, fmt::format("PRAGMA index_list({})", quote(table.name)));
  while (list.executeStep()) {
    store::Index index{list.getColumn(1).getString(), {}, list.getColumn(2).getInt() != 0};
    SQLite::Statement info(db, fmt::format("PRAGMA index_info({})", quote(index.name)));
    while (info.executeStep()) {
      index.columns.push_back(info.getColumn(2).isNull() ? "<expression>" : info.getColumn(2).getString());
    }
    table.indexes.push_back(std::move(index));
  }
  std::sort(table.indexes.begin(), table.indexes.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

// Foreign keys from `table`; a reference without columns means the parent's primary key,
// which `primary_keys` supplies.
void read_foreign_keys(SQLite::Database& db, store::TableInfo& table,
                       const std::map<std::string, std::vector<std::string>>& primary_keys)
{
  SQLite::Statement list(db, fmt::format("PRAGMA foreign_key_list({})", quote(table.name)));
  std::map<int, store::ForeignKey> keys;
  while (list.executeStep()) {
    store::ForeignKey& fk = keys[list.getColumn(0).getInt()];
    fk.table = table.name;
    fk.ref_table = list.getColumn(2).getString();
    fk.columns.push_back(list.getColumn(3).getString());
    if (!list.getColumn(4).isNull()) {
      fk.ref_columns.push_back(list.getColumn(4).getString());
    }
  }
  for (auto& [id, fk] : keys) {
    if (fk.ref_columns.empty()) {
      const auto it = primary_keys.find(fk.ref_table);
      fk.ref_columns = it == primary_keys.end() ? std::vector<std::string>{} : it->second;
    }
    fk.name = fmt::format("fk_{}_{}", fk.table, fmt::join(fk.columns, "_"));
    table.foreign_keys.push_back(std::move(fk));
  }
}

// Counting is exact but reads the whole table; a catalog load must not cost O(data), so counting
// stops here and larger tables are estimated from the rowid.
constexpr int64_t k_counted_rows = 10000;

std::optional<int64_t> row_estimate(SQLite::Database& db, const std::string& table, bool has_rowid, bool have_stat1)
{
  if (have_stat1) {
    SQLite::Statement stat(db, "SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1");
    stat.bind(1, table);
    if (stat.executeStep()) {
      const std::string text = stat.getColumn(0).getString();
      try {
        return std::stoll(text);
      } catch (const std::exception&) {
        // fall through to counting
      }
    }
  }
  SQLite::Statement count(db, fmt::format("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT {})", quote(table), k_counted_rows));
  count.executeStep();
  const int64_t counted = count.getColumn(0).getInt64();
  if (counted < k_counted_rows) {
    return counted;
  }
  if (!has_rowid) {
    return std::nullopt;
  }
  // The largest rowid: exact while rows are only appended, high after deletes.
  SQLite::Statement last(db, "SELECT max(rowid) FROM " + quote(table));
  last.executeStep();
  return std::max(counted, last.getColumn(0).getInt64());
}

bool table_exists(SQLite::Database& db, const std::string& name)
{
  SQLite::Statement query(db, "SELECT 1 FROM sqlite_schema WHERE name = ?");
  query.bind(1, name);
  return query.executeStep();
}

} // namespace

const TableExtras& Catalog::extras_of(const std::string& table) const
{
  static const TableExtras k_none;
  const auto it = extras.find(table);
  return it == extras.end() ? k_none : it->second;
}

std::shared_ptr<const Catalog> load_catalog(SQLite::Database& db, const store::Visibility& visibility)
{
  const std::vector<RawTable> raw = raw_tables(db);
  std::set<std::string> names;
  std::set<std::string> fts_tables;
  for (const auto& table : raw) {
    names.insert(table.name);
    if (is_fts5(table)) {
      fts_tables.insert(table.name);
    }
  }
  static const std::vector<std::string> k_shadow_suffixes = {"_data", "_idx", "_content", "_docsize", "_config"};
  const auto hidden = [&](const RawTable& table) {
    if (fts_tables.count(table.name) && ends_with(table.name, "_fts")
        && names.count(table.name.substr(0, table.name.size() - 4))) {
      return true;
    }
    for (const auto& fts : fts_tables) {
      for (const auto& suffix : k_shadow_suffixes) {
        if (table.name == fts + suffix) {
          return true;
        }
      }
    }
    return !visibility.visible(table.name, store::NameCase::insensitive);
  };
  auto catalog = std::make_shared<Catalog>();
  auto schema = std::make_shared<store::Schema>();
  schema->name = "main";
  std::map<std::string, std::vector<std::string>> primary_keys;
  const bool have_stat1 = table_exists(db, "sqlite_stat1");
  for (const auto& raw_table : raw) {
    if (hidden(raw_table)) {
      if (!visibility.visible(raw_table.name, store::NameCase::insensitive)) {
        schema->hidden_tables.push_back(raw_table.name);
      }
      continue;
    }
    store::TableInfo table;
    table.name = raw_table.name;
    table.is_view = raw_table.type == "view";
    std::string upper = raw_table.sql;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    const bool without_rowid = upper.find("WITHOUT ROWID") != std::string::npos;
    if (table.is_view) {
      // A view over a dropped table or column fails when its columns are read; it is left out
      // rather than making the whole database unusable.
      try {
        read_columns(db, table, without_rowid);
      } catch (const SQLite::Exception& e) {
        log::write(LogLevel::warning, fmt::format("sqlite: the view {} is left out: it cannot be read ({})", table.name, e.what()));
        continue;
      }
    } else {
      read_columns(db, table, without_rowid);
    }
    TableExtras extras;
    if (!table.is_view) {
      read_indexes(db, table);
      extras.checks = parse_checks(raw_table.sql);
      for (const auto& check : extras.checks) {
        table.checks.push_back(check.text);
      }
      table.row_estimate = row_estimate(db, table.name, !without_rowid, have_stat1);
    }
    if (const std::string fts = table.name + "_fts"; fts_tables.count(fts)) {
      table.has_fulltext = true;
      extras.fts_table = fts;
      store::TableInfo fts_info;
      fts_info.name = fts;
      read_columns(db, fts_info, false);
      for (const auto& column : fts_info.columns) {
        extras.fts_columns.push_back(column.name);
      }
    }
    primary_keys[table.name] = table.primary_key;
    catalog->extras[table.name] = std::move(extras);
    schema->tables.push_back(std::move(table));
  }
  for (auto& table : schema->tables) {
    if (!table.is_view) {
      read_foreign_keys(db, table, primary_keys);
    }
  }
  store::drop_hidden_relations(*schema, store::NameCase::insensitive);
  for (auto& table : schema->tables) {
    for (const auto& other : schema->tables) {
      for (const auto& fk : other.foreign_keys) {
        if (fk.ref_table == table.name) {
          table.referenced_by.push_back(fk);
        }
      }
    }
  }
  catalog->schema = std::move(schema);
  return catalog;
}

} // namespace dbmcp::backends::sqlite
