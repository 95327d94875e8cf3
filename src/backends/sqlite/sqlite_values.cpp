#include "backends/sqlite/sqlite_values.hpp"

#include "store/errors.hpp"
#include "util/base64.hpp"
#include "util/blob_json.hpp"

#include <fmt/format.h>
#include <SQLiteCpp/Column.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace dbmcp::backends::sqlite {
namespace {

bool contains(const std::string& upper, std::string_view part)
{
  return upper.find(part) != std::string::npos;
}

Json encode_value(std::string_view table_name, const store::Column& column, const Json& value)
{
  const std::string* text = column.kind == store::ValueKind::blob ? blob_base64_text(value) : nullptr;
  if (text == nullptr) {
    return value;
  }
  const auto bytes = base64_decode(*text);
  if (!bytes) {
    throw store::invalid_argument(fmt::format("{}.{} takes base64 for its bytes, and this is not base64",
                                              table_name, column.name));
  }
  return Json::binary(std::vector<uint8_t>(bytes->begin(), bytes->end()));
}

} // namespace

store::ValueKind kind_of_declared_type(std::string_view declared)
{
  std::string upper(declared);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (contains(upper, "BOOL")) {
    return store::ValueKind::boolean;
  }
  if (contains(upper, "INT")) {
    return store::ValueKind::integer;
  }
  if (contains(upper, "CHAR") || contains(upper, "CLOB") || contains(upper, "TEXT") || contains(upper, "DATE")
      || contains(upper, "TIME") || contains(upper, "JSON") || contains(upper, "UUID")) {
    return store::ValueKind::text;
  }
  if (contains(upper, "BLOB")) {
    return store::ValueKind::blob;
  }
  if (contains(upper, "REAL") || contains(upper, "FLOA") || contains(upper, "DOUB") || contains(upper, "NUMERIC")
      || contains(upper, "DECIMAL")) {
    return store::ValueKind::real;
  }
  return store::ValueKind::other; // no declared type: any value
}

// Throws invalid_argument when `value` is a number that `column` (INTEGER) would store as REAL.
void require_integer(std::string_view table_name, const store::Column& column, const Json& value)
{
  if (!value.is_number() || (value.is_number_integer() && !value.is_number_unsigned())
      || column.kind != store::ValueKind::integer) {
    return;
  }
  const bool fits = value.is_number_unsigned()
                      ? value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)
                      : std::trunc(value.get<double>()) == value.get<double>() && value.get<double>() >= -0x1p63
                          && value.get<double>() < 0x1p63;
  if (!fits) {
    throw store::invalid_argument(fmt::format("{}.{} is an INTEGER column and takes whole numbers from {} to {}, "
                                              "got {}",
                                              table_name, column.name, INT64_MIN, INT64_MAX, value.dump()));
  }
}

void require_integers(const store::TableInfo& table, const store::Row& values)
{
  for (const auto& [name, value] : values.items()) {
    if (const store::Column* column = table.find_column(name)) {
      require_integer(table.name, *column, value);
    }
  }
}

Json encode_column(std::string_view table_name, const store::Column& column, const Json& value)
{
  require_integer(table_name, column, value);
  return encode_value(table_name, column, value);
}

store::Row encode_values(const store::TableInfo& table, const store::Row& values)
{
  require_integers(table, values);
  store::Row encoded = store::Row::object();
  for (const auto& [name, value] : values.items()) {
    encoded[name] = encode_value(table.name, table.require_column(name), value);
  }
  return encoded;
}

store::Filter encode_filter(const store::TableInfo& table, const store::Filter& where)
{
  store::Filter encoded = where;
  for (auto& condition : encoded) {
    if (condition.combinator()) {
      condition.children = encode_filter(table, condition.children);
      continue;
    }
    const store::Column& column = table.require_column(condition.column);
    if (condition.value.is_array()) {
      for (auto& item : condition.value) {
        item = encode_value(table.name, column, item);
      }
    } else if (condition.op != store::Op::like && condition.op != store::Op::ilike) {
      condition.value = encode_value(table.name, column, condition.value);
    }
  }
  return encoded;
}

void bind_value(SQLite::Statement& statement, int index, const Json& value)
{
  switch (value.type()) {
  case Json::value_t::null: statement.bind(index); break;
  case Json::value_t::boolean: statement.bind(index, static_cast<int32_t>(value.get<bool>() ? 1 : 0)); break;
  case Json::value_t::number_integer: statement.bind(index, value.get<int64_t>()); break;
  case Json::value_t::number_unsigned: {
    const uint64_t number = value.get<uint64_t>();
    if (number > static_cast<uint64_t>(INT64_MAX)) {
      statement.bind(index, static_cast<double>(number));
    } else {
      statement.bind(index, static_cast<int64_t>(number));
    }
    break;
  }
  case Json::value_t::number_float: statement.bind(index, value.get<double>()); break;
  case Json::value_t::string: statement.bindNoCopy(index, value.get_ref<const std::string&>()); break;
  case Json::value_t::binary: {
    const auto& bytes = value.get_binary();
    statement.bindNoCopy(index, bytes.data(), static_cast<int>(bytes.size()));
    break;
  }
  default: statement.bind(index, value.dump()); break; // objects and arrays as JSON text
  }
}

void bind_all(SQLite::Statement& statement, const std::vector<Json>& params)
{
  for (size_t i = 0; i < params.size(); ++i) {
    bind_value(statement, static_cast<int>(i + 1), params[i]);
  }
}

RowShape RowShape::of(const store::TableInfo& table)
{
  RowShape shape;
  for (const auto& column : table.columns) {
    if (column.kind == store::ValueKind::boolean) {
      shape.booleans.push_back(column.name);
    }
  }
  return shape;
}

store::Row read_row(SQLite::Statement& statement, const RowShape& shape)
{
  store::Row row = store::Row::object();
  const int count = statement.getColumnCount();
  row.get_ref<Json::object_t&>().reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const SQLite::Column column = statement.getColumn(i);
    const char* name = column.getName();
    Json& value = row[name];
    switch (column.getType()) {
    case SQLITE_INTEGER: {
      const int64_t number = column.getInt64();
      const bool boolean = (number == 0 || number == 1)
                           && std::find(shape.booleans.begin(), shape.booleans.end(), name) != shape.booleans.end();
      value = boolean ? Json(number == 1) : Json(number);
      break;
    }
    case SQLITE_FLOAT: value = column.getDouble(); break;
    case SQLITE_TEXT: value = std::string(column.getText(), static_cast<size_t>(column.getBytes())); break;
    case SQLITE_BLOB: {
      const void* data = column.getBlob();
      const auto size = static_cast<size_t>(column.getBytes());
      value = blob_json(data ? std::string_view(static_cast<const char*>(data), size) : std::string_view());
      break;
    }
    default: value = nullptr; break;
    }
  }
  return row;
}

std::vector<store::Row> read_rows(SQLite::Statement& statement, const RowShape& shape)
{
  std::vector<store::Row> rows;
  while (statement.executeStep()) {
    rows.push_back(read_row(statement, shape));
  }
  return rows;
}

} // namespace dbmcp::backends::sqlite
