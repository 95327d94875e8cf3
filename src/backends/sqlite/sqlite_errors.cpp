#include "backends/sqlite/sqlite_errors.hpp"

#include "backends/sql/constraint_message.hpp"
#include "backends/sqlite/sqlite_dialect.hpp"
#include "backends/sqlite/sqlite_values.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace dbmcp::backends::sqlite {
namespace {

namespace wording = sql::constraint_message;

// "UNIQUE constraint failed: users.email, users.name" -> {"email", "name"}.
std::vector<std::string> failed_columns(const std::string& message)
{
  std::vector<std::string> columns;
  const auto colon = message.find(": ");
  if (colon == std::string::npos) {
    return columns;
  }
  std::string_view rest(message);
  rest.remove_prefix(colon + 2);
  while (!rest.empty()) {
    const auto comma = rest.find(", ");
    std::string_view item = rest.substr(0, comma);
    if (const auto dot = item.find('.'); dot != std::string_view::npos) {
      item.remove_prefix(dot + 1);
    }
    columns.emplace_back(item);
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 2);
  }
  return columns;
}

std::string after_colon(const std::string& message)
{
  const auto colon = message.find(": ");
  return colon == std::string::npos ? "" : message.substr(colon + 2);
}

bool mentions(std::string_view text, std::string_view word)
{
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool start = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
    const size_t end = at + word.size();
    const bool finish = end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
    if (start && finish) {
      return true;
    }
  }
  return false;
}

store::StoreError unique_error(const Failure& failure, const ErrorScope& scope)
{
  const std::vector<std::string> columns = failed_columns(failure.message);
  std::vector<std::string> shown;
  for (const auto& column : columns) {
    if (scope.values && scope.values->contains(column)) {
      shown.push_back(wording::show((*scope.values)[column]));
    }
  }
  return wording::unique(scope.table ? scope.table->name : "the table", scope.table, columns, shown);
}

store::StoreError check_error(const Failure& failure, const ErrorScope& scope)
{
  const std::string failed = after_colon(failure.message);
  const CheckConstraint* found = nullptr;
  if (scope.extras) {
    for (const auto& check : scope.extras->checks) {
      if ((!check.name.empty() && check.name == failed) || check.text == failed) {
        found = &check;
        break;
      }
    }
  }
  const std::string text = found ? found->text : failed;
  std::string column = found ? found->column : "";
  if (column.empty() && scope.table) {
    for (const auto& candidate : scope.table->columns) {
      if (mentions(text, candidate.name)) {
        column = candidate.name;
        break;
      }
    }
  }
  const std::string subject = column.empty() ? (scope.table ? scope.table->name + " row" : "the row") : column;
  return wording::check(subject, text);
}

// Whether a row of `table` has `columns` equal to `values`, looked up through `db`.
bool row_exists(SQLite::Database& db, const std::string& table, const std::vector<std::string>& columns,
                const std::vector<Json>& values)
{
  std::vector<std::string> terms;
  for (const auto& column : columns) {
    terms.push_back(quote(column) + " = ?");
  }
  SQLite::Statement query(db, fmt::format("SELECT 1 FROM {} WHERE {} LIMIT 1",
                                          quote(table), fmt::join(terms, " AND ")));
  bind_all(query, values);
  return query.executeStep();
}

// The value bound for `column`, when the statement bound exactly one (a filter's `id = 1`).
std::optional<Json> bound_value(const ErrorScope& scope, const std::string& column)
{
  std::optional<Json> found;
  if (scope.bound) {
    for (const auto& [name, value] : *scope.bound) {
      if (name == column) {
        if (found || value.is_array()) {
          return std::nullopt;
        }
        found = value;
      }
    }
  }
  return found;
}

// The value the filter pins `column` to (ErrorScope::pinned), when it pins exactly one.
std::optional<Json> pinned_value(const ErrorScope& scope, const std::string& column)
{
  std::optional<Json> found;
  for (const auto& [name, value] : *scope.pinned) {
    if (name == column) {
      if (found) {
        return std::nullopt;
      }
      found = value;
    }
  }
  return found;
}

// A parent row of `scope.table` being deleted, or its key updated, is still referenced: names
// the key and the child column that holds it when the statement's filter pinned one value for
// the key (a delete without `pinned`: bound one value) and a child row holds it.
store::StoreError referenced_error(const ErrorScope& scope, SQLite::Database* db)
{
  const std::string table = scope.table ? scope.table->name : "the table";
  if (!scope.table || scope.table->referenced_by.empty()) {
    return wording::still_referenced_unnamed(table);
  }
  for (const auto& fk : scope.table->referenced_by) {
    std::vector<Json> keys;
    std::vector<std::string> shown;
    for (const auto& column : fk.ref_columns) {
      const auto value = scope.pinned ? pinned_value(scope, column) : bound_value(scope, column);
      if (value && !value->is_null()) {
        keys.push_back(*value);
        shown.push_back(wording::show(*value));
      }
    }
    try {
      if (db && !keys.empty() && keys.size() == fk.columns.size() && row_exists(*db, fk.table, fk.columns, keys)) {
        return wording::still_referenced(table, fk.ref_columns, shown, fk.table, fk.columns);
      }
    } catch (const SQLite::Exception&) {
      // The lookup itself failed: fall back to the general message.
    }
  }
  if (scope.table->referenced_by.size() == 1) {
    const auto& fk = scope.table->referenced_by[0];
    return wording::still_referenced(table, fk.ref_columns, {}, fk.table, fk.columns);
  }
  return wording::still_referenced_unnamed(table);
}

