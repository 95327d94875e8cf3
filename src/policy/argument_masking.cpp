#include "policy/argument_masking.hpp"

#include "policy/masking.hpp"

namespace dbmcp::policy {
namespace {

// Every scalar in `value` masked (a where operator object or a list of values keeps its shape).
Json mask_deep(const Json& value, Mask mask)
{
  if (value.is_object() || value.is_array()) {
    Json result = value;
    for (auto& item : result) {
      item = mask_deep(item, mask);
    }
    return result;
  }
  return mask_value(value, mask);
}

Json mask_for_table(const Policy& policy, const std::string& table, const Json& value)
{
  if (value.is_array()) {
    Json result = Json::array();
    for (const auto& item : value) {
      result.push_back(mask_for_table(policy, table, item));
    }
    return result;
  }
  if (!value.is_object()) {
    return value;
  }
  Json result = Json::object();
  for (const auto& [key, item] : value.items()) {
    if (const auto mask = policy.mask_of(table, key)) {
      result[key] = mask_deep(item, *mask);
    } else if (key == "related" && item.is_object()) {
      Json children = Json::object();
      for (const auto& [child, rows] : item.items()) {
        children[child] = mask_for_table(policy, child, rows);
      }
      result[key] = std::move(children);
    } else {
      result[key] = mask_for_table(policy, table, item);
    }
  }
  return result;
}

} // namespace

Json mask_arguments(const Policy& policy, const Json& arguments)
{
  if (!arguments.is_object() || !arguments.contains("table") || !arguments["table"].is_string()) {
    return arguments;
  }
  return mask_for_table(policy, arguments["table"].get<std::string>(), arguments);
}

} // namespace dbmcp::policy
