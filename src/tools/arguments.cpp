#include "tools/arguments.hpp"

#include "store/schema.hpp"
#include "tools/registry.hpp"

#include <fmt/format.h>

namespace dbmcp::tools {
namespace {

const Json& empty_object()
{
  static const Json k_empty = Json::object();
  return k_empty;
}

[[noreturn]] void bad(std::string_view key, std::string_view expected, const Json& value)
{
  throw ToolError("invalid_argument", fmt::format("argument '{}' must be {}, got {}", key, expected,
                                                  value.dump().substr(0, 80)));
}

} // namespace

Arguments::Arguments(const Json& arguments, std::initializer_list<std::string_view> known)
  : m_arguments(arguments.is_object() ? arguments : empty_object())
{
  if (!arguments.is_object() && !arguments.is_null()) {
    throw ToolError("invalid_argument", "arguments must be a JSON object");
  }
  const std::vector<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : m_arguments.items()) {
    if (std::find(names.begin(), names.end(), key) != names.end()) {
      continue;
    }
    const auto matches = store::close_matches(key, names);
    throw ToolError("invalid_argument",
                    matches.empty()
                        ? fmt::format("unknown argument '{}' (expected one of: {})", key, fmt::join(names, ", "))
                        : fmt::format("unknown argument '{}'; did you mean '{}'?", key, matches.front()));
  }
}

bool Arguments::has(std::string_view key) const
{
  return get(key) != nullptr;
}

const Json* Arguments::get(std::string_view key) const
{
  const auto it = m_arguments.find(key);
  return it == m_arguments.end() || it->is_null() ? nullptr : &*it;
}

std::string Arguments::required_string(std::string_view key) const
{
  auto value = string(key);
  if (!value) {
    throw ToolError("invalid_argument", fmt::format("missing required argument '{}'", key));
  }
  return *value;
}

std::optional<std::string> Arguments::string(std::string_view key) const
{
  const Json* value = get(key);
  if (!value) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    bad(key, "a string", *value);
  }
  return value->get<std::string>();
}

int64_t Arguments::integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) const
{
  const Json* value = get(key);
  if (!value) {
    return fallback;
  }
  if (!value->is_number_integer()) {
    bad(key, "an integer", *value);
  }
  // An unsigned JSON integer above the int64 range would wrap to a negative number here.
  if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(max)) {
    throw ToolError("invalid_argument", fmt::format("argument '{}' must be between {} and {}, got {}", key, min, max,
                                                    value->get<uint64_t>()));
  }
  const auto number = value->get<int64_t>();
  if (number < min || number > max) {
    throw ToolError("invalid_argument", fmt::format("argument '{}' must be between {} and {}, got {}", key, min, max,
                                                    number));
  }
  return number;
}

bool Arguments::boolean(std::string_view key, bool fallback) const
{
  const Json* value = get(key);
  if (!value) {
    return fallback;
  }
  if (!value->is_boolean()) {
    bad(key, "true or false", *value);
  }
  return value->get<bool>();
}

const Json& Arguments::object(std::string_view key, bool required) const
{
  const Json* value = get(key);
  if (!value) {
    if (required) {
      throw ToolError("invalid_argument", fmt::format("missing required argument '{}'", key));
    }
    return empty_object();
  }
  if (!value->is_object()) {
    bad(key, "an object", *value);
  }
  return *value;
}

std::vector<std::string> Arguments::strings(std::string_view key) const
{
  const Json* value = get(key);
  if (!value) {
    return {};
  }
  if (value->is_string()) {
    return {value->get<std::string>()};
  }
  if (!value->is_array()) {
    bad(key, "a list of strings", *value);
  }
  std::vector<std::string> result;
  for (const auto& item : *value) {
    if (!item.is_string()) {
      bad(key, "a list of strings", *value);
    }
    result.push_back(item.get<std::string>());
  }
  return result;
}

} // namespace dbmcp::tools
