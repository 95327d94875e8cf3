#include "policy/policy.hpp"

#include "util/hmac.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::policy {
namespace {

// Policy names match tables ignoring ASCII case on every engine: hiding too much is safe.
bool same_name(std::string_view a, std::string_view b)
{
  return store::same_name(a, b, store::NameCase::insensitive);
}

// A table name no catalog holds: an include list of only this shows no table at all (an empty
// include list would show every table).
constexpr const char* k_no_table = "\x01(no table is visible under the access policy)";

} // namespace

Json to_json(const Access& access)
{
  if (access == Access::read_write()) {
    return "write";
  }
  if (access == Access::read_only()) {
    return "read";
  }
  if (access.is_hidden()) {
    return "hidden";
  }
  Json list = Json::array();
  for (const auto& [allowed, name] : {std::pair{access.read, "read"}, std::pair{access.insert, "insert"},
                                      std::pair{access.update, "update"}, std::pair{access.remove, "delete"}}) {
    if (allowed) {
      list.push_back(name);
    }
  }
  return list;
}

std::string_view to_string(Mask mask)
{
  switch (mask) {
  case Mask::email:
    return "email";
  case Mask::hash:
    return "hash";
  case Mask::fixed:
    break;
  }
  return "fixed";
}

const TablePolicy* Policy::find(std::string_view table) const
{
  for (const auto& entry : tables) {
    if (entry.name == table) {
      return &entry;
    }
  }
  for (const auto& entry : tables) {
    if (same_name(entry.name, table)) {
      return &entry;
    }
  }
  return nullptr;
}

Access Policy::allowed_somewhere() const
{
  Access any = default_access;
  for (const auto& entry : tables) {
    const Access access = entry.access ? *entry.access : default_access;
    any.read = any.read || access.read;
    any.insert = any.insert || access.insert;
    any.update = any.update || access.update;
    any.remove = any.remove || access.remove;
  }
  if (read_only) {
    any.insert = any.update = any.remove = false;
  }
  return any;
}

Access Policy::access_of(std::string_view table) const
{
  const TablePolicy* entry = find(table);
  Access access = entry && entry->access ? *entry->access : default_access;
  if (read_only) {
    access.insert = access.update = access.remove = false;
  }
  return access;
}

bool Policy::hidden_column(std::string_view table, std::string_view column) const
{
  const TablePolicy* entry = find(table);
  return entry && std::find(entry->hidden_columns.begin(), entry->hidden_columns.end(), column)
                      != entry->hidden_columns.end();
}

std::optional<Mask> Policy::mask_of(std::string_view table, std::string_view column) const
{
  if (const TablePolicy* entry = find(table)) {
    for (const auto& masked : entry->masked_columns) {
      if (masked.column == column) {
        return masked.mask;
      }
    }
  }
  return std::nullopt;
}

Json Policy::to_json() const
{
  Json tables_json = Json::object();
  for (const auto& entry : tables) {
    Json table = Json::object();
    if (entry.access) {
      table["access"] = policy::to_json(*entry.access);
    }
    if (!entry.hidden_columns.empty()) {
      table["hidden_columns"] = entry.hidden_columns;
    }
    if (!entry.masked_columns.empty()) {
      Json masked = Json::object();
      for (const auto& column : entry.masked_columns) {
        masked[column.column] = to_string(column.mask);
      }
      table["masked_columns"] = std::move(masked);
    }
    if (!entry.row_filter.is_null()) {
      table["row_filter"] = entry.row_filter;
    }
    if (entry.max_affected_rows) {
      table["max_affected_rows"] = *entry.max_affected_rows;
    }
    tables_json[entry.name] = std::move(table);
  }
  return Json{{"default_access", policy::to_json(default_access)}, {"read_only", read_only}, {"tables", tables_json}};
}

std::string Policy::fingerprint() const
{
  const Sha256Digest digest = sha256(to_json().dump());
  std::string hex;
  for (size_t i = 0; i < 8; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

store::Visibility merged_visibility(const Policy& policy, const store::Visibility& given)
{
  store::Visibility merged = given;
  for (const auto& entry : policy.tables) {
    if (entry.access && entry.access->is_hidden()) {
      merged.exclude.push_back(entry.name);
    }
  }
  if (policy.default_access.is_hidden()) {
    // Only the tables the policy names with some access are shown (and, with --tables, only those
    // both name).
    std::vector<std::string> shown;
    for (const auto& entry : policy.tables) {
      const bool named_by_flag = given.include.empty()
                                 || std::any_of(given.include.begin(), given.include.end(),
                                                [&](const std::string& name) { return same_name(name, entry.name); });
      if (entry.access && !entry.access->is_hidden() && named_by_flag) {
        shown.push_back(entry.name);
      }
    }
    merged.include = shown.empty() ? std::vector<std::string>{k_no_table} : shown;
  }
  return merged;
}

} // namespace dbmcp::policy
