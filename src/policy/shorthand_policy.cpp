#include "policy/shorthand_policy.hpp"

#include <algorithm>

namespace dbmcp::policy {

Policy shorthand_policy(const store::Visibility& visibility, bool read_only, const std::string& source)
{
  Policy policy;
  policy.source = source;
  policy.read_only = read_only;
  policy.default_access = visibility.include.empty() ? Access::read_write() : Access::hidden();
  const auto excluded = [&](const std::string& table) {
    return std::find(visibility.exclude.begin(), visibility.exclude.end(), table) != visibility.exclude.end();
  };
  for (const auto& table : visibility.include) {
    if (!excluded(table)) {
      policy.tables.push_back({.name = table, .access = Access::read_write()});
    }
  }
  for (const auto& table : visibility.exclude) {
    policy.tables.push_back({.name = table, .access = Access::hidden()});
  }
  return policy;
}

std::string shorthand_flags(const store::Visibility& visibility, bool read_only)
{
  std::string flags;
  const auto add = [&flags](const char* flag) { flags += (flags.empty() ? "" : ", ") + std::string(flag); };
  if (!visibility.include.empty()) {
    add("--tables");
  }
  if (!visibility.exclude.empty()) {
    add("--exclude-tables");
  }
  if (read_only) {
    add("--read-only");
  }
  return flags;
}

} // namespace dbmcp::policy
