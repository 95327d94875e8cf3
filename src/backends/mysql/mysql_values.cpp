#include "backends/mysql/mysql_values.hpp"

#include "store/errors.hpp"
#include "util/base64.hpp"
#include "util/blob_json.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>
#include <mysql.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace dbmcp::backends::mysql {
namespace {

constexpr unsigned k_binary_charset = 63;

// A DECIMAL's text as a JSON number when an int64 or a double holds it exactly enough to print
// it back with the same digits (at most 15 significant digits); otherwise the text itself.
Json decimal_value(std::string_view view)
{
  const std::string text(view);
  if (view.find('.') == std::string_view::npos) {
    errno = 0;
    char* end = nullptr;
    const long long integer = std::strtoll(text.c_str(), &end, 10);
    if (errno == 0 && end && *end == '\0') {
      return static_cast<int64_t>(integer);
    }
    return text;
  }
  const auto first = view.find_first_of("123456789");
  if (first == std::string_view::npos) {
    return 0.0;
  }
  const auto last = view.find_last_of("123456789");
  size_t significant = 0;
  for (size_t i = first; i <= last; ++i) {
    significant += std::isdigit(static_cast<unsigned char>(view[i])) ? 1 : 0;
  }
  if (significant <= 15) {
    return std::strtod(text.c_str(), nullptr);
  }
  return text;
}

// Whether `field` holds a JSON document: MySQL's JSON type, or MariaDB's JSON alias of LONGTEXT,
// which the server marks with the extended metadata format "json".
bool is_json_field(const MYSQL_FIELD& field)
{
  if (field.type == MYSQL_TYPE_JSON) {
    return true;
  }
  MARIADB_CONST_STRING format{nullptr, 0};
  if (mariadb_field_attr(&format, &field, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 && format.str) {
    return std::string_view(format.str, format.length) == "json";
  }
  return false;
}

} // namespace

Json decode_text(const st_mysql_field& field, std::string_view text)
{
  switch (field.type) {
  case MYSQL_TYPE_DECIMAL:
  case MYSQL_TYPE_NEWDECIMAL: return decimal_value(text);
  case MYSQL_TYPE_TINY_BLOB:
  case MYSQL_TYPE_MEDIUM_BLOB:
  case MYSQL_TYPE_LONG_BLOB:
  case MYSQL_TYPE_BLOB:
  case MYSQL_TYPE_STRING:
  case MYSQL_TYPE_VAR_STRING:
  case MYSQL_TYPE_VARCHAR:
  case MYSQL_TYPE_GEOMETRY:
    if (field.charsetnr == k_binary_charset && (field.flags & BINARY_FLAG)) {
      return blob_json(text);
    }
    break;
  case MYSQL_TYPE_BIT: {
    uint64_t bits = 0;
    for (unsigned char c : text) {
      bits = (bits << 8) | c;
    }
    return bits;
  }
  default: break;
  }
  if (is_json_field(field)) {
    if (auto value = parse_json_bounded(text)) {
      return *value;
    }
    return Json{{"$json_text", std::string(text)}};
  }
  return std::string(text);
}

Json encode(const store::Column& column, const Json& value)
{
  if (value.is_null()) {
    return value;
  }
  const std::string* base64 = column.kind == store::ValueKind::blob ? blob_base64_text(value) : nullptr;
  if (base64) {
    const auto bytes = base64_decode(*base64);
    if (!bytes) {
      throw store::invalid_argument(fmt::format("{}: a {} value must be base64", column.name, column.type));
    }
    return Json::binary(std::vector<uint8_t>(bytes->begin(), bytes->end()));
  }
  if (column.type == "json") {
    return value.dump();
  }
  if (value.is_object() || value.is_array()) {
    throw store::invalid_argument(
        fmt::format("{}: a {} column takes a single value, not an object or array", column.name, column.type));
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? 1 : 0;
  }
  // MySQL rounds a fraction bound to an integer column without a word, even in strict mode.
  if (column.kind == store::ValueKind::integer && value.is_number_float()
      && std::trunc(value.get<double>()) != value.get<double>()) {
    throw store::invalid_argument(fmt::format("{} is an integer column ({}) and takes whole numbers, got {}",
                                              column.name, column.type, value.dump()));
  }
  return value;
}

store::ValueKind value_kind(std::string_view data_type, std::string_view column_type)
{
  static const std::vector<std::string_view> k_integers = {"tinyint", "smallint", "mediumint", "int",
                                                           "integer", "bigint",   "year"};
  static const std::vector<std::string_view> k_reals = {"float", "double", "real", "decimal", "numeric"};
  static const std::vector<std::string_view> k_texts = {"char",     "varchar", "tinytext", "text",
                                                        "mediumtext", "longtext", "enum", "set"};
  static const std::vector<std::string_view> k_blobs = {"binary", "varbinary", "tinyblob", "blob", "mediumblob",
                                                        "longblob"};
  const auto in = [&](const std::vector<std::string_view>& list) {
    return std::find(list.begin(), list.end(), data_type) != list.end();
  };
  if (column_type == "tinyint(1)") {
    return store::ValueKind::integer;
  }
  if (in(k_integers)) {
    return store::ValueKind::integer;
  }
  if (in(k_reals)) {
    return store::ValueKind::real;
  }
  if (in(k_texts)) {
    return store::ValueKind::text;
  }
  if (in(k_blobs)) {
    return store::ValueKind::blob;
  }
  return store::ValueKind::other;
}

} // namespace dbmcp::backends::mysql
