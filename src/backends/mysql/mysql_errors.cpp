#include "backends/mysql/mysql_errors.hpp"

#include "backends/sql/constraint_message.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::backends::mysql {
namespace {

using store::ErrorCode;
using store::StoreError;
namespace wording = sql::constraint_message;

// The text between the first `open` after `after` and the next `close` in `message`, or "".
std::string between(const std::string& message, const std::string& after, char open, char close)
{
  auto start = message.find(after);
  if (start == std::string::npos) {
    return "";
  }
  start = message.find(open, start + after.size());
  if (start == std::string::npos) {
    return "";
  }
  const auto end = message.find(close, start + 1);
  return end == std::string::npos ? "" : message.substr(start + 1, end - start - 1);
}

// The value bound for `column`, when the statement bound exactly one.
std::optional<Json> bound_value(const sql::ErrorScope& scope, const std::string& column)
{
  std::optional<Json> found;
  for (const auto& [name, value] : scope.bound) {
    if (name == column) {
      if (found || value.is_array()) {
        return std::nullopt;
      }
      found = value;
    }
  }
  return found;
}

// The value the filter pins `column` to (ErrorScope::pinned), when it pins exactly one.
std::optional<Json> pinned_value(const sql::ErrorScope& scope, const std::string& column)
{
  std::optional<Json> found;
  for (const auto& [name, value] : scope.pinned) {
    if (name == column) {
      if (found) {
        return std::nullopt;
      }
      found = value;
    }
  }
  return found;
}

const sql::ConstraintInfo* constraint(const sql::ErrorScope& scope, const std::string& table, const std::string& name)
{
  if (!scope.catalog) {
    return nullptr;
  }
  auto it = scope.catalog->constraints.find(table + "." + name);
  if (it == scope.catalog->constraints.end()) {
    it = scope.catalog->constraints.find(name);
  }
  return it == scope.catalog->constraints.end() ? nullptr : &it->second;
}

// "Duplicate entry 'ada@example.com' for key 'email'" (MySQL 8: key 'users.email').
StoreError unique(const MysqlError& error, const sql::ErrorScope& scope)
{
  const std::string message = error.what();
  const auto entry_start = message.find('\'');
  const auto key_at = message.rfind(" for key '");
  std::string entry = entry_start == std::string::npos || key_at == std::string::npos || key_at <= entry_start
                          ? ""
                          : message.substr(entry_start + 1, key_at - entry_start - 2);
  std::string key = between(message, " for key ", '\'', '\'');
  if (const auto dot = key.rfind('.'); dot != std::string::npos) {
    key = key.substr(dot + 1);
  }
  std::vector<std::string> columns;
  const store::TableInfo* table = scope.catalog ? scope.catalog->schema->find_table(scope.table) : nullptr;
  if (table && key == "PRIMARY") {
    columns = table->primary_key;
  } else if (table) {
    for (const auto& index : table->indexes) {
      if (index.name == key) {
        columns = index.columns;
      }
    }
  }
  if (columns.empty()) {
    return wording::unique(scope.table, table, {key}, {});
  }
  // The values as bound (typed), else the entry as MySQL printed it for a single column.
  std::vector<std::string> shown;
  for (const auto& column : columns) {
    if (const auto value = bound_value(scope, column)) {
      shown.push_back(wording::show(*value));
    }
  }
  if (shown.size() != columns.size()) {
    shown.clear();
    if (columns.size() == 1 && entry_start != std::string::npos) {
      shown.push_back(wording::show_printed(table->find_column(columns[0]), entry));
    }
  }
  return wording::unique(scope.table, table, columns, shown);
}

// "Cannot add or update a child row: a foreign key constraint fails (`db`.`posts`, CONSTRAINT
// `posts_ibfk_1` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`))", or "… delete or update a
// parent row …".
StoreError foreign_key(const MysqlError& error, const sql::ErrorScope& scope)
{
  const std::string message = error.what();
  const std::string name = between(message, "CONSTRAINT ", '`', '`');
  const sql::ConstraintInfo* fk = constraint(scope, "", name);
  const bool child = error.number() == 1452;
  if (!fk || fk->hidden) {
    return child ? wording::missing_parent_unnamed(scope.table) : wording::still_referenced_unnamed(scope.table);
  }
  // A child's key from the values bound; a parent's from the filter (an update binds its new key too).
  const auto shown = [&](const std::vector<std::string>& columns, bool parent) {
    std::vector<std::string> values;
    for (const auto& column : columns) {
      if (const auto value = parent ? pinned_value(scope, column) : bound_value(scope, column)) {
        values.push_back(wording::show(*value));
      }
    }
    return values.size() == columns.size() ? values : std::vector<std::string>{};
  };
  if (child) {
    return wording::missing_parent(fk->table, fk->columns, shown(fk->columns, false), fk->ref_table,
                                   fk->ref_columns);
  }
  return wording::still_referenced(fk->ref_table, fk->ref_columns, shown(fk->ref_columns, true), fk->table,
                                   fk->columns);
}

// MariaDB 4025 "CONSTRAINT `users.age` failed for `db`.`users`"; MySQL 3819 "Check constraint
// 'users_chk_1' is violated."
StoreError check(const MysqlError& error, const sql::ErrorScope& scope)
{
  const std::string message = error.what();
  std::string name = error.number() == 4025 ? between(message, "CONSTRAINT", '`', '`') : between(message, "constraint", '\'', '\'');
  std::string table = scope.table;
  if (const auto dot = name.find('.'); dot != std::string::npos && error.number() == 4025) {
    table = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  const sql::ConstraintInfo* info = constraint(scope, table, name);
  if (!info || info->hidden) {
    return wording::unknown_check(table, name);
  }
  return wording::check(info->columns.size() == 1 ? info->columns[0] : info->table, info->definition);
}

// 1265 "Data truncated for column 'tier' at row 1": for an ENUM or SET column whose value was
// bound, "customers.tier takes one of 'bronze', 'silver', 'gold', not 'platinum'"; otherwise
// the server's words.
StoreError truncated(const std::string& message, const sql::ErrorScope& scope)
{
  const std::string name = between(message, "column ", '\'', '\'');
  const store::TableInfo* table =
      scope.catalog && scope.catalog->schema ? scope.catalog->schema->find_table(scope.table) : nullptr;
  const store::Column* column = table && !name.empty() ? table->find_column(name) : nullptr;
  const auto value = column ? bound_value(scope, column->name) : std::nullopt;
  std::string type = column ? column->type : "";
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  const size_t open = type.rfind("enum(", 0) == 0 ? 5 : type.rfind("set(", 0) == 0 ? 4 : 0;
  if (!value || !value->is_string() || open == 0 || type.back() != ')') {
    return store::invalid_argument(message);
  }
  std::string allowed = column->type.substr(open, column->type.size() - open - 1);
  for (size_t at = allowed.find("','"); at != std::string::npos; at = allowed.find("','", at + 4)) {
    allowed.replace(at, 3, "', '");
  }
  return store::invalid_argument(
      fmt::format("{}.{} takes one of {}, not {}", table->name, column->name, allowed, wording::show(*value)));
}

std::string describe_timeout(std::chrono::milliseconds timeout)
{
  if (timeout.count() <= 0) {
    return "the statement was interrupted";
  }
  if (timeout.count() % 1000 == 0) {
    return fmt::format("the statement ran longer than the statement timeout ({}s)", timeout.count() / 1000);
  }
  return fmt::format("the statement ran longer than the statement timeout ({}ms)", timeout.count());
}

} // namespace

StoreError map_error(const MysqlError& error, const sql::ErrorScope& scope, std::chrono::milliseconds statement_timeout)
{
  const std::string message = error.what();
  switch (error.number()) {
  case 1062:
  case 1586: return unique(error, scope);
  case 1451:
  case 1452: return foreign_key(error, scope);
  case 3819:
  case 4025: return check(error, scope);
  case 1048:
  case 1364: {
    const std::string column = between(message, "", '\'', '\'');
    return wording::not_null(scope.table, column);
  }
  case 1205: return store::timeout("a lock wait timed out (another transaction holds the rows); retry the call");
  case 1213: return store::timeout("the transaction was chosen as a deadlock victim and rolled back; retry the call");
  case 1969:
  case 3024:
  case 1317: return store::timeout(describe_timeout(statement_timeout));
  case 1792:
  case 1290: return store::read_only("writes are refused: the database is open read-only (--read-only)");
  case 1265: return truncated(message, scope);
  case 1264:
  case 1292:
  case 1366:
  case 1406:
  case 1411:
  case 1416:
  case 1690:
  case 3140:
  case 4038:
  case 4078:
    return store::invalid_argument(message);
  case 1054:
  case 1146:
    return store::invalid_argument(message + " (the schema changed outside dbmcp: refresh it and retry)");
  default: break;
  }
  return {ErrorCode::internal, fmt::format("MySQL error {} ({}): {}", error.number(), error.sqlstate(), message)};
}

} // namespace dbmcp::backends::mysql
