#pragma once

#include "store/schema.hpp"

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dbmcp::backends::sqlite {

// A CHECK constraint as written in CREATE TABLE.
struct CheckConstraint
{
  std::string name;   // CONSTRAINT name, or empty
  std::string column; // the column it was declared on, or empty for a table constraint
  std::string text;   // the expression inside CHECK (…)
};

// What the backend knows about a table beyond store::TableInfo.
struct TableExtras
{
  std::vector<CheckConstraint> checks;
  std::string fts_table;                // "<table>_fts" when an FTS5 table covers it, else empty
  std::vector<std::string> fts_columns; // the FTS5 table's columns
};

// One introspection of the database: the visible tables and their extras. Immutable.
struct Catalog
{
  std::shared_ptr<const store::Schema> schema;
  std::map<std::string, TableExtras> extras;

  // The extras of `table` (an empty set for an unknown table).
  const TableExtras& extras_of(const std::string& table) const;
};

// Reads the catalog through `db`: tables and views except SQLite's internal tables, FTS5 tables
// named <table>_fts (which mark <table> as searchable) and FTS5 shadow tables; limited to the
// tables `visibility` shows. Row estimates come from sqlite_stat1 when present (ANALYZE), else
// an exact count up to 10,000 rows, else the largest rowid (none for WITHOUT ROWID tables).
std::shared_ptr<const Catalog> load_catalog(SQLite::Database& db, const store::Visibility& visibility);

// The CHECK constraints of a CREATE TABLE statement.
std::vector<CheckConstraint> parse_checks(std::string_view create_sql);

} // namespace dbmcp::backends::sqlite
