#include "policy/row_filter.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace dbmcp::policy {
namespace {

using store::Op;

// <0, 0, >0 like strcmp; nullopt when the two values do not compare (different kinds, NULL).
std::optional<int> compare(const Json& a, const Json& b)
{
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer()) {
      const auto x = a.get<int64_t>();
      const auto y = b.get<int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    const auto x = a.get<double>();
    const auto y = b.get<double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    const int c = a.get<std::string>().compare(b.get<std::string>());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.is_boolean() && (b.is_boolean() || b.is_number_integer())) {
    const int64_t x = a.get<bool>() ? 1 : 0;
    const int64_t y = b.is_boolean() ? (b.get<bool>() ? 1 : 0) : b.get<int64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (b.is_boolean() && a.is_number_integer()) {
    const auto reversed = compare(b, a);
    return reversed ? std::optional<int>(-*reversed) : std::nullopt;
  }
  return std::nullopt;
}

// SQL LIKE: % any run, _ any one character.
bool like(std::string_view text, std::string_view pattern)
{
  if (pattern.empty()) {
    return text.empty();
  }
  if (pattern[0] == '%') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (like(text.substr(i), pattern.substr(1))) {
        return true;
      }
    }
    return false;
  }
  return !text.empty() && (pattern[0] == '_' || pattern[0] == text[0]) && like(text.substr(1), pattern.substr(1));
}

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<bool> predicate(const store::Condition& condition, const Json& value)
{
  const Json& operand = condition.value;
  if (condition.op == Op::is_null) {
    return value.is_null() == (operand.is_boolean() ? operand.get<bool>() : true);
  }
  if (value.is_null()) {
    return false; // NULL satisfies no comparison
  }
  const auto ordered = [&](auto accept) -> std::optional<bool> {
    const auto c = compare(value, operand);
    return c ? std::optional<bool>(accept(*c)) : std::nullopt;
  };
  switch (condition.op) {
  case Op::eq:
    return ordered([](int c) { return c == 0; });
  case Op::ne:
    return ordered([](int c) { return c != 0; });
  case Op::lt:
    return ordered([](int c) { return c < 0; });
  case Op::lte:
    return ordered([](int c) { return c <= 0; });
  case Op::gt:
    return ordered([](int c) { return c > 0; });
  case Op::gte:
    return ordered([](int c) { return c >= 0; });
  case Op::in:
  case Op::not_in: {
    bool found = false;
    for (const auto& item : operand) {
      const auto c = compare(value, item);
      found = found || (c && *c == 0);
    }
    return condition.op == Op::in ? found : !found;
  }
  case Op::like:
  case Op::ilike:
    if (!value.is_string() || !operand.is_string()) {
      return std::nullopt;
    }
    return condition.op == Op::like ? like(value.get<std::string>(), operand.get<std::string>())
                                    : like(lower(value.get<std::string>()), lower(operand.get<std::string>()));
  default:
    return std::nullopt;
  }
}

std::string_view op_text(Op op)
{
  switch (op) {
  case Op::eq:
    return "=";
  case Op::ne:
    return "<>";
  case Op::lt:
    return "<";
  case Op::lte:
    return "<=";
  case Op::gt:
    return ">";
  case Op::gte:
    return ">=";
  case Op::in:
    return "IN";
  case Op::not_in:
    return "NOT IN";
  case Op::like:
    return "LIKE";
  case Op::ilike:
    return "ILIKE";
  default:
    return "?";
  }
}

std::string describe(const store::Condition& condition)
{
  if (condition.combinator()) {
    std::vector<std::string> parts;
    for (const auto& child : condition.children) {
      parts.push_back(describe(child));
    }
    const std::string joined = fmt::format("({})", fmt::join(parts, condition.op == Op::any_of ? " OR " : " AND "));
    return condition.op == Op::none_of ? "NOT " + joined : joined;
  }
  if (condition.op == Op::is_null) {
    const bool null = condition.value.is_boolean() ? condition.value.get<bool>() : true;
    return fmt::format("{} IS {}NULL", condition.column, null ? "" : "NOT ");
  }
  return fmt::format("{} {} {}", condition.column, op_text(condition.op), condition.value.dump());
}

} // namespace

std::optional<bool> evaluate(const store::Condition& condition, const Json& values)
{
  if (condition.combinator()) {
    bool all = true;
    bool any = false;
    for (const auto& child : condition.children) {
      const auto result = evaluate(child, values);
      if (!result) {
        return std::nullopt;
      }
      all = all && *result;
      any = any || *result;
    }
    return condition.op == Op::any_of ? any : (condition.op == Op::all_of ? all : !all);
  }
  if (!values.is_object() || !values.contains(condition.column)) {
    return std::nullopt;
  }
  return predicate(condition, values.at(condition.column));
}

bool names_column(const store::Condition& condition, const std::string& column)
{
  if (condition.combinator()) {
    return std::any_of(condition.children.begin(), condition.children.end(),
                       [&](const store::Condition& child) { return names_column(child, column); });
  }
  return condition.column == column;
}

std::string describe(const store::Filter& filter)
{
  std::vector<std::string> parts;
  for (const auto& condition : filter) {
    parts.push_back(describe(condition));
  }
  return fmt::format("{}", fmt::join(parts, " AND "));
}

} // namespace dbmcp::policy
