#include "backends/sql/constraint_message.hpp"

#include <fmt/format.h>

#include <regex>

namespace dbmcp::backends::sql::constraint_message {
namespace {

using store::ErrorCode;

std::string joined(const std::vector<std::string>& names)
{
  return fmt::format("{}", fmt::join(names, ", "));
}

// "student 1, course 'maths'", or "" when the values are unknown.
std::string pairs(const std::vector<std::string>& columns, const std::vector<std::string>& shown)
{
  if (shown.size() != columns.size()) {
    return "";
  }
  std::vector<std::string> parts;
  for (size_t i = 0; i < columns.size(); ++i) {
    parts.push_back(fmt::format("{} {}", columns[i], shown[i]));
  }
  return joined(parts);
}

Json with_column(Json details, const std::vector<std::string>& columns)
{
  if (columns.size() == 1 && !details.contains("column")) {
    details["column"] = columns[0];
  }
  return details;
}

} // namespace

std::string show(const Json& value)
{
  if (value.is_string()) {
    return fmt::format("'{}'", value.get<std::string>());
  }
  if (value.is_binary()) {
    return "<bytes>";
  }
  return value.dump();
}

std::string show_printed(const store::Column* column, const std::string& printed)
{
  bool bare = false;
  if (column) {
    bare = column->kind == store::ValueKind::integer || column->kind == store::ValueKind::real ||
           column->kind == store::ValueKind::boolean;
  } else { // the column's type is unknown: a number stays bare
    static const std::regex k_number(R"(-?[0-9]+(\.[0-9]+)?)");
    bare = std::regex_match(printed, k_number);
  }
  return bare ? printed : fmt::format("'{}'", printed);
}

store::StoreError unique(const std::string& table_name, const store::TableInfo* table,
                         const std::vector<std::string>& columns, const std::vector<std::string>& shown, Json details)
{
  const bool primary = table && !columns.empty() && columns == table->primary_key;
  const char* kind = primary ? "primary key" : "unique";
  details = with_column(std::move(details), columns);
  const std::string values = pairs(columns, shown);
  if (values.empty()) {
    return {ErrorCode::unique_violation,
            fmt::format("a row with the same {} already exists in {} ({})", joined(columns), table_name, kind),
            std::move(details)};
  }
  return {ErrorCode::unique_violation, fmt::format("{} already exists in {} ({})", values, table_name, kind),
          std::move(details)};
}

store::StoreError check(const std::string& subject, const std::string& definition, Json details)
{
  return {ErrorCode::check_violation, fmt::format("{} violates CHECK ({})", subject, definition), std::move(details)};
}

store::StoreError unknown_check(const std::string& table, const std::string& name, Json details)
{
  return {ErrorCode::check_violation, fmt::format("a row of {} violates CHECK constraint {}", table, name),
          std::move(details)};
}

store::StoreError missing_parent(const std::string& table, const std::vector<std::string>& columns,
                                 const std::vector<std::string>& shown, const std::string& ref_table,
                                 const std::vector<std::string>& ref_columns, Json details)
{
  const std::string values = shown.size() == columns.size() ? " " + joined(shown) : "";
  return {ErrorCode::foreign_key_violation,
          fmt::format("{}.{}{} has no matching {}.{}", table, joined(columns), values, ref_table, joined(ref_columns)),
          std::move(details)};
}

store::StoreError still_referenced(const std::string& ref_table, const std::vector<std::string>& ref_columns,
                                   const std::vector<std::string>& shown, const std::string& table,
                                   const std::vector<std::string>& columns, Json details)
{
  if (shown.size() != ref_columns.size()) {
    return {ErrorCode::foreign_key_violation,
            fmt::format("rows of {} are still referenced from {}.{} (foreign key)", ref_table, table, joined(columns)),
            std::move(details)};
  }
  return {ErrorCode::foreign_key_violation,
          fmt::format("{}.{} {} is still referenced from {}.{}", ref_table, joined(ref_columns), joined(shown), table,
                      joined(columns)),
          std::move(details)};
}

store::StoreError missing_parent_unnamed(const std::string& table)
{
  return {ErrorCode::foreign_key_violation,
          fmt::format("a foreign key of {} has no matching row in the table it references", table)};
}

store::StoreError still_referenced_unnamed(const std::string& table)
{
  return {ErrorCode::foreign_key_violation, fmt::format("rows of {} are still referenced (foreign key)", table)};
}

store::StoreError not_null(const std::string& table, const std::string& column)
{
  return {ErrorCode::not_null_violation, fmt::format("{}.{} must not be null", table, column), Json{{"column", column}}};
}

} // namespace dbmcp::backends::sql::constraint_message
