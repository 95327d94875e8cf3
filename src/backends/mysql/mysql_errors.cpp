#include "backends/mysql/mysql_errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::backends::mysql {
namespace {

using store::ErrorCode;
using store::StoreError;

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

std::string text_of(const Json& value)
{
  return value.is_string() ? value.get<std::string>() : value.dump();
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

std::string joined(const std::vector<std::string>& columns)
{
  return fmt::format("{}", fmt::join(columns, ", "));
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
  Json details = Json::object();
  if (columns.size() == 1) {
    if (const auto value = bound_value(scope, columns[0])) {
      entry = text_of(*value);
    }
    details["column"] = columns[0];
    return {ErrorCode::unique_violation, fmt::format("{} '{}' already exists in {} (unique)", columns[0], entry,
                                                     scope.table), details};
  }
  if (!columns.empty()) {
    return {ErrorCode::unique_violation,
            fmt::format("({}) = ({}) already exists in {} (unique)", joined(columns), entry, scope.table)};
  }
  return {ErrorCode::unique_violation, fmt::format("a row with the same {} already exists in {} (unique)", key,
                                                   scope.table)};
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
    return {ErrorCode::foreign_key_violation,
            child ? fmt::format("a foreign key of {} has no matching row in the table it references", scope.table)
                  : fmt::format("rows of {} are still referenced (foreign key)", scope.table)};
  }
  const std::string columns = joined(fk->columns);
  const std::string ref_columns = joined(fk->ref_columns);
  if (child) {
    const auto value = fk->columns.size() == 1 ? bound_value(scope, fk->columns[0]) : std::nullopt;
    return {ErrorCode::foreign_key_violation,
            value ? fmt::format("{}.{} {} has no matching {}.{}", fk->table, columns, text_of(*value), fk->ref_table,
                                ref_columns)
                  : fmt::format("{}.{} has no matching {}.{}", fk->table, columns, fk->ref_table, ref_columns)};
  }
  const auto value = fk->ref_columns.size() == 1 ? bound_value(scope, fk->ref_columns[0]) : std::nullopt;
  return {ErrorCode::foreign_key_violation,
          value ? fmt::format("{}.{} {} is still referenced from {}.{}", fk->ref_table, ref_columns, text_of(*value),
                              fk->table, columns)
                : fmt::format("rows of {} are still referenced from {}.{} (foreign key)", fk->ref_table, fk->table,
                              columns)};
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
    return {ErrorCode::check_violation, fmt::format("a row of {} violates CHECK constraint {}", table, name)};
  }
  const std::string subject = info->columns.size() == 1 ? info->columns[0] : info->table;
  return {ErrorCode::check_violation, fmt::format("{} violates CHECK ({})", subject, info->definition)};
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
    return {ErrorCode::not_null_violation, fmt::format("{}.{} must not be null", scope.table, column),
            Json{{"column", column}}};
  }
  case 1205: return store::timeout("a lock wait timed out (another transaction holds the rows); retry the call");
  case 1213: return store::timeout("the transaction was chosen as a deadlock victim and rolled back; retry the call");
  case 1969:
  case 3024:
  case 1317: return store::timeout(describe_timeout(statement_timeout));
  case 1792:
  case 1290: return store::read_only("writes are refused: the database is open read-only (--read-only)");
  case 1264:
  case 1265:
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
