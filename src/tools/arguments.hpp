#pragma once

#include "util/json.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dbmcp::tools {

// Typed access to a tool's `arguments` object. The constructor rejects an argument the tool
// does not know ("unknown argument 'tabel'; did you mean 'table'?"); every accessor throws
// ToolError invalid_argument naming the argument when its type is wrong.
class Arguments
{
public:
  Arguments(const Json& arguments, std::initializer_list<std::string_view> known);

  bool has(std::string_view key) const;
  // The raw value, or nullptr when absent or null.
  const Json* get(std::string_view key) const;
  std::string required_string(std::string_view key) const;
  std::optional<std::string> string(std::string_view key) const;
  // An integer in [min, max]; `fallback` when absent.
  int64_t integer(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  bool boolean(std::string_view key, bool fallback) const;
  // A JSON object; `required` makes absence an error. Returns an empty object when absent.
  const Json& object(std::string_view key, bool required) const;
  // A list of strings (a single string counts as a list of one).
  std::vector<std::string> strings(std::string_view key) const;

private:
  const Json& m_arguments;
};

} // namespace dbmcp::tools
