#include "policy/policy_check.hpp"

#include "policy/policy_store.hpp"
#include "policy/row_filter.hpp"
#include "store/errors.hpp"
#include "tools/query_parser.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::policy {
namespace {

bool is_key(const store::TableInfo& table, const std::string& column)
{
  return std::find(table.primary_key.begin(), table.primary_key.end(), column) != table.primary_key.end();
}

// Checks one column a table entry names under `key`; false (and an error) when it is unknown.
bool check_column(const store::TableInfo& table, const std::string& column, const std::string& key,
                  CheckReport& report)
{
  try {
    table.require_column(column);
    return true;
  } catch (const store::StoreError& e) {
    report.errors.push_back(fmt::format("{}: {}", key, e.what()));
    return false;
  }
}

// The errors for the key columns `entry` hides or masks.
void check_key_columns(const TablePolicy& entry, const store::TableInfo& table, std::vector<std::string>& errors)
{
  const std::string prefix = "tables." + entry.name;
  for (const auto& column : entry.hidden_columns) {
    if (is_key(table, column)) {
      errors.push_back(fmt::format("{}.hidden_columns: '{}' is part of the primary key of {}; a key column "
                                   "cannot be hidden (records are read, updated and deleted by it)",
                                   prefix, column, table.name));
    }
  }
  for (const auto& masked : entry.masked_columns) {
    if (is_key(table, masked.column)) {
      errors.push_back(fmt::format("{}.masked_columns: '{}' is part of the primary key of {}; a key column "
                                   "cannot be masked (records are read, updated and deleted by it)",
                                   prefix, masked.column, table.name));
    }
  }
}

void check_entry(const TablePolicy& entry, const Access& access, const store::TableInfo& table, CheckReport& report)
{
  const std::string prefix = "tables." + entry.name;
  for (const auto& column : entry.hidden_columns) {
    check_column(table, column, prefix + ".hidden_columns", report);
  }
  for (const auto& masked : entry.masked_columns) {
    check_column(table, masked.column, prefix + ".masked_columns", report);
  }
  check_key_columns(entry, table, report.errors);
  store::Filter filter;
  if (!entry.row_filter.is_null()) {
    try {
      filter = tools::parse_where(entry.row_filter, table);
    } catch (const store::StoreError& e) {
      report.errors.push_back(fmt::format("{}.row_filter: {}", prefix, e.what()));
    }
  }
  if (!access.insert) {
    return;
  }
  for (const auto& column : entry.hidden_columns) {
    const store::Column* found = table.find_column(column);
    const bool filled = std::any_of(filter.begin(), filter.end(), [&](const store::Condition& condition) {
      return condition.op == store::Op::eq && condition.column == column;
    });
    if (found && !found->nullable && !found->default_value && !found->auto_increment && !filled) {
      report.warnings.push_back(fmt::format("inserts into {} will fail: hidden column '{}' is NOT NULL without a "
                                            "default (give it one, or fill it through an equality in row_filter)",
                                            table.name, column));
    }
  }
}

Json table_view(const Policy& policy, const store::TableInfo& visible)
{
  Json columns = Json::array();
  Json masked = Json::object();
  for (const auto& column : visible.columns) {
    columns.push_back(column.name);
    if (const auto mask = policy.mask_of(visible.name, column.name)) {
      masked[column.name] = to_string(*mask);
    }
  }
  const TablePolicy* entry = policy.find(visible.name);
  Json view{{"table", visible.name},
            {"access", to_json(policy.access_of(visible.name))},
            {"columns", columns},
            {"masked_columns", masked}};
  view["row_filter"] = entry && !entry->row_filter.is_null() ? entry->row_filter : Json(nullptr);
  view["max_affected_rows"] = entry && entry->max_affected_rows ? Json(*entry->max_affected_rows) : Json(nullptr);
  return view;
}

} // namespace

Json CheckReport::to_json() const
{
  return Json{{"valid", valid()}, {"errors", errors}, {"warnings", warnings}, {"tables", tables}};
}

std::vector<std::string> key_column_errors(const Policy& policy, const store::Schema& schema)
{
  std::vector<std::string> errors;
  for (const auto& table : schema.tables) {
    if (const TablePolicy* entry = policy.find(table.name)) {
      check_key_columns(*entry, table, errors);
    }
  }
  return errors;
}

CheckReport check_policy(const Policy& policy, const store::Schema& schema)
{
  CheckReport report;
  for (const auto& entry : policy.tables) {
    const store::TableInfo* table = schema.find_table(entry.name);
    if (!table) {
      try {
        schema.require_table(entry.name);
      } catch (const store::StoreError& e) {
        report.errors.push_back(fmt::format("tables.{}: {}", entry.name, e.what()));
      }
      continue;
    }
    check_entry(entry, policy.access_of(table->name), *table, report);
  }
  const store::Schema visible = visible_schema(schema, policy);
  for (const auto& table : visible.tables) {
    if (!policy.access_of(table.name).is_hidden()) {
      report.tables.push_back(table_view(policy, table));
    }
  }
  return report;
}

} // namespace dbmcp::policy
