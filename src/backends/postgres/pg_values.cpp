#include "backends/postgres/pg_values.hpp"

#include "store/errors.hpp"
#include "util/base64.hpp"
#include "util/blob_json.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>

namespace dbmcp::backends::postgres {
namespace {

constexpr unsigned k_bool = 16;
constexpr unsigned k_bytea = 17;
constexpr unsigned k_int8 = 20;
constexpr unsigned k_int2 = 21;
constexpr unsigned k_int4 = 23;
constexpr unsigned k_oid = 26;
constexpr unsigned k_json = 114;
constexpr unsigned k_float4 = 700;
constexpr unsigned k_float8 = 701;
constexpr unsigned k_numeric = 1700;
constexpr unsigned k_jsonb = 3802;

std::string hex_to_bytes(std::string_view hex)
{
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return bytes;
}

// A numeric's text as a JSON number when a double (or int64) holds it exactly enough to print
// it back with the same digits; otherwise the text itself.
Json numeric_value(const char* text)
{
  const std::string_view view(text);
  if (view.find_first_of("NI") != std::string_view::npos) { // NaN, Infinity
    return std::string(view);
  }
  if (view.find('.') == std::string_view::npos) {
    errno = 0;
    char* end = nullptr;
    const long long integer = std::strtoll(text, &end, 10);
    if (errno == 0 && end && *end == '\0') {
      return static_cast<int64_t>(integer);
    }
    return std::string(view);
  }
  size_t digits = 0;
  for (char c : view) {
    digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  }
  // Leading zeros ("0.001") and trailing zeros ("1.50") do not count against precision.
  size_t significant = digits;
  const auto first = view.find_first_of("123456789");
  const auto last = view.find_last_of("123456789");
  if (first == std::string_view::npos) {
    return 0.0;
  }
  significant = 0;
  for (size_t i = first; i <= last; ++i) {
    significant += std::isdigit(static_cast<unsigned char>(view[i])) ? 1 : 0;
  }
  if (significant <= 15) {
    return std::strtod(text, nullptr);
  }
  return std::string(view);
}

void append_escaped(std::string& line, std::string_view text)
{
  for (char c : text) {
    switch (c) {
    case '\\': line += "\\\\"; break;
    case '\t': line += "\\t"; break;
    case '\n': line += "\\n"; break;
    case '\r': line += "\\r"; break;
    default: line.push_back(c);
    }
  }
}

} // namespace

Param to_param(const Json& value)
{
  switch (value.type()) {
  case Json::value_t::null:
  case Json::value_t::discarded: return std::nullopt;
  case Json::value_t::boolean: return std::string(value.get<bool>() ? "true" : "false");
  case Json::value_t::string: return value.get<std::string>();
  case Json::value_t::number_integer: return std::to_string(value.get<int64_t>());
  case Json::value_t::number_unsigned: return std::to_string(value.get<uint64_t>());
  case Json::value_t::number_float: {
    const double number = value.get<double>();
    if (!std::isfinite(number)) {
      return fmt::format("{}", number > 0 ? "Infinity" : (number < 0 ? "-Infinity" : "NaN"));
    }
    return fmt::format("{}", number);
  }
  default: return value.dump();
  }
}

Param to_param(const Json& value, const store::Column& column)
{
  if (store::is_json_column(column) && !value.is_null()) {
    return value.dump(); // a JSON string is stored as a JSON string, not parsed
  }
  const std::string* blob_text = column.kind == store::ValueKind::blob ? blob_base64_text(value) : nullptr;
  if (blob_text != nullptr) {
    const auto bytes = base64_decode(*blob_text);
    if (!bytes) {
      throw store::invalid_argument(fmt::format("{}: a bytea value must be base64", column.name));
    }
    std::string hex = "\\x";
    hex.reserve(2 + bytes->size() * 2);
    static constexpr char k_digits[] = "0123456789abcdef";
    for (unsigned char c : *bytes) {
      hex.push_back(k_digits[c >> 4]);
      hex.push_back(k_digits[c & 15]);
    }
    return hex;
  }
  return to_param(value);
}

namespace {

// A json/jsonb value. PostgreSQL stores JSON the library cannot hold: numbers beyond a double
// (json 1e400, jsonb's numeric 1 followed by 400 zeros), lone UTF-16 surrogates such as
// "\ud800" (json keeps its input text), nesting deeper than k_max_json_depth. Those come back
// faithfully as {"$json_text": "<the value's text>"}, never as a value that does not print.
Json json_value(const char* text)
{
  if (auto value = parse_json_bounded(text)) {
    return std::move(*value);
  }
  return Json{{"$json_text", text}};
}

} // namespace

Json from_text(const char* text, unsigned type_oid)
{
  switch (type_oid) {
  case k_int2:
  case k_int4:
  case k_int8:
  case k_oid: return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
  case k_float4:
  case k_float8: {
    const double number = std::strtod(text, nullptr);
    return std::isfinite(number) ? Json(number) : Json(std::string(text));
  }
  case k_numeric: return numeric_value(text);
  case k_bool: return text[0] == 't';
  case k_json:
  case k_jsonb: return json_value(text);
  case k_bytea:
    if (text[0] == '\\' && text[1] == 'x') {
      return blob_json(hex_to_bytes(text + 2));
    }
    return blob_json(text);
  default: return std::string(text);
  }
}

store::ValueKind value_kind(std::string_view type_name, char category)
{
  if (type_name == "int2" || type_name == "int4" || type_name == "int8" || type_name == "oid") {
    return store::ValueKind::integer;
  }
  if (type_name == "float4" || type_name == "float8" || type_name == "numeric") {
    return store::ValueKind::real;
  }
  if (type_name == "bool") {
    return store::ValueKind::boolean;
  }
  if (type_name == "bytea") {
    return store::ValueKind::blob;
  }
  if (category == 'S') {
    return store::ValueKind::text;
  }
  return store::ValueKind::other;
}

void append_copy_field(std::string& line, const Json& value, const store::Column& column)
{
  if (value.is_string() && column.kind != store::ValueKind::blob && !store::is_json_column(column)) {
    append_escaped(line, value.get_ref<const std::string&>());
  } else if (value.type() == Json::value_t::number_integer && !store::is_json_column(column)) {
    fmt::format_to(std::back_inserter(line), "{}", value.get<int64_t>());
  } else if (const Param param = to_param(value, column)) {
    append_escaped(line, *param);
  } else {
    line += "\\N";
  }
}

void refuse_nul(std::string_view column, const Json& value)
{
  if (value.is_array()) {
    for (const auto& item : value) {
      refuse_nul(column, item);
    }
    return;
  }
  if (value.is_string() && value.get_ref<const std::string&>().find('\0') != std::string::npos) {
    throw store::invalid_argument(fmt::format("{}: the value contains a NUL character (\\u0000), which PostgreSQL "
                                              "text cannot hold; remove it",
                                              column));
  }
}

void refuse_nul(const store::Row* values, const std::vector<store::Condition>* where)
{
  if (values && values->is_object()) {
    for (const auto& [name, value] : values->items()) {
      refuse_nul(name, value);
    }
  }
  if (where) {
    for (const auto& condition : *where) {
      refuse_nul(condition.column, condition.value);
    }
  }
}

} // namespace dbmcp::backends::postgres
