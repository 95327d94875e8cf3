#pragma once

#include "util/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dbmcp::store {

// How a column's values travel as JSON; decides binding and which columns are text-searchable.
enum class ValueKind { integer, real, text, boolean, blob, other };

struct Column
{
  std::string name;
  std::string type; // as the engine declares it, e.g. "VARCHAR(100)", "integer"
  ValueKind kind = ValueKind::other;
  bool nullable = true;
  std::optional<std::string> default_value; // the default's SQL text, if any
  bool auto_increment = false;              // filled by the engine when omitted
};

// Whether `column` holds JSON documents (declared json or jsonb, in any letter case: PostgreSQL
// json/jsonb, MySQL JSON, a SQLite column declared JSON). Such a column takes objects and arrays
// as values, stored as JSON text.
bool is_json_column(const Column& column);

struct Index
{
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
};

// A foreign key from `table`.`columns` to `ref_table`.`ref_columns`. The same struct describes
// both directions: TableInfo::foreign_keys has this table as `table`; TableInfo::referenced_by
// has this table as `ref_table`.
struct ForeignKey
{
  std::string name;
  std::string table;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
};

struct TableInfo
{
  std::string name;
  bool is_view = false;
  std::vector<Column> columns; // in declaration order
  std::vector<std::string> primary_key; // empty when the table has none
  std::vector<Index> indexes;
  std::vector<ForeignKey> foreign_keys;
  std::vector<ForeignKey> referenced_by;
  std::vector<std::string> checks;       // CHECK constraint texts, e.g. "age >= 0 AND age <= 150"
  std::optional<int64_t> row_estimate;   // absent when the engine cannot estimate cheaply
  bool has_fulltext = false;             // an engine full-text index covers this table

  // Returns the column named `name`, or nullptr.
  const Column* find_column(std::string_view name) const;
  // Returns the column named `name`; throws invalid_argument "unknown column 'emial' in users;
  // did you mean 'email'?" when there is none.
  const Column& require_column(std::string_view name) const;
  // The foreign keys, in both directions, that join this table to `other`.
  std::vector<const ForeignKey*> relations_to(std::string_view other) const;
  // The foreign key from this table to `parent` that related-row inserts fill; throws
  // invalid_argument "posts has no foreign key to users" when there is none.
  const ForeignKey& require_foreign_key_to(std::string_view parent) const;
};

// A snapshot of the visible tables, sorted by name. Immutable once built; shared between
// threads through std::shared_ptr<const Schema>.
struct Schema
{
  std::vector<TableInfo> tables;
  // The namespace the tables live in: PostgreSQL's current_schema(), "main" on SQLite; empty for
  // a backend without schemas.
  std::string name;
  // The tables of the database Visibility (--tables, --exclude-tables, the access policy) left
  // out. Never listed or suggested: only so that an error naming one can be reworded without it.
  std::vector<std::string> hidden_tables;

  const TableInfo* find_table(std::string_view name) const;
  // Throws invalid_argument "unknown table 'usres'; did you mean 'users'?" when absent.
  const TableInfo& require_table(std::string_view name) const;
};

// Names from `candidates` within a small edit distance of `name`, closest first (at most 3).
std::vector<std::string> close_matches(std::string_view name, const std::vector<std::string>& candidates);

// `child_values` with the columns of `fk` set from the parent's stored row `parent_row`;
// throws invalid_argument when `child_values` is not an object.
Json linked_child_row(const Json& child_values, const ForeignKey& fk, const Json& parent_row);

// Describes a table as JSON (the describe_table result and the schema resource).
Json to_json(const TableInfo& table);

// Whether an engine's table names match regardless of case (SQLite) or exactly (PostgreSQL,
// where an unquoted name is stored folded to lower case and a quoted one as written).
enum class NameCase { exact, insensitive };

// Whether `a` and `b` name the same thing under `name_case` (insensitive: ASCII case ignored).
bool same_name(std::string_view a, std::string_view b, NameCase name_case);

// Table visibility from --tables / --exclude-tables: empty `include` means every table.
// An exclusion matches names ignoring ASCII case on every engine: hiding too much is safe, so
// --exclude-tables secrets hides a SQLite table "Secrets" and PostgreSQL tables "secrets" and
// "Secrets". An inclusion matches as the engine does (`name_case`): on PostgreSQL --tables users
// shows "users" and not a quoted "Users".
struct Visibility
{
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool visible(std::string_view table, NameCase name_case = NameCase::exact) const;
};

// Removes from `schema` the foreign keys, in both directions, whose other table is not in
// `schema` (hidden by Visibility), so no listing names or implies a hidden table. Table names
// are compared as `name_case` says.
void drop_hidden_relations(Schema& schema, NameCase name_case);

} // namespace dbmcp::store
