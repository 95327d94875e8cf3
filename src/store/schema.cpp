#include "store/schema.hpp"

#include "store/errors.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace dbmcp::store {
namespace {

size_t edit_distance(std::string_view a, std::string_view b)
{
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates)
{
  const auto matches = close_matches(name, candidates);
  if (matches.empty()) {
    return "";
  }
  std::string text = "; did you mean ";
  for (size_t i = 0; i < matches.size(); ++i) {
    text += fmt::format("{}'{}'", i == 0 ? "" : (i + 1 == matches.size() ? " or " : ", "), matches[i]);
  }
  return text + "?";
}

} // namespace

std::vector<std::string> close_matches(std::string_view name, const std::vector<std::string>& candidates)
{
  const size_t limit = std::max<size_t>(2, name.size() / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(name, candidate);
    if (distance <= limit) {
      scored.emplace_back(distance, candidate);
    }
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> result;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) {
    result.push_back(scored[i].second);
  }
  return result;
}

bool is_json_column(const Column& column)
{
  const auto is = [&](std::string_view name) {
    return column.type.size() == name.size() &&
           std::equal(name.begin(), name.end(), column.type.begin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  };
  return is("json") || is("jsonb");
}

const Column* TableInfo::find_column(std::string_view column_name) const
{
  for (const auto& column : columns) {
    if (column.name == column_name) {
      return &column;
    }
  }
  return nullptr;
}

const Column& TableInfo::require_column(std::string_view column_name) const
{
  if (const Column* column = find_column(column_name)) {
    return *column;
  }
  std::vector<std::string> names;
  for (const auto& column : columns) {
    names.push_back(column.name);
  }
  throw invalid_argument(fmt::format("unknown column '{}' in {}{}", column_name, name, did_you_mean(column_name, names)));
}

const ForeignKey& TableInfo::require_foreign_key_to(std::string_view parent) const
{
  for (const auto& candidate : foreign_keys) {
    if (candidate.ref_table == parent && !candidate.ref_columns.empty()) {
      return candidate;
    }
  }
  throw invalid_argument(fmt::format("{} has no foreign key to {}", name, parent));
}

Json linked_child_row(const Json& child_values, const ForeignKey& fk, const Json& parent_row)
{
  if (!child_values.is_object()) {
    throw invalid_argument(fmt::format("each {} row must be an object", fk.table));
  }
  Json linked = child_values;
  for (size_t k = 0; k < fk.columns.size(); ++k) {
    linked[fk.columns[k]] = parent_row[fk.ref_columns[k]];
  }
  return linked;
}

std::vector<const ForeignKey*> TableInfo::relations_to(std::string_view other) const
{
  std::vector<const ForeignKey*> result;
  for (const auto& fk : foreign_keys) {
    if (fk.ref_table == other) {
      result.push_back(&fk);
    }
  }
  for (const auto& fk : referenced_by) {
    if (fk.table == other) {
      result.push_back(&fk);
    }
  }
  return result;
}

const TableInfo* Schema::find_table(std::string_view name) const
{
  for (const auto& table : tables) {
    if (table.name == name) {
      return &table;
    }
  }
  return nullptr;
}

const TableInfo& Schema::require_table(std::string_view name) const
{
  if (const TableInfo* table = find_table(name)) {
    return *table;
  }
  std::vector<std::string> names;
  for (const auto& table : tables) {
    names.push_back(table.name);
  }
  throw invalid_argument(fmt::format("unknown table '{}'{}", name, did_you_mean(name, names)));
}

namespace {

Json to_json(const ForeignKey& fk)
{
  return Json{{"name", fk.name},           {"table", fk.table},          {"columns", fk.columns},
              {"ref_table", fk.ref_table}, {"ref_columns", fk.ref_columns}};
}

} // namespace

Json to_json(const TableInfo& table)
{
  Json columns = Json::array();
  for (const auto& column : table.columns) {
    Json entry{{"name", column.name}, {"type", column.type}, {"nullable", column.nullable}};
    entry["default"] = column.default_value ? Json(*column.default_value) : Json(nullptr);
    entry["primary_key"] = std::find(table.primary_key.begin(), table.primary_key.end(), column.name)
                           != table.primary_key.end();
    entry["auto_increment"] = column.auto_increment;
    columns.push_back(std::move(entry));
  }
  Json indexes = Json::array();
  for (const auto& index : table.indexes) {
    indexes.push_back({{"name", index.name}, {"columns", index.columns}, {"unique", index.unique}});
  }
  Json outgoing = Json::array();
  for (const auto& fk : table.foreign_keys) {
    outgoing.push_back(to_json(fk));
  }
  Json incoming = Json::array();
  for (const auto& fk : table.referenced_by) {
    incoming.push_back(to_json(fk));
  }
  Json result{{"name", table.name},       {"type", table.is_view ? "view" : "table"},
              {"columns", columns},       {"primary_key", table.primary_key},
              {"indexes", indexes},       {"foreign_keys", outgoing},
              {"referenced_by", incoming}, {"checks", table.checks}};
  result["row_estimate"] = table.row_estimate ? Json(*table.row_estimate) : Json(nullptr);
  result["fulltext"] = table.has_fulltext;
  return result;
}

bool same_name(std::string_view a, std::string_view b, NameCase name_case)
{
  if (name_case == NameCase::exact) {
    return a == b;
  }
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

namespace {

bool contains_name(const std::vector<std::string>& names, std::string_view name, NameCase name_case)
{
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& candidate) { return same_name(candidate, name, name_case); });
}

} // namespace

bool Visibility::visible(std::string_view table, NameCase name_case) const
{
  return (include.empty() || contains_name(include, table, name_case))
         && !contains_name(exclude, table, NameCase::insensitive);
}

void drop_hidden_relations(Schema& schema, NameCase name_case)
{
  std::vector<std::string> names;
  for (const auto& table : schema.tables) {
    names.push_back(table.name);
  }
  for (auto& table : schema.tables) {
    std::erase_if(table.foreign_keys,
                  [&](const ForeignKey& fk) { return !contains_name(names, fk.ref_table, name_case); });
    std::erase_if(table.referenced_by,
                  [&](const ForeignKey& fk) { return !contains_name(names, fk.table, name_case); });
  }
}

} // namespace dbmcp::store
