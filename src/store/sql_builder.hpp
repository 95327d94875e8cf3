#pragma once

#include "store/query.hpp"
#include "store/schema.hpp"

#include <string>
#include <string_view>
#include <vector>

// SQL text generation shared by the SQL backends. Every identifier is checked against the
// TableInfo it is given (unknown names throw invalid_argument with close matches) and quoted;
// every value becomes a placeholder with its value in Statement::params. Nothing a client sends
// is ever spliced into the text.
namespace dbmcp::store::sql {

struct Dialect
{
  std::string_view name;              // "sqlite", "postgresql", "mysql"
  char quote = '"';                   // identifier quote character
  bool numbered_placeholders = false; // $1, $2 … (PostgreSQL) instead of ?
  bool native_ilike = false;          // ILIKE exists; otherwise LOWER(col) LIKE LOWER(?)
  bool nulls_ordering = true;         // supports NULLS FIRST / NULLS LAST
  bool returning = true;              // INSERT/UPDATE/DELETE … RETURNING
  bool like_ignores_case = false;     // LIKE folds case (SQLite): `like` is then built with GLOB
  // The fields below default to the SQLite/PostgreSQL behaviour, so that their dialects need not
  // name them.
  // LIKE folds case under the column's collation (MySQL's *_ci): `like` is built as
  // `col COLLATE <like_binary_collation> LIKE ?`, case- and accent-sensitive; "" when LIKE compares case.
  std::string_view like_binary_collation = "";
  std::string_view text_type = "TEXT";              // CAST(non-text AS …) for a contains search
  std::string_view default_values = "DEFAULT VALUES"; // an INSERT of no columns: "() VALUES ()" (MySQL)
  // How on_conflict ignore/replace are written: INSERT … ON CONFLICT (SQLite, PostgreSQL), or
  // INSERT … ON DUPLICATE KEY UPDATE (MySQL; ignore as a no-op assignment, so that only key
  // conflicts are skipped, unlike INSERT IGNORE, which also turns other errors into warnings).
  enum class Upsert { on_conflict, on_duplicate_key };
  Upsert upsert = Upsert::on_conflict;
  bool locking_reads = false; // SELECT … FOR UPDATE exists (used by stores without RETURNING)
};

struct Statement
{
  std::string text;
  std::vector<Json> params;
};

// Quotes `name` as an identifier, doubling embedded quote characters.
std::string quote_identifier(const Dialect& dialect, std::string_view name);

// SELECT for `query`. A TextSearch is served here as a case-insensitive contains over the text
// columns; ranked full-text search is backend-specific and not built here.
Statement select(const Dialect& dialect, const TableInfo& table, const Select& query);
// SELECT COUNT(*) with the same filtering as select().
Statement count(const Dialect& dialect, const TableInfo& table, const Filter& where,
                const std::optional<TextSearch>& search);
Statement aggregate(const Dialect& dialect, const TableInfo& table, const AggregateQuery& query);
// A multi-row INSERT of `row_count` rows over `columns` (placeholders only; the caller binds
// the values row by row in `columns` order), with RETURNING * when the dialect has it and
// `returning` is set. on_conflict: ignore skips rows that break a unique key; replace updates
// the given columns of the row they conflict with on conflict_target() (INSERT … ON CONFLICT
// (key) DO UPDATE), keeping its key, other columns and referring rows.
Statement insert(const Dialect& dialect, const TableInfo& table, const std::vector<std::string>& columns,
                 size_t row_count, OnConflict on_conflict, bool returning);
// The key that on_conflict 'replace' matches rows on, for a row giving `columns`: the primary key
// when every column of it is given, else the first unique key (by index name) whose columns are
// all given. A conflict on another key is still a unique_violation. Throws invalid_argument
// naming the keys when no key is given in full.
std::vector<std::string> conflict_target(const TableInfo& table, const std::vector<std::string>& columns);
// The " ON CONFLICT …" clause insert() appends after its rows for `on_conflict` ("" for error),
// for statements that insert from elsewhere (INSERT … SELECT).
std::string conflict_clause(const Dialect& dialect, const TableInfo& table, const std::vector<std::string>& columns,
                            OnConflict on_conflict);
// UPDATE … SET … WHERE …, RETURNING * when the dialect has it.
Statement update(const Dialect& dialect, const TableInfo& table, const Filter& where, const Row& values);
// DELETE … WHERE …, RETURNING * when the dialect has it.
Statement remove(const Dialect& dialect, const TableInfo& table, const Filter& where);

} // namespace dbmcp::store::sql