store::StoreError foreign_key_error(const ErrorScope& scope, SQLite::Database* db)
{
  const std::string table = scope.table ? scope.table->name : "the table";
  if (scope.deleting || !scope.values) {
    return referenced_error(scope, db);
  }
  for (const auto& fk : scope.table->foreign_keys) {
    bool complete = fk.columns.size() == fk.ref_columns.size();
    std::vector<Json> keys;
    std::vector<std::string> shown;
    for (const auto& column : fk.columns) {
      complete = complete && scope.values->contains(column) && !(*scope.values)[column].is_null();
      if (complete) {
        keys.push_back((*scope.values)[column]);
        shown.push_back(wording::show((*scope.values)[column]));
      }
    }
    try {
      if (complete && db && !row_exists(*db, fk.ref_table, fk.ref_columns, keys)) {
        return wording::missing_parent(table, fk.columns, shown, fk.ref_table, fk.ref_columns);
      }
    } catch (const SQLite::Exception&) {
      // The lookup itself failed: fall back to the general message.
    }
  }
  // No child key of the row is missing its parent: an update changed a key that children still
  // reference.
  for (const auto& fk : scope.table->referenced_by) {
    if (std::any_of(fk.ref_columns.begin(), fk.ref_columns.end(),
                    [&](const std::string& column) { return scope.values->contains(column); })) {
      return referenced_error(scope, db);
    }
  }
  return wording::missing_parent_unnamed(table);
}

store::StoreError general_error(const Failure& failure, const ErrorScope& scope)
{
  switch (failure.code) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return store::timeout("the database is locked by another connection (busy); try again");
  case SQLITE_READONLY:
    return store::read_only(fmt::format("the database is read-only: {}", failure.message));
  case SQLITE_INTERRUPT:
    if (scope.timed_out) {
      return store::timeout(fmt::format("the statement ran longer than the {} ms statement timeout; nothing changed",
                                        scope.statement_timeout.count()));
    }
    return store::timeout("the statement was interrupted; nothing changed");
  case SQLITE_MISMATCH: {
    std::string key = scope.table && scope.table->primary_key.size() == 1 ? scope.table->primary_key[0] : "the key";
    return store::invalid_argument(fmt::format("{}.{} takes an integer (datatype mismatch)",
                                               scope.table ? scope.table->name : "the table", key));
  }
  case SQLITE_ERROR:
    // "cannot modify v because it is a view"
    if (failure.message.rfind("cannot modify ", 0) == 0 && failure.message.find("because it is a view") != std::string::npos) {
      return store::invalid_argument(fmt::format("{} is a view; write to its underlying tables",
                                                 failure.message.substr(14, failure.message.find(" because") - 14)));
    }
    return store::invalid_argument(failure.message);
  case SQLITE_TOOBIG:
  case SQLITE_RANGE:
  case SQLITE_AUTH: return store::invalid_argument(failure.message);
  case SQLITE_CANTOPEN:
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
  case SQLITE_IOERR:
  case SQLITE_FULL:
  case SQLITE_PERM:
  case SQLITE_NOMEM: return store::unavailable(fmt::format("SQLite: {}", failure.message));
  default: return {store::ErrorCode::internal, fmt::format("SQLite: {}", failure.message)};
  }
}

} // namespace

Failure Failure::of(const SQLite::Exception& e)
{
  const int code = e.getErrorCode();
  // SQLiteCpp reports -1 for its own failures (no SQLite call involved).
  return {code < 0 ? SQLITE_ERROR : code & 0xff, e.getExtendedErrorCode(), e.what()};
}

store::StoreError constraint_error(const Failure& failure, const ErrorScope& scope, SQLite::Database* db)
{
  switch (failure.extended) {
  case SQLITE_CONSTRAINT_UNIQUE:
  case SQLITE_CONSTRAINT_PRIMARYKEY: return unique_error(failure, scope);
  case SQLITE_CONSTRAINT_CHECK: return check_error(failure, scope);
  case SQLITE_CONSTRAINT_FOREIGNKEY: return foreign_key_error(scope, db);
  case SQLITE_CONSTRAINT_NOTNULL: {
    const auto columns = failed_columns(failure.message);
    const std::string column = columns.empty() ? "a column" : columns[0];
    return wording::not_null(scope.table ? scope.table->name : "the table", column);
  }
  default: return store::invalid_argument(failure.message);
  }
}

void raise(const Failure& failure, const ErrorScope& scope, SQLite::Database* db, const CallContext& ctx)
{
  if (failure.code == SQLITE_INTERRUPT && ctx.cancelled()) {
    throw Cancelled();
  }
  store::StoreError error = failure.code == SQLITE_CONSTRAINT ? constraint_error(failure, scope, db)
                                                              : general_error(failure, scope);
  if (!scope.row_index) {
    throw error;
  }
  throw store::StoreError(error.code(), fmt::format("row {}: {}", *scope.row_index, error.what()),
                          {{"row", *scope.row_index}});
}

} // namespace dbmcp::backends::sqlite
